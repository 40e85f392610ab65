/**
 * Ratio metrics (clicks per view, revenue per session…) compared with the delta method.
 *
 * Each row is one randomization unit (a user) with a numerator N and a denominator D; a group's
 * metric is R = ΣN / ΣD = mean(N) / mean(D). Because rows, not events, are independent, the
 * variance of R follows from a first-order Taylor expansion (Deng, Knoblich & Lu, KDD 2018):
 *
 *   Var(R) ≈ [ s²_N − 2·R·s_ND + R²·s²_D ] / (n · mean(D)²),   (sample moments, ddof = 1)
 *
 * and the two groups are compared with a z-test and a normal (Wald) interval on R_v − R_c.
 */
import { ndtri, normSf } from '#lib/stats/special.ts';
import type { TestResult } from '#lib/stats/types.ts';
import { AbInputError } from './errors';
import { covariance, mean, variance } from '#lib/stats/moments.ts';

export interface RatioSample {
	numerator: ArrayLike<number>;
	denominator: ArrayLike<number>;
}

export interface RatioEstimate {
	n: number;
	ratio: number;
	/** Delta-method variance of the ratio. */
	variance: number;
}

export interface RatioResult extends TestResult<'delta'> {
	pValue: number;
	z: number;
	ratio: number;
	controlRatio: number;
	difference: number;
	se: number;
	ciLow: number;
	ciHigh: number;
	relativeLift: number;
	n: number;
	controlN: number;
}

export function ratioEstimate({ numerator, denominator }: RatioSample): RatioEstimate {
	const n = numerator.length;
	if (denominator.length !== n) throw new AbInputError('ratio metric: numerator and denominator must have the same length');
	if (n < 2) throw new AbInputError('ratio metric: each group needs at least 2 rows');
	const mn = mean(numerator);
	const md = mean(denominator);
	if (md === 0) throw new AbInputError('ratio metric: the denominator sums to 0');
	const r = mn / md;
	const v = (variance(numerator) - 2 * r * covariance(numerator, denominator) + r * r * variance(denominator)) / (n * md * md);
	return { n, ratio: r, variance: v };
}

export function ratioTest(variant: RatioSample, control: RatioSample, alpha = 0.05): RatioResult {
	const v = ratioEstimate(variant);
	const c = ratioEstimate(control);
	const difference = v.ratio - c.ratio;
	const se = Math.sqrt(v.variance + c.variance);
	const z = se > 0 ? difference / se : difference === 0 ? 0 : Math.sign(difference) * Infinity;
	const crit = -ndtri(alpha / 2);
	return {
		statistic: z,
		pValue: Math.min(1, 2 * normSf(Math.abs(z))),
		method: 'delta',
		z,
		ratio: v.ratio,
		controlRatio: c.ratio,
		difference,
		se,
		ciLow: difference - crit * se,
		ciHigh: difference + crit * se,
		relativeLift: difference / c.ratio,
		n: v.n,
		controlN: c.n
	};
}
