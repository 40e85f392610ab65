/**
 * First Wasserstein distance between two 1-D samples, scipy.stats.wasserstein_distance
 * (unweighted): ∫ |F_u - F_v| computed with one merge walk over the sorted samples (cdf-distance.ts).
 */

import { cdfGapSum } from './cdf-distance';
import { meanStd } from './float';

/** wasserstein_distance on two sorted samples without NaN (not checked). */
export function wassersteinSorted(u: ArrayLike<number>, v: ArrayLike<number>): number {
	return cdfGapSum(u, v, 1);
}

/** Wasserstein distance divided by max(std(reference, ddof=0), 0.001). */
export function wassersteinNormSorted(reference: Float64Array, current: Float64Array): number {
	const w = wassersteinSorted(reference, current);
	return w / Math.max(meanStd(reference).std, 0.001);
}
