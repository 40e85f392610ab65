/**
 * Distances between the empirical distribution functions of two 1-D samples, as SciPy 1.10's
 * `_cdf_distance` computes them (unweighted): ∫ |F_u − F_v|^p dx as a sum over the gaps between
 * consecutive merged values, with one merge walk over the sorted samples.
 * `wasserstein_distance` is p = 1 (wasserstein.ts), `energy_distance` is √2 · (p = 2)^½.
 */

/**
 * Σ |F_u(x_k) − F_v(x_k)|^p · (x_{k+1} − x_k) over the merged sorted values, compensated; u and v
 * sorted, non-empty, without NaN (not checked).
 *
 * Infinite values follow NumPy's arithmetic on SciPy's gaps: a gap to an infinite value is
 * infinite (so is the sum, unless the CDFs agree across it: 0 · ∞ = NaN), and a gap between two
 * equal infinite values is ∞ − ∞ = NaN. The compensated sum only ever sees finite terms.
 */
export function cdfGapSum(u: ArrayLike<number>, v: ArrayLike<number>, p: 1 | 2): number {
	const nu = u.length;
	const nv = v.length;
	if (nu === 0 || nv === 0) throw new Error('cdf distance: samples must not be empty');
	let i = 0;
	let j = 0;
	let s = 0;
	let c = 0;
	let nonFinite = 0;
	let prev = NaN;
	let prevDiff = 0;
	let first = true;
	while (i < nu || j < nv) {
		const x = j >= nv || (i < nu && u[i] <= v[j]) ? u[i] : v[j];
		if (!first) {
			const term = prevDiff * (x - prev);
			if (Number.isFinite(term)) {
				const t = s + term;
				if (Math.abs(s) >= Math.abs(term)) c += s - t + term;
				else c += term - t + s;
				s = t;
			} else nonFinite += term;
		}
		first = false;
		const group = i + j;
		while (i < nu && u[i] <= x) i++;
		while (j < nv && v[j] <= x) j++;
		if (i + j - group > 1 && !Number.isFinite(x)) nonFinite = NaN;
		const d = Math.abs(i / nu - j / nv);
		prevDiff = p === 1 ? d : d * d;
		prev = x;
	}
	return s + c + nonFinite;
}

/** scipy.stats.energy_distance on two sorted samples without NaN (not checked). */
export function energyDistanceSorted(u: ArrayLike<number>, v: ArrayLike<number>): number {
	return Math.SQRT2 * Math.sqrt(cdfGapSum(u, v, 2));
}
