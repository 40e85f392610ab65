/**
 * Welch's unequal-variance t-test, scipy.stats.ttest_ind(variant, control, equal_var=False)
 * (SciPy 1.10), with the confidence interval of the difference on the Welch–Satterthwaite
 * degrees of freedom (statsmodels CompareMeans.tconfint_diff(usevar='unequal')).
 */
import { stdtrit } from '#lib/stats/special.ts';
import { welchStatistic } from '#lib/stats/welch.ts';
import type { TestResult } from '#lib/stats/types.ts';
import { AbInputError } from './errors';
import { moments, type Moments } from '#lib/stats/moments.ts';

export interface WelchResult extends TestResult<'welch' | 'degenerate'> {
	pValue: number;
	/** The t statistic (variant − control); equals `statistic`. */
	t: number;
	/** Welch–Satterthwaite degrees of freedom. */
	df: number;
	mean: number;
	controlMean: number;
	difference: number;
	/** Standard error of the difference, sqrt(s²_v/n_v + s²_c/n_c). */
	se: number;
	ciLow: number;
	ciHigh: number;
	/** difference / controlMean (NaN when the control mean is 0). */
	relativeLift: number;
	n: number;
	controlN: number;
}

/**
 * Welch's test from group summaries. Both groups need n ≥ 2. When both variances are 0 the
 * statistic is undefined (SciPy: NaN): this reports method 'degenerate', p = 1 when the means are
 * equal and p = 0 otherwise, with a zero-width interval at the difference.
 */
export function welchFromMoments(variant: Moments, control: Moments, alpha = 0.05): WelchResult {
	if (variant.n < 2 || control.n < 2) throw new AbInputError('Welch test: each group needs at least 2 values');
	const { t, pValue, df, se, difference, degenerate } = welchStatistic(variant, control);
	const base = {
		mean: variant.mean,
		controlMean: control.mean,
		difference,
		se,
		df,
		relativeLift: difference / control.mean,
		n: variant.n,
		controlN: control.n,
		statistic: t,
		t,
		pValue
	};
	if (degenerate) return { ...base, method: 'degenerate', ciLow: difference, ciHigh: difference };
	const q = stdtrit(df, 1 - alpha / 2);
	return { ...base, method: 'welch', ciLow: difference - q * se, ciHigh: difference + q * se };
}

/** scipy.stats.ttest_ind(variant, control, equal_var=False) plus the Welch interval. */
export function welchTest(variant: ArrayLike<number>, control: ArrayLike<number>, alpha = 0.05): WelchResult {
	return welchFromMoments(moments(variant), moments(control), alpha);
}
