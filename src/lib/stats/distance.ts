/**
 * Distances between two discrete distributions given as proportion vectors
 * over the same bins / categories:
 *
 * - `psi`: Σ (c − r)·ln(c / r), zero proportions replaced by 1e-4 first;
 * - `jensenShannon`: scipy.spatial.distance.jensenshannon(r, c) (natural log,
 *   inputs renormalised to sum 1, no flooring);
 * - `hellinger`: ‖√r − √c‖₂ / √2.
 *
 * Sums follow NumPy's pairwise summation.
 */

import { pairwiseSum } from './float';

export const PSI_FLOOR = 1e-4;

export function psi(reference: ArrayLike<number>, current: ArrayLike<number>): number {
	const k = reference.length;
	const terms = new Float64Array(k);
	for (let i = 0; i < k; i++) {
		const r = reference[i] === 0 ? PSI_FLOOR : reference[i];
		const c = current[i] === 0 ? PSI_FLOOR : current[i];
		terms[i] = (c - r) * Math.log(c / r);
	}
	return pairwiseSum(terms);
}

/** scipy.special.rel_entr */
function relEntr(x: number, y: number): number {
	if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
	if (x > 0 && y > 0) return x * Math.log(x / y);
	if (x === 0 && y >= 0) return 0;
	return Infinity;
}

export function jensenShannon(reference: ArrayLike<number>, current: ArrayLike<number>): number {
	const k = reference.length;
	const sp = pairwiseSum(reference);
	const sq = pairwiseSum(current);
	const left = new Float64Array(k);
	const right = new Float64Array(k);
	for (let i = 0; i < k; i++) {
		const p = reference[i] / sp;
		const q = current[i] / sq;
		const m = (p + q) / 2.0;
		left[i] = relEntr(p, m);
		right[i] = relEntr(q, m);
	}
	const js = pairwiseSum(left) + pairwiseSum(right);
	return Math.sqrt(js / 2.0);
}

export function hellinger(reference: ArrayLike<number>, current: ArrayLike<number>): number {
	const k = reference.length;
	const terms = new Float64Array(k);
	for (let i = 0; i < k; i++) {
		const d = Math.sqrt(reference[i]) - Math.sqrt(current[i]);
		terms[i] = d * d;
	}
	return Math.sqrt(pairwiseSum(terms)) / Math.SQRT2;
}

/** Counts divided by their total. */
export function proportions(counts: ArrayLike<number>, total?: number): Float64Array {
	const k = counts.length;
	let n = total ?? 0;
	if (total === undefined) for (let i = 0; i < k; i++) n += counts[i];
	const out = new Float64Array(k);
	for (let i = 0; i < k; i++) out[i] = counts[i] / n;
	return out;
}
