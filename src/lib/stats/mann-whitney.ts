/**
 * Mann–Whitney U test, scipy.stats.mannwhitneyu(x, y) with its defaults (SciPy 1.10:
 * use_continuity=True, alternative='two-sided', method='auto'), on sorted samples. The A/B test
 * (ab/mannwhitney.ts) and the drift report's `mannwhitney` both use it.
 *
 * 'auto' chooses the exact null distribution unless both samples have more than 8 values, and
 * only when there are no ties; otherwise the normal approximation with the tie-corrected
 * variance and the continuity correction. The reported statistic is U of the first sample, x.
 */
import { normSf } from './special';
import type { TestResult } from './types';

export interface MannWhitneyStatistic extends TestResult<'exact' | 'asymptotic'> {
	pValue: number;
	/** U of x: pairs (x, y) with x > y, ties counting ½; equals `statistic`. */
	u: number;
}

/**
 * The exact distribution costs max(m, n) · min(m, n) · m·n additions; above this it is not attempted
 * and the normal approximation is used instead (reported as 'asymptotic'; SciPy runs out of
 * memory well before this).
 */
const EXACT_MAX_WORK = 1e9;

/** scipy.special.binom(m + n, m) for integer m ≤ n (product form). */
function binomial(total: number, k: number): number {
	let r = 1;
	for (let i = 1; i <= k; i++) r = (r * (total - k + i)) / i;
	return r;
}

/**
 * P(U ≥ u) under the null for samples of sizes m and n without ties: the number of arrangements
 * with U = k is the number of partitions of k into at most m parts of size at most n, counted by
 * the (positive) recurrence f(m, n, k) = f(m − 1, n, k − n) + f(m, n − 1, k).
 */
function exactSf(u: number, m: number, n: number): number {
	const small = Math.min(m, n);
	const big = Math.max(m, n);
	const kmax = m * n - u; // sf(u) = cdf(mn − u) by symmetry
	if (kmax < 0) return 0;
	// rows[j][k] = f(j, b, k) for the current b, j = 0..small
	const rows: Float64Array[] = [];
	for (let j = 0; j <= small; j++) {
		rows.push(new Float64Array(kmax + 1));
		rows[j][0] = 1;
	}
	for (let b = 1; b <= big; b++) {
		for (let j = 1; j <= small; j++) {
			const cur = rows[j];
			const prev = rows[j - 1];
			for (let k = kmax; k >= b; k--) cur[k] += prev[k - b];
		}
	}
	let count = 0;
	for (let k = 0; k <= kmax; k++) count += rows[small][k];
	return count / binomial(m + n, small);
}

/**
 * U of x, whether any value is tied, and Σ(t³ − t) over groups of tied values, in one merge walk
 * over the two sorted samples: each x value scores the y values below it plus half of those equal.
 */
function rankSums(x: ArrayLike<number>, y: ArrayLike<number>): { u: number; ties: boolean; tieTerm: number } {
	const n1 = x.length;
	const n2 = y.length;
	let u = 0;
	let tieTerm = 0;
	let i = 0;
	let j = 0;
	while (i < n1 || j < n2) {
		const v = j >= n2 || (i < n1 && x[i] <= y[j]) ? x[i] : y[j];
		const i0 = i;
		const j0 = j;
		while (i < n1 && x[i] === v) i++;
		while (j < n2 && y[j] === v) j++;
		u += (i - i0) * (j0 + (j - j0) / 2);
		const t = i - i0 + (j - j0);
		if (t > 1) tieTerm += t * t * t - t;
	}
	return { u, ties: tieTerm > 0, tieTerm };
}

/** mannwhitneyu(x, y) on two sorted, non-empty samples without NaN (not checked). */
export function mannWhitneySorted(x: ArrayLike<number>, y: ArrayLike<number>): MannWhitneyStatistic {
	const n1 = x.length;
	const n2 = y.length;
	const { u: u1, tieTerm, ties } = rankSums(x, y);
	const u = Math.max(u1, n1 * n2 - u1);
	const wantExact = !(n1 > 8 && n2 > 8) && !ties;
	const exact = wantExact && Math.max(n1, n2) * Math.min(n1, n2) * n1 * n2 <= EXACT_MAX_WORK;
	let p: number;
	if (exact) {
		p = exactSf(Math.round(u), n1, n2);
	} else {
		const n = n1 + n2;
		const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
		p = normSf((u - (n1 * n2) / 2 - 0.5) / s);
	}
	return { statistic: u1, u: u1, pValue: Math.min(1, Math.max(0, p * 2)), method: exact ? 'exact' : 'asymptotic' };
}
