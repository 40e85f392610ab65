/**
 * Page–Hinkley test, ported from River's `river.drift.PageHinkley` in its
 * River ≥ 0.15 form (river/drift/page_hinkley.py), i.e. with `mode`.
 *
 * Papers: E. S. Page, "Continuous inspection schemes", Biometrika 41(1/2),
 * 1954, pp. 100–115; the two-sided form follows R. Sebastião and J. M.
 * Fernandes, "Supporting the Page-Hinkley test with empirical mode
 * decomposition for change detection", ISMIS 2017.
 *
 * Defaults (River's): minInstances = 30, delta = 0.005, threshold = 50,
 * alpha = 1 − 0.0001, mode = 'both'.
 *
 * Algorithm, per observation x (x̄ = running mean of all x since the last
 * reset, River's stats.Mean: x̄ += (1/n)·(x − x̄)):
 *
 *   U = alpha·U + (x − x̄) − delta      (cumulative increase), U_min = min U
 *   L = alpha·L + (x − x̄) + delta      (cumulative decrease), L_max = max L
 *   once n >= minInstances:
 *     'up':   drift when U − U_min > threshold
 *     'down': drift when L_max − L > threshold
 *     'both': either.
 *
 * `L_max` starts at −1 and `U_min` at +∞, as in River.
 *
 * River version semantics: before 0.15 River's PageHinkley was one-sided
 * (increases only) and clipped the sum at zero,
 * `sum = max(0, alpha·sum + x − x̄ − delta)`, with a `>=` threshold test and a
 * sample counter starting at 1. Since 0.15 (ported here) it keeps the
 * unclipped sums against their running extrema (Page's m_T − M_T), tests
 * with a strict `>`, can watch both directions (default 'both'), and — like
 * every River ≥ 0.15 detector — resets lazily on the update after a drift.
 * `threshold` is in the units of x times samples: it is not scale free.
 */

import { assertFinite, type DriftDetector } from './types';

export type PageHinkleyMode = 'up' | 'down' | 'both';

export interface PageHinkleyOptions {
	/** Observations needed before a change can be detected. Default 30. */
	minInstances?: number;
	/** Magnitude of changes tolerated (δ). Default 0.005. */
	delta?: number;
	/** Detection threshold (λ). Default 50. */
	threshold?: number;
	/** Forgetting factor of the cumulative sums. Default 1 − 0.0001. */
	alpha?: number;
	/** Watch increases ('up'), decreases ('down') or both. Default 'both'. */
	mode?: PageHinkleyMode;
}

export const PAGE_HINKLEY_DEFAULTS: Readonly<Required<PageHinkleyOptions>> = Object.freeze({
	minInstances: 30,
	delta: 0.005,
	threshold: 50.0,
	alpha: 1 - 0.0001,
	mode: 'both'
});

const MODES: readonly PageHinkleyMode[] = ['up', 'down', 'both'];

export class PageHinkley implements DriftDetector<number> {
	readonly minInstances: number;
	readonly delta: number;
	readonly threshold: number;
	readonly alpha: number;
	readonly mode: PageHinkleyMode;

	private _driftDetected = false;
	private n = 0;
	private mean = 0.0;
	private sumIncrease = 0.0;
	private sumDecrease = 0.0;
	private minIncrease = Infinity;
	private maxDecrease = -1;

	constructor(options: PageHinkleyOptions = {}) {
		const o = { ...PAGE_HINKLEY_DEFAULTS, ...options };
		if (!MODES.includes(o.mode)) throw new RangeError(`Invalid 'mode'. Valid values are: ${MODES.join(', ')}`);
		if (!Number.isFinite(o.minInstances) || o.minInstances < 0) throw new RangeError('PageHinkley: minInstances must be >= 0');
		for (const [name, v] of [
			['delta', o.delta],
			['threshold', o.threshold],
			['alpha', o.alpha]
		] as const) {
			if (!Number.isFinite(v)) throw new RangeError(`PageHinkley: ${name} must be finite, got ${v}`);
		}
		this.minInstances = o.minInstances;
		this.delta = o.delta;
		this.threshold = o.threshold;
		this.alpha = o.alpha;
		this.mode = o.mode;
	}

	get driftDetected(): boolean {
		return this._driftDetected;
	}

	/** Running mean of the observations since the last reset. */
	get estimation(): number {
		return this.mean;
	}

	/** The current statistics U − U_min and L_max − L (−∞ and −1 before the first update). */
	get statistics(): { increase: number; decrease: number } {
		return { increase: this.sumIncrease - this.minIncrease, decrease: this.maxDecrease - this.sumDecrease };
	}

	update(x: number): this {
		assertFinite(x, 'PageHinkley');
		if (this._driftDetected) this.reset();

		this.n += 1;
		this.mean += (1.0 / this.n) * (x - this.mean);
		const dev = x - this.mean;

		this.sumIncrease = this.alpha * this.sumIncrease + dev - this.delta;
		this.sumDecrease = this.alpha * this.sumDecrease + dev + this.delta;

		if (this.sumIncrease < this.minIncrease) this.minIncrease = this.sumIncrease;
		if (this.sumDecrease > this.maxDecrease) this.maxDecrease = this.sumDecrease;

		if (this.n >= this.minInstances) {
			const testIncrease = this.sumIncrease - this.minIncrease;
			const testDecrease = this.maxDecrease - this.sumDecrease;
			const up = testIncrease > this.threshold;
			const down = testDecrease > this.threshold;
			this._driftDetected = this.mode === 'up' ? up : this.mode === 'down' ? down : up || down;
		}
		return this;
	}

	reset(): void {
		this._driftDetected = false;
		this.n = 0;
		this.mean = 0.0;
		this.sumIncrease = 0.0;
		this.sumDecrease = 0.0;
		this.minIncrease = Infinity;
		this.maxDecrease = -1;
	}
}
