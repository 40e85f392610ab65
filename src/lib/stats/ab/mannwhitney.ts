/**
 * Mann–Whitney U test, scipy.stats.mannwhitneyu(variant, control) with its defaults (SciPy 1.10:
 * use_continuity=True, alternative='two-sided', method='auto').
 *
 * 'auto' chooses the exact null distribution unless both samples have more than 8 values, and
 * only when there are no ties; otherwise the normal approximation with the tie-corrected
 * variance and the continuity correction. The reported statistic is U of the variant sample.
 */
import { normSf } from '#lib/stats/special.ts';
import type { TestResult } from '#lib/stats/types.ts';
import { AbInputError } from './errors';

export interface MannWhitneyResult extends TestResult<'exact' | 'asymptotic'> {
	pValue: number;
	/** U of the variant sample: pairs (variant, control) with variant > control, ties counting ½. */
	u: number;
	/** U / (n_v · n_c): the probability that a variant value exceeds a control value (ties ½). */
	probabilityOfSuperiority: number;
	n: number;
	controlN: number;
}

/**
 * The exact distribution costs max(m, n) · min(m, n) · m·n additions; above this it is not attempted
 * and the normal approximation is used instead (reported as 'asymptotic'; SciPy runs out of
 * memory well before this).
 */
const EXACT_MAX_WORK = 1e9;

/** Average ranks (1-based) of the concatenation, and Σ(t³ − t) over groups of ties. */
function rank(values: Float64Array): { ranks: Float64Array; tieTerm: number; ties: boolean } {
	const n = values.length;
	const order = new Uint32Array(n);
	for (let i = 0; i < n; i++) order[i] = i;
	order.sort((a, b) => values[a] - values[b]);
	const ranks = new Float64Array(n);
	let tieTerm = 0;
	let ties = false;
	for (let i = 0; i < n;) {
		let j = i + 1;
		while (j < n && values[order[j]] === values[order[i]]) j++;
		const r = (i + 1 + j) / 2; // average of ranks i+1 .. j
		for (let k = i; k < j; k++) ranks[order[k]] = r;
		const t = j - i;
		if (t > 1) {
			ties = true;
			tieTerm += t * t * t - t;
		}
		i = j;
	}
	return { ranks, tieTerm, ties };
}

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

export function mannWhitneyU(variant: ArrayLike<number>, control: ArrayLike<number>): MannWhitneyResult {
	const n1 = variant.length;
	const n2 = control.length;
	if (n1 === 0 || n2 === 0) throw new AbInputError('Mann–Whitney test: both samples must be non-empty');
	const xy = new Float64Array(n1 + n2);
	for (let i = 0; i < n1; i++) xy[i] = variant[i];
	for (let i = 0; i < n2; i++) xy[n1 + i] = control[i];
	if (xy.some((v) => Number.isNaN(v))) throw new AbInputError('Mann–Whitney test: values must not be NaN');
	const { ranks, tieTerm, ties } = rank(xy);
	let r1 = 0;
	for (let i = 0; i < n1; i++) r1 += ranks[i];
	const u1 = r1 - (n1 * (n1 + 1)) / 2;
	const u2 = n1 * n2 - u1;
	const u = Math.max(u1, u2);
	const wantExact = !(n1 > 8 && n2 > 8) && !ties;
	const small = Math.min(n1, n2);
	const exact = wantExact && Math.max(n1, n2) * small * n1 * n2 <= EXACT_MAX_WORK;
	let p: number;
	if (exact) {
		p = exactSf(Math.round(u), n1, n2);
	} else {
		const n = n1 + n2;
		const mu = (n1 * n2) / 2;
		const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
		const z = (u - mu - 0.5) / s;
		p = normSf(z);
	}
	p = Math.min(1, Math.max(0, p * 2));
	return {
		statistic: u1,
		pValue: p,
		method: exact ? 'exact' : 'asymptotic',
		u: u1,
		probabilityOfSuperiority: u1 / (n1 * n2),
		n: n1,
		controlN: n2
	};
}
