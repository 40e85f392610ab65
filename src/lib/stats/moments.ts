/**
 * Sample moments computed the way NumPy does (pairwise summation of contiguous float64), so
 * that means and variances agree with `np.mean` / `np.var(ddof=1)` to the last bits.
 */
import { pairwiseSum } from '#lib/stats/float.ts';

/** np.mean */
export function mean(a: ArrayLike<number>): number {
	return a.length === 0 ? NaN : pairwiseSum(a) / a.length;
}

/** np.var(a, ddof): mean of squared deviations from np.mean, divided by n - ddof. */
export function variance(a: ArrayLike<number>, ddof = 1, m = mean(a)): number {
	const n = a.length;
	if (n - ddof <= 0) return NaN;
	const sq = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		const d = a[i] - m;
		sq[i] = d * d;
	}
	return pairwiseSum(sq) / (n - ddof);
}

/** np.cov(x, y, ddof)[0, 1]. */
export function covariance(x: ArrayLike<number>, y: ArrayLike<number>, ddof = 1): number {
	const n = x.length;
	if (y.length !== n) throw new Error('covariance: x and y must have the same length');
	if (n - ddof <= 0) return NaN;
	const mx = mean(x);
	const my = mean(y);
	const prod = new Float64Array(n);
	for (let i = 0; i < n; i++) prod[i] = (x[i] - mx) * (y[i] - my);
	return pairwiseSum(prod) / (n - ddof);
}

export interface Moments {
	n: number;
	mean: number;
	/** Sample variance (ddof = 1); NaN for n < 2. */
	variance: number;
}

export function moments(a: ArrayLike<number>): Moments {
	const m = mean(a);
	return { n: a.length, mean: m, variance: variance(a, 1, m) };
}
