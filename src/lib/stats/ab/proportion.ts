/**
 * Two proportions: the pooled two-proportion z-test (statsmodels proportions_ztest), the
 * unpooled Wald interval of the difference (statsmodels confint_proportions_2indep(method='wald',
 * compare='diff')), relative lift and the Bayesian probability to beat control.
 */
import { ndtri } from '#lib/stats/special.ts';
import type { TestResult } from '#lib/stats/types.ts';
import { proportionsZTest } from '#lib/stats/ztest.ts';
import { probToBeat } from './bayes';
import { AbInputError } from './errors';

export interface ProportionResult extends TestResult<'pooled' | 'degenerate'> {
	pValue: number;
	/** Signed z (variant − control), pooled standard error. */
	z: number;
	/** Variant and control conversion rates. */
	rate: number;
	controlRate: number;
	difference: number;
	/** Unpooled standard error sqrt(p_v(1 − p_v)/n_v + p_c(1 − p_c)/n_c), the Wald interval's. */
	se: number;
	ciLow: number;
	ciHigh: number;
	relativeLift: number;
	/** P(p_variant > p_control) under Beta(1 + successes, 1 + failures) posteriors. */
	probToBeat: number;
	n: number;
	controlN: number;
	successes: number;
	controlSuccesses: number;
}

export function proportionTest(successes: number, n: number, controlSuccesses: number, controlN: number, alpha = 0.05): ProportionResult {
	for (const [v, what] of [
		[successes, 'variant successes'],
		[n, 'variant size'],
		[controlSuccesses, 'control successes'],
		[controlN, 'control size']
	] as const) {
		if (!(Number.isInteger(v) && v >= 0)) throw new AbInputError(`proportion test: ${what} must be a non-negative integer, got ${v}`);
	}
	if (n === 0 || controlN === 0) throw new AbInputError('proportion test: both groups must be non-empty');
	if (successes > n || controlSuccesses > controlN) throw new AbInputError('proportion test: more successes than rows');
	const z = proportionsZTest(successes, n, controlSuccesses, controlN);
	const p1 = successes / n;
	const p2 = controlSuccesses / controlN;
	const difference = p1 - p2;
	const se = Math.sqrt((p1 * (1 - p1)) / n + (p2 * (1 - p2)) / controlN);
	const crit = -ndtri(alpha / 2);
	return {
		statistic: z.statistic,
		pValue: z.pValue ?? 1,
		method: z.method,
		z: z.z,
		rate: p1,
		controlRate: p2,
		difference,
		se,
		ciLow: difference - crit * se,
		ciHigh: difference + crit * se,
		relativeLift: difference / p2,
		probToBeat: probToBeat(successes, n - successes, controlSuccesses, controlN - controlSuccesses),
		n,
		controlN,
		successes,
		controlSuccesses
	};
}
