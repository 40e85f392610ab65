/**
 * ADWIN (ADaptive WINdowing), ported from River's `river.drift.ADWIN`
 * (river/drift/adwin.py + the Cython helper river/drift/adwin_c.pyx as of
 * River 0.22, i.e. after online-ml/river#1613; River's later Rust port
 * rust_src/adwin.rs keeps the same arithmetic).
 *
 * Paper: A. Bifet and R. Gavaldà, "Learning from time-changing data with
 * adaptive windowing", SIAM International Conference on Data Mining (SDM),
 * 2007, pp. 443–448 — the ADWIN2 variant, whose window is stored as an
 * exponential histogram of buckets (Datar et al. 2002) with variances merged
 * as in Babcock et al. 2003.
 *
 * Defaults (River's): delta = 0.002, clock = 32, maxBuckets = 5,
 * minWindowLength = 5, gracePeriod = 10.
 *
 * The port keeps River's structure and arithmetic order:
 *
 * - the bucket list: row i holds up to maxBuckets + 1 buckets of 2^i
 *   elements (total and variance each), oldest first; when a row reaches
 *   maxBuckets + 1, its two oldest buckets are merged into the next row
 *   (merged variance v0 + v1 + 2^i·0.5·(μ0 − μ1)²);
 * - every `clock` updates, once width > gracePeriod, every cut W0 | W1 is
 *   tried from the oldest bucket to the newest (the newest bucket itself
 *   always stays in W1); a cut fires when both sides hold at least
 *   minWindowLength elements and
 *   |mean(W0) − mean(W1)| > sqrt(2·m·σ²_W·δ') + (2/3)·δ'·m, with
 *   m = 1/(n0 − mwl + 1) + 1/(n1 − mwl + 1), δ' = ln(2·ln(width)/delta) and
 *   σ²_W the variance of the whole window; then the oldest bucket is dropped
 *   and the scan repeats.
 *
 * River version semantics:
 *
 * - River < 0.22 scanned `for k in range(bucket.current_idx - 1)`, skipping
 *   the newest bucket of every row (an off-by-one inherited from
 *   scikit-multiflow); River 0.22 (#1613) scans every bucket as MOA does.
 *   We port the fixed scan: River's regression tests (detections [1023] and
 *   [1023, 2015, 3007], test_adwin_regression.py) are reproduced in
 *   test/unit/stats/detectors/river-reference.test.ts, and the old scan
 *   would give [1055] and [1023, 2047, 3039] there;
 * - after a detection, the next `update` replaces the whole helper, i.e. the
 *   window restarts empty (`if self.drift_detected: self._reset()`), not
 *   just shrunk to W1. `nDetections` is that helper's counter, so it is reset
 *   too, as in River.
 *
 * The subwindow variances v0 / v1 that River's scan accumulates but never
 * reads are not computed.
 */

import { assertFinite, type DriftDetector } from './types';

export interface AdwinOptions {
	/** Significance value δ ∈ (0, 1). Default 0.002. */
	delta?: number;
	/** Check for a change every `clock` updates. Default 32. */
	clock?: number;
	/** Buckets of each size kept before merging. Default 5. */
	maxBuckets?: number;
	/** Minimum length of each subwindow in a cut. Default 5. */
	minWindowLength?: number;
	/** No change detection until the window holds more than this many elements. Default 10. */
	gracePeriod?: number;
}

export const ADWIN_DEFAULTS: Readonly<Required<AdwinOptions>> = Object.freeze({
	delta: 0.002,
	clock: 32,
	maxBuckets: 5,
	minWindowLength: 5,
	gracePeriod: 10
});

/** A row of the exponential histogram: fixed arrays of maxBuckets + 1 (total, variance) pairs. */
class Bucket {
	currentIdx = 0;
	readonly total: Float64Array;
	readonly variance: Float64Array;

	constructor(maxSize: number) {
		this.total = new Float64Array(maxSize + 1);
		this.variance = new Float64Array(maxSize + 1);
	}

	insertData(value: number, variance: number): void {
		this.total[this.currentIdx] = value;
		this.variance[this.currentIdx] = variance;
		this.currentIdx += 1;
	}

	remove(): void {
		this.compress(1);
	}

	/** Drops the first (oldest) nElements by shifting left, clearing the tail. */
	compress(nElements: number): void {
		const len = this.total.length;
		for (let i = nElements; i < len; i++) {
			this.total[i - nElements] = this.total[i];
			this.variance[i - nElements] = this.variance[i];
		}
		for (let i = len - nElements; i < len; i++) {
			this.total[i] = 0;
			this.variance[i] = 0;
		}
		this.currentIdx -= nElements;
	}
}

/** River's `AdaptiveWindowing` (adwin_c.pyx). */
class AdaptiveWindowing {
	private readonly buckets: Bucket[];
	total = 0;
	/** Sum of squared deviations from the window mean (not divided by width). */
	variance = 0;
	width = 0;
	nDetections = 0;
	private nBuckets = 0;
	private tick = 0;

	constructor(private readonly o: Required<AdwinOptions>) {
		this.buckets = [new Bucket(o.maxBuckets)];
	}

	update(value: number): boolean {
		this.insertElement(value, 0.0);
		return this.detectChange();
	}

	private insertElement(value: number, variance: number): void {
		this.buckets[0].insertData(value, variance);
		this.nBuckets += 1;
		this.width += 1;
		let incrementalVariance = 0.0;
		if (this.width > 1.0) {
			const d = value - this.total / (this.width - 1.0);
			incrementalVariance = ((this.width - 1.0) * d * d) / this.width;
		}
		this.variance += incrementalVariance;
		this.total += value;
		this.compressBuckets();
	}

	private deleteElement(): number {
		const bucket = this.buckets[this.buckets.length - 1];
		const n = 2 ** (this.buckets.length - 1); // length of bucket
		const u = bucket.total[0]; // total of bucket
		const mu = u / n; // mean of bucket
		const v = bucket.variance[0]; // variance of bucket
		this.width -= n;
		this.total -= u;
		const muWindow = this.total / this.width;
		const incrementalVariance = v + (n * this.width * (mu - muWindow) * (mu - muWindow)) / (n + this.width);
		this.variance -= incrementalVariance;
		bucket.remove();
		this.nBuckets -= 1;
		if (bucket.currentIdx === 0) this.buckets.pop();
		return n;
	}

	private compressBuckets(): void {
		const maxBuckets = this.o.maxBuckets;
		let bucket: Bucket | undefined = this.buckets[0];
		let idx = 0;
		while (bucket !== undefined) {
			if (bucket.currentIdx !== maxBuckets + 1) break;
			let next: Bucket | undefined = this.buckets[idx + 1];
			if (next === undefined) {
				next = new Bucket(maxBuckets);
				this.buckets.push(next);
			}
			const n1 = 2 ** idx; // length of each bucket of this row
			const mu1 = bucket.total[0] / n1;
			const mu2 = bucket.total[1] / n1;
			const total12 = bucket.total[0] + bucket.total[1];
			const temp = n1 * 0.5 * (mu1 - mu2) * (mu1 - mu2); // n1·n2/(n1 + n2) = n1/2 since n1 = n2
			const v12 = bucket.variance[0] + bucket.variance[1] + temp;
			next.insertData(total12, v12);
			this.nBuckets += 1;
			bucket.compress(2);
			if (next.currentIdx <= maxBuckets) break;
			bucket = this.buckets[idx + 1];
			idx += 1;
		}
	}

	private detectChange(): boolean {
		const { clock, gracePeriod, minWindowLength } = this.o;
		let changeDetected = false;
		this.tick += 1;
		if (this.tick % clock === 0 && this.width > gracePeriod) {
			let reduceWidth = true;
			while (reduceWidth) {
				reduceWidth = false;
				let exitFlag = false;
				let n0 = 0.0; // length of window 0
				let n1 = this.width; // length of window 1
				let u0 = 0.0; // total of window 0
				let u1 = this.total; // total of window 1
				// Evaluate each window cut (W0, W1), oldest bucket first.
				for (let idx = this.buckets.length - 1; idx >= 0; idx--) {
					if (exitFlag) break;
					const bucket = this.buckets[idx];
					const size = 2 ** idx;
					const kEnd = bucket.currentIdx;
					for (let k = 0; k < kEnd; k++) {
						n0 += size;
						n1 -= size;
						u0 += bucket.total[k];
						u1 -= bucket.total[k];
						if (idx === 0 && k === kEnd - 1) {
							exitFlag = true; // every bucket but the newest is in W0: W1 would be empty, done
							break;
						}
						const deltaMean = u0 / n0 - u1 / n1;
						if (n1 >= minWindowLength && n0 >= minWindowLength && this.evaluateCut(n0, n1, deltaMean)) {
							reduceWidth = true;
							changeDetected = true;
							if (this.width > 0) {
								this.deleteElement(); // drop the oldest bucket and rescan
								exitFlag = true;
								break;
							}
						}
					}
				}
			}
		}
		if (changeDetected) this.nDetections += 1;
		return changeDetected;
	}

	private evaluateCut(n0: number, n1: number, deltaMean: number): boolean {
		const mwl = this.o.minWindowLength;
		const deltaPrime = Math.log((2 * Math.log(this.width)) / this.o.delta);
		const mRecip = 1.0 / (n0 - mwl + 1) + 1.0 / (n1 - mwl + 1);
		const varianceInWindow = this.variance / this.width;
		const epsilon = Math.sqrt(2 * mRecip * varianceInWindow * deltaPrime) + (2 / 3) * deltaPrime * mRecip;
		return Math.abs(deltaMean) > epsilon;
	}
}

export class ADWIN implements DriftDetector<number> {
	readonly delta: number;
	readonly clock: number;
	readonly maxBuckets: number;
	readonly minWindowLength: number;
	readonly gracePeriod: number;
	private helper: AdaptiveWindowing;
	private _driftDetected = false;

	constructor(options: AdwinOptions = {}) {
		const o = { ...ADWIN_DEFAULTS, ...options };
		if (!(o.delta > 0 && o.delta < 1)) throw new RangeError(`ADWIN: delta must be in (0, 1), got ${o.delta}`);
		for (const [name, v, min] of [
			['clock', o.clock, 1],
			['maxBuckets', o.maxBuckets, 1],
			['minWindowLength', o.minWindowLength, 1],
			['gracePeriod', o.gracePeriod, 0]
		] as const) {
			if (!Number.isInteger(v) || v < min) throw new RangeError(`ADWIN: ${name} must be an integer >= ${min}, got ${v}`);
		}
		this.delta = o.delta;
		this.clock = o.clock;
		this.maxBuckets = o.maxBuckets;
		this.minWindowLength = o.minWindowLength;
		this.gracePeriod = o.gracePeriod;
		this.helper = this.newHelper();
	}

	private newHelper(): AdaptiveWindowing {
		return new AdaptiveWindowing({
			delta: this.delta,
			clock: this.clock,
			maxBuckets: this.maxBuckets,
			minWindowLength: this.minWindowLength,
			gracePeriod: this.gracePeriod
		});
	}

	get driftDetected(): boolean {
		return this._driftDetected;
	}

	/** Number of elements in the adaptive window. */
	get width(): number {
		return this.helper.width;
	}

	/** Sum of the elements in the window. */
	get total(): number {
		return this.helper.total;
	}

	/** Sum of squared deviations from the window mean (River's `variance`, not divided by width). */
	get variance(): number {
		return this.helper.variance;
	}

	/** Mean of the window (0 when empty). */
	get estimation(): number {
		return this.helper.width === 0 ? 0.0 : this.helper.total / this.helper.width;
	}

	/** Detections since the last (lazy) reset — as River's, at most 1. */
	get nDetections(): number {
		return this.helper.nDetections;
	}

	update(x: number): this {
		assertFinite(x, 'ADWIN');
		if (this._driftDetected) this.reset();
		this._driftDetected = this.helper.update(x);
		return this;
	}

	reset(): void {
		this._driftDetected = false;
		this.helper = this.newHelper();
	}
}
