/**
 * Sample-ratio mismatch: Pearson's chi-square goodness of fit of the observed group sizes to the
 * planned split, scipy.stats.chisquare(observed, total · weights / Σ weights). A mismatch (by
 * convention p < 0.001) means assignment or logging is broken, and no comparison is trustworthy.
 */
import { pairwiseSum } from '#lib/stats/float.ts';
import { chi2Sf } from '#lib/stats/special.ts';
import type { TestResult } from '#lib/stats/types.ts';
import { AbInputError } from './errors';

/** The p-value below which the split is flagged. */
export const SRM_THRESHOLD = 0.001;

export interface SrmResult extends TestResult<'chisquare'> {
	pValue: number;
	/** Degrees of freedom, groups − 1. */
	dof: number;
	/** Expected group sizes under the planned split. */
	expected: number[];
	/** pValue < SRM_THRESHOLD. */
	mismatch: boolean;
}

/** `observed[i]` rows in group i against a split proportional to `weights` (default: equal). */
export function srmTest(observed: readonly number[], weights?: readonly number[]): SrmResult {
	const k = observed.length;
	if (k < 2) throw new AbInputError('sample-ratio check: needs at least two groups');
	const w = weights ?? observed.map(() => 1);
	if (w.length !== k) throw new AbInputError(`sample-ratio check: ${w.length} weights for ${k} groups`);
	if (w.some((x) => !(x > 0 && Number.isFinite(x)))) throw new AbInputError('sample-ratio check: weights must be positive numbers');
	const total = pairwiseSum(observed);
	const wsum = pairwiseSum(w);
	const expected = w.map((x) => (total * x) / wsum);
	const terms = observed.map((o, i) => ((o - expected[i]) * (o - expected[i])) / expected[i]);
	const statistic = pairwiseSum(terms);
	const pValue = chi2Sf(statistic, k - 1);
	return { statistic, pValue, method: 'chisquare', dof: k - 1, expected, mismatch: pValue < SRM_THRESHOLD };
}
