/**
 * Pearson chi-squared test of homogeneity on a 2×K contingency table,
 * scipy.stats.chi2_contingency(table, correction=False) (SciPy 1.10).
 */

import { pairwiseSum } from './float';
import { chi2Sf } from './special';
import type { TestResult } from './types';

export interface ChiSquareResult extends TestResult<'pearson'> {
	/** Degrees of freedom, (2 - 1)·(K - 1). */
	dof: number;
	/** Cramér's V = sqrt(chi2 / (N · (min(2, K) - 1))); 0 when K = 1. */
	cramersV: number;
}

/**
 * chi2_contingency([reference, current], correction=False) where `reference`
 * and `current` hold the counts of the same K categories. Categories absent
 * from both samples must not be passed (SciPy raises on a zero expected
 * frequency; so does this function).
 */
export function chiSquareContingency(reference: ArrayLike<number>, current: ArrayLike<number>): ChiSquareResult {
	const k = reference.length;
	if (current.length !== k) throw new Error('chisquare: count vectors must have the same length');
	if (k === 0) throw new Error('chisquare: no categories');
	let r0 = 0;
	let r1 = 0;
	for (let j = 0; j < k; j++) {
		if (!(reference[j] >= 0) || !(current[j] >= 0)) throw new Error('chisquare: counts must be non-negative');
		r0 += reference[j];
		r1 += current[j];
	}
	const total = r0 + r1;
	const colSums = new Float64Array(k);
	for (let j = 0; j < k; j++) colSums[j] = reference[j] + current[j];
	// expected = outer(row sums, column sums) / total, zeros rejected as in SciPy
	const terms = new Float64Array(2 * k);
	for (let i = 0; i < 2; i++) {
		const rowSum = i === 0 ? r0 : r1;
		const obs = i === 0 ? reference : current;
		for (let j = 0; j < k; j++) {
			const expected = (rowSum * colSums[j]) / total;
			if (expected === 0) {
				throw new Error(`chisquare: the table of expected frequencies has a zero element at (${i}, ${j})`);
			}
			const d = obs[j] - expected;
			terms[i * k + j] = (d * d) / expected;
		}
	}
	const dof = k - 1;
	if (dof === 0) return { statistic: 0, pValue: 1, method: 'pearson', dof, cramersV: 0 };
	const chi2 = pairwiseSum(terms);
	return {
		statistic: chi2,
		pValue: chi2Sf(chi2, dof),
		method: 'pearson',
		dof,
		cramersV: Math.sqrt(chi2 / total)
	};
}
