/**
 * scikit-learn 1.2's `IsotonicRegression(increasing=True, out_of_bounds='clip')` with unit sample
 * weights, step for step so that calibrated probabilities match it to the last bit:
 *
 * - fit: sort by (x, y) (`np.lexsort`); `_make_unique` merges runs of x closer than 1e-15
 *   (float64 resolution) into one point with the run's weight and weighted mean y — that is how
 *   tied scores enter; the pool-adjacent-violators pass of `_inplace_contiguous_isotonic_regression`
 *   (Best & Chakravarti's active set, backtracking one block at a time); interior points on flat
 *   stretches are dropped (`trim_duplicates`);
 * - predict: clip to [min x, max x], then linear interpolation between the knots as `np.interp`
 *   (SciPy's `interp1d(kind='linear')` hands it there): a knot returns its own y exactly.
 */

import { numpyArgsort } from './numpy-argsort';
import { take } from './take';

const RESOLUTION = 1e-15; // np.finfo(np.float64).resolution

export interface IsotonicFit {
	/** Knots, strictly increasing. */
	x: Float64Array;
	y: Float64Array;
	xMin: number;
	xMax: number;
}

/** `_inplace_contiguous_isotonic_regression(y, w)`: the increasing fit, in place. */
export function poolAdjacentViolators(y: Float64Array, w: Float64Array): void {
	const n = y.length;
	// Blocks: if [i..j] is a block then target[i] = j and target[j] = i.
	const target = new Int32Array(n);
	for (let i = 0; i < n; i++) target[i] = i;
	let i = 0;
	while (i < n) {
		let k = target[i] + 1;
		if (k === n) break;
		if (y[i] < y[k]) {
			i = k;
			continue;
		}
		let sumWy = w[i] * y[i];
		let sumW = w[i];
		for (;;) {
			// Within a decreasing run.
			const prevY = y[k];
			sumWy += w[k] * y[k];
			sumW += w[k];
			k = target[k] + 1;
			if (k === n || prevY < y[k]) {
				// The run is over: its first entry holds the pooled block.
				y[i] = sumWy / sumW;
				w[i] = sumW;
				target[i] = k - 1;
				target[k - 1] = i;
				// Backtrack one block if there is one (single pass, O(n)).
				if (i > 0) i = target[i - 1];
				break;
			}
		}
	}
	// Spread each block's value over the block.
	i = 0;
	while (i < n) {
		const k = target[i] + 1;
		for (let j = i + 1; j < k; j++) y[j] = y[i];
		i = k;
	}
}

/**
 * `IsotonicRegression(out_of_bounds='clip').fit(x[rows], y[rows])` with unit weights, `rows` listing
 * the rows to fit on in ascending order of x (by default all of them). Any such order gives the
 * same fit, ties in x being sorted by y here, so a caller fitting several subsets of one data set
 * (the calibration check's splits) sorts it once and passes each subset's rows in that order.
 */
export function fitIsotonic(x: ArrayLike<number>, y: ArrayLike<number>, rows: Int32Array = numpyArgsort(x)): IsotonicFit {
	const n = rows.length;
	if (n === 0 || y.length !== x.length)
		throw new Error(`isotonic regression needs rows to fit and as many targets as scores (got ${n} rows, ${x.length} scores, ${y.length} targets)`);
	// np.lexsort((y, x)): by x, then by y among equal x (only the y order within a tie matters).
	const xs = take(x, rows);
	const ys = take(y, rows);
	for (let a = 0; a < n;) {
		let b = a + 1;
		while (b < n && xs[b] === xs[a]) b++;
		if (b - a > 1) ys.subarray(a, b).sort();
		a = b;
	}
	// _make_unique
	const ux = new Float64Array(n);
	const uy = new Float64Array(n);
	const uw = new Float64Array(n);
	let m = 0;
	let currentX = xs[0];
	let currentY = 0;
	let currentW = 0;
	for (let j = 0; j < n; j++) {
		const xj = xs[j];
		if (xj - currentX >= RESOLUTION) {
			ux[m] = currentX;
			uw[m] = currentW;
			uy[m++] = currentY / currentW;
			currentX = xj;
			currentW = 1;
			currentY = ys[j];
		} else {
			currentW += 1;
			currentY += ys[j];
		}
	}
	ux[m] = currentX;
	uw[m] = currentW;
	uy[m++] = currentY / currentW;
	const fitted = uy.subarray(0, m);
	poolAdjacentViolators(fitted, uw.subarray(0, m));
	const keepX: number[] = [];
	const keepY: number[] = [];
	for (let k = 0; k < m; k++) {
		if (k === 0 || k === m - 1 || fitted[k] !== fitted[k - 1] || fitted[k] !== fitted[k + 1]) {
			keepX.push(ux[k]);
			keepY.push(fitted[k]);
		}
	}
	return { x: Float64Array.from(keepX), y: Float64Array.from(keepY), xMin: ux[0], xMax: ux[m - 1] };
}

/** `IsotonicRegression.predict(t)` of a fit. */
export function predictIsotonic(fit: IsotonicFit, t: ArrayLike<number>): Float64Array {
	const { x, y } = fit;
	const m = x.length;
	const out = new Float64Array(t.length);
	for (let i = 0; i < t.length; i++) {
		const v = Math.min(Math.max(t[i], fit.xMin), fit.xMax); // np.clip
		if (Number.isNaN(t[i])) {
			out[i] = NaN;
			continue;
		}
		if (m === 1) {
			out[i] = y[0];
			continue;
		}
		// The largest j with x[j] <= v (v is within [x[0], x[m-1]] after clipping).
		let lo = 0;
		let hi = m - 1;
		while (hi - lo > 1) {
			const mid = (lo + hi) >> 1;
			if (x[mid] <= v) lo = mid;
			else hi = mid;
		}
		const j = v >= x[m - 1] ? m - 1 : lo;
		if (j === m - 1 || x[j] === v) {
			out[i] = y[j];
			continue;
		}
		const slope = (y[j + 1] - y[j]) / (x[j + 1] - x[j]);
		let r = slope * (v - x[j]) + y[j];
		if (Number.isNaN(r)) {
			r = slope * (v - x[j + 1]) + y[j + 1];
			if (Number.isNaN(r) && y[j] === y[j + 1]) r = y[j];
		}
		out[i] = r;
	}
	return out;
}
