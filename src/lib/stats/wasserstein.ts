/**
 * First Wasserstein distance between two 1-D samples, scipy.stats.wasserstein_distance
 * (unweighted): ∫ |F_u - F_v| computed with one merge walk over the sorted samples.
 */

import { meanStd } from './float';

/** wasserstein_distance on two sorted samples without NaN (not checked). */
export function wassersteinSorted(u: ArrayLike<number>, v: ArrayLike<number>): number {
	const nu = u.length;
	const nv = v.length;
	if (nu === 0 || nv === 0) throw new Error('wasserstein: samples must not be empty');
	let i = 0;
	let j = 0;
	// compensated sum of |F_u(x_k) - F_v(x_k)| * (x_{k+1} - x_k) over distinct merged values
	let s = 0;
	let c = 0;
	let prev = NaN;
	let prevDiff = 0;
	let first = true;
	while (i < nu || j < nv) {
		const x = j >= nv || (i < nu && u[i] <= v[j]) ? u[i] : v[j];
		if (!first) {
			const term = prevDiff * (x - prev);
			const t = s + term;
			if (Math.abs(s) >= Math.abs(term)) c += s - t + term;
			else c += term - t + s;
			s = t;
		}
		first = false;
		while (i < nu && u[i] <= x) i++;
		while (j < nv && v[j] <= x) j++;
		prevDiff = Math.abs(i / nu - j / nv);
		prev = x;
	}
	return s + c;
}

/** Wasserstein distance divided by max(std(reference, ddof=0), 0.001). */
export function wassersteinNormSorted(reference: Float64Array, current: Float64Array): number {
	const w = wassersteinSorted(reference, current);
	return w / Math.max(meanStd(reference).std, 0.001);
}
