/**
 * Welch's unequal-variance t statistic, scipy.stats.ttest_ind(a, b, equal_var=False) (SciPy 1.10):
 * t = (mean_a − mean_b) / sqrt(s²_a/n_a + s²_b/n_b) on the Welch–Satterthwaite degrees of freedom,
 * two-sided p = 2·stdtr(df, −|t|). The A/B test (ab/welch.ts) and the drift report's `ttest` both
 * use it.
 */
import type { Moments } from './moments';
import { stdtr } from './special';

export interface WelchStatistic {
	/** (mean_a − mean_b) / se; ±Infinity or 0 when both variances are 0 (`degenerate`). */
	t: number;
	pValue: number;
	/** Welch–Satterthwaite degrees of freedom (1 when undefined, as SciPy). */
	df: number;
	/** sqrt(s²_a/n_a + s²_b/n_b). */
	se: number;
	difference: number;
	/**
	 * Both variances are 0: SciPy answers NaN; here p = 1 when the means are equal and 0
	 * otherwise, so that a verdict can be given.
	 */
	degenerate: boolean;
}

/** Welch's test from the two groups' sizes, means and sample variances (ddof = 1); both n ≥ 2 (not checked). */
export function welchStatistic(a: Moments, b: Moments): WelchStatistic {
	const vn1 = a.variance / a.n;
	const vn2 = b.variance / b.n;
	let df = (vn1 + vn2) ** 2 / ((vn1 * vn1) / (a.n - 1) + (vn2 * vn2) / (b.n - 1));
	if (Number.isNaN(df)) df = 1;
	const se = Math.sqrt(vn1 + vn2);
	const difference = a.mean - b.mean;
	if (se === 0) {
		const t = difference === 0 ? 0 : Math.sign(difference) * Infinity;
		return { t, pValue: difference === 0 ? 1 : 0, df, se, difference, degenerate: true };
	}
	const t = difference / se;
	return { t, pValue: stdtr(df, -Math.abs(t)) * 2, df, se, difference, degenerate: false };
}
