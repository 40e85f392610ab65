/**
 * CUPED (Deng et al. 2013): adjust the metric y with a pre-experiment covariate x,
 * y' = y − θ·(x − mean(x)) with θ = cov(y, x) / var(x) (ddof = 1) over all rows of all groups, then
 * compare y' between groups with Welch's test. The adjustment removes the part of y's variance
 * that x explains (a fraction corr(x, y)² of it) without moving the group means' expectations,
 * because x was measured before assignment.
 */
import { AbInputError } from './errors';
import { covariance, mean, variance } from '#lib/stats/moments.ts';
import { welchTest, type WelchResult } from './welch';

export interface CupedAdjustment {
	/** θ = cov(y, x) / var(x). */
	theta: number;
	/** mean(x) over all rows. */
	covariateMean: number;
	/** 1 − var(y') / var(y) over all rows. */
	varianceReduction: number;
	/** y' for every row, in input order. */
	adjusted: Float64Array;
}

/** θ and y' over all rows (rows with a missing y or x must be dropped before). */
export function cupedAdjust(y: ArrayLike<number>, x: ArrayLike<number>): CupedAdjustment {
	const n = y.length;
	if (x.length !== n) throw new AbInputError('CUPED: metric and covariate must have the same length');
	if (n < 2) throw new AbInputError('CUPED: needs at least 2 rows');
	const vx = variance(x);
	if (!(vx > 0)) throw new AbInputError('CUPED: the covariate is constant, so it cannot explain any variance');
	const theta = covariance(y, x) / vx;
	const mx = mean(x);
	const adjusted = new Float64Array(n);
	for (let i = 0; i < n; i++) adjusted[i] = y[i] - theta * (x[i] - mx);
	const vy = variance(y);
	return { theta, covariateMean: mx, varianceReduction: 1 - variance(adjusted) / vy, adjusted };
}

export interface CupedResult extends WelchResult {
	theta: number;
	covariateMean: number;
	varianceReduction: number;
}

/** Two groups: θ over both groups' rows, then Welch on y' (means, difference, CI and lift are of y'). */
export function cupedTest(
	variant: { y: ArrayLike<number>; x: ArrayLike<number> },
	control: { y: ArrayLike<number>; x: ArrayLike<number> },
	alpha = 0.05
): CupedResult {
	const nv = variant.y.length;
	const y = Float64Array.from([...Array.from(variant.y), ...Array.from(control.y)]);
	const x = Float64Array.from([...Array.from(variant.x), ...Array.from(control.x)]);
	const adj = cupedAdjust(y, x);
	const r = welchTest(adj.adjusted.subarray(0, nv), adj.adjusted.subarray(nv), alpha);
	return { ...r, theta: adj.theta, covariateMean: adj.covariateMean, varianceReduction: adj.varianceReduction };
}
