/**
 * KSWIN (Kolmogorov–Smirnov WINdowing), ported from River's
 * `river.drift.KSWIN` (river/drift/kswin.py, River ≥ 0.15).
 *
 * Paper: C. Raab, M. Heusinger and F.-M. Schleif, "Reactive Soft Prototype
 * Computing for Concept Drift Streams", Neurocomputing 416, 2020,
 * pp. 340–351.
 *
 * Defaults (River's): alpha = 0.005, windowSize = 100, statSize = 30, seed
 * unset.
 *
 * Algorithm: keep the last windowSize observations Ψ. Once Ψ is full, on
 * every update draw statSize indices uniformly without replacement from the
 * first windowSize − statSize positions (the "old" part of Ψ), and run the
 * two-sample KS test (SciPy's ks_2samp, method 'auto' — here our
 * scipy-identical `ks2samp`) of those values against the last statSize
 * observations. Drift when p ≤ alpha and D > 0.1. River then keeps only the
 * last statSize observations, but its next update resets everything anyway
 * (lazy reset, empty window, and the PRNG re-created from `seed`); both are
 * kept here.
 *
 * Randomness: River draws with `random.Random(seed).sample(range(windowSize
 * − statSize), statSize)`. We use `PythonRandom`, a port of CPython's
 * MT19937 + `random.sample`, so for an integer seed our indices are River's
 * (checked against CPython in the tests). This holds only for equal random
 * draws: an unseeded KSWIN (River seeds from OS entropy, we from
 * Math.random) is not reproducible, and any other PRNG would give other
 * subsamples and other detection indices. The tests therefore pin our exact
 * indices for given seeds and check the statistical behaviour separately.
 *
 * Deviations: inputs must be finite; `windowSize >= 2·statSize` is checked
 * at construction (River fails at the first full window with "Sample larger
 * than population").
 */

import { ks2samp } from '#lib/stats/ks.ts';
import { PythonRandom } from './python-random';
import { assertFinite, type DriftDetector } from './types';

export interface KswinOptions {
	/** Significance level of the KS test. Default 0.005. */
	alpha?: number;
	/** Size of the sliding window Ψ. Default 100. */
	windowSize?: number;
	/** Size of the recent window R and of the subsample W. Default 30. */
	statSize?: number;
	/** Integer seed of the PRNG (CPython-compatible). Default: unseeded. */
	seed?: number;
	/** Already collected data to avoid a cold start (only at construction, as in River). */
	window?: Iterable<number>;
}

export const KSWIN_DEFAULTS = Object.freeze({
	alpha: 0.005,
	windowSize: 100,
	statSize: 30
});

/** River's additional effect-size floor on the KS statistic. */
export const KSWIN_MIN_STATISTIC = 0.1;

export class KSWIN implements DriftDetector<number> {
	readonly alpha: number;
	readonly windowSize: number;
	readonly statSize: number;
	readonly seed: number | undefined;

	private _driftDetected = false;
	private _pValue = 0;
	private _statistic = 0;
	private _n = 0;
	private buf: number[] = [];
	private rng: PythonRandom;

	constructor(options: KswinOptions = {}) {
		const alpha = options.alpha ?? KSWIN_DEFAULTS.alpha;
		const windowSize = options.windowSize ?? KSWIN_DEFAULTS.windowSize;
		const statSize = options.statSize ?? KSWIN_DEFAULTS.statSize;
		if (!(alpha >= 0 && alpha <= 1)) throw new RangeError('Alpha must be between 0 and 1.');
		if (!Number.isInteger(windowSize) || windowSize < 0) throw new RangeError('window_size must be greater than 0.');
		if (!Number.isInteger(statSize) || statSize < 1) throw new RangeError('stat_size must be a positive integer.');
		if (windowSize < statSize) throw new RangeError('stat_size must be smaller than window_size.');
		if (windowSize - statSize < statSize) {
			throw new RangeError('window_size must be at least 2 * stat_size (the subsample is drawn from the old part).');
		}
		if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) {
			throw new RangeError(`KSWIN: seed must be a safe integer, got ${options.seed}`);
		}
		this.alpha = alpha;
		this.windowSize = windowSize;
		this.statSize = statSize;
		this.seed = options.seed;
		this.rng = this.newRng();
		if (options.window !== undefined) {
			const w = Array.from(options.window);
			for (const v of w) assertFinite(v, 'KSWIN');
			if (w.length > 0) this.buf = w.slice(Math.max(0, w.length - windowSize));
		}
	}

	private newRng(): PythonRandom {
		return new PythonRandom(this.seed ?? Math.floor(Math.random() * 4294967296));
	}

	get driftDetected(): boolean {
		return this._driftDetected;
	}

	/** p-value of the last KS test (0 before the first one, as in River). */
	get pValue(): number {
		return this._pValue;
	}

	/** KS statistic D of the last test (0 before the first one). */
	get statistic(): number {
		return this._statistic;
	}

	/** Observations since the last reset. */
	get n(): number {
		return this._n;
	}

	/** A copy of the sliding window, oldest first. */
	get window(): number[] {
		return this.buf.slice();
	}

	update(x: number): this {
		assertFinite(x, 'KSWIN');
		if (this._driftDetected) this.reset();

		this._n += 1;
		this.buf.push(x);
		if (this.buf.length > this.windowSize) this.buf.shift();

		if (this.buf.length >= this.windowSize) {
			const old = this.windowSize - this.statSize;
			const idx = this.rng.sampleRange(old, this.statSize);
			const rndWindow = idx.map((r) => this.buf[r]);
			const mostRecent = this.buf.slice(old, this.windowSize);
			const r = ks2samp(rndWindow, mostRecent);
			this._statistic = r.statistic;
			this._pValue = r.pValue ?? NaN;
			if (this._pValue <= this.alpha && this._statistic > KSWIN_MIN_STATISTIC) {
				this._driftDetected = true;
				this.buf = mostRecent;
			} else {
				this._driftDetected = false;
			}
		} else {
			this._driftDetected = false; // not enough samples for a valid test
		}
		return this;
	}

	reset(): void {
		this._driftDetected = false;
		this._pValue = 0;
		this._statistic = 0;
		this._n = 0;
		this.buf = [];
		this.rng = this.newRng();
	}
}
