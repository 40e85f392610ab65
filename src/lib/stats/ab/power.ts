/**
 * Power and sample size for a two-sided test of two independent groups, as statsmodels
 * NormalIndPower (a z-test on a standardized effect size):
 *
 *   power(d, n₁) = Φ(−z_{1−α/2} + d·√ñ) + Φ(z_{α/2} − d·√ñ),  ñ = 1 / (1/n₁ + 1/(ratio·n₁)).
 *
 * Proportions use Cohen's h = 2·asin√p₂ − 2·asin√p₁ as the effect size (statsmodels
 * proportion_effectsize); means use d = MDE / σ. Sample sizes solve power = target to full double
 * precision (statsmodels' solve_power stops earlier); the normal approximation is slightly
 * optimistic for means below ~30 rows per group, where a t-test has less power.
 */
import { ndtr, ndtri } from '#lib/stats/special.ts';
import { AbInputError } from './errors';

export interface PowerOptions {
	/** Two-sided significance level (default 0.05). */
	alpha?: number;
	/** Target power, 1 − β (default 0.8). */
	power?: number;
	/** Size of the second group relative to the first (default 1). */
	ratio?: number;
}

function check(value: number, what: string, lo: number, hi: number): void {
	if (!(value > lo && value < hi)) throw new AbInputError(`${what} must be between ${lo} and ${hi} (exclusive), got ${value}`);
}

/** statsmodels NormalIndPower().power(effect_size, nobs1, alpha, ratio), two-sided. */
export function normalPower(effectSize: number, nobs1: number, alpha = 0.05, ratio = 1): number {
	const nobs = ratio > 0 ? 1 / (1 / nobs1 + 1 / (nobs1 * ratio)) : nobs1;
	const shift = effectSize * Math.sqrt(nobs);
	const crit = -ndtri(alpha / 2);
	return ndtr(-(crit - shift)) + ndtr(ndtri(alpha / 2) - shift);
}

/** The x in [lo, hi] where the increasing f crosses `target`, by bisection to the last bit. */
function solveIncreasing(f: (x: number) => number, target: number, lo0: number, hi0: number): number {
	let lo = lo0;
	let hi = hi0;
	while (f(hi) < target) {
		lo = hi;
		hi *= 2;
		if (!Number.isFinite(hi)) return Infinity;
	}
	for (let i = 0; i < 2000; i++) {
		const mid = 0.5 * (lo + hi);
		if (mid <= lo || mid >= hi) break;
		if (f(mid) < target) lo = mid;
		else hi = mid;
	}
	return Math.abs(f(lo) - target) <= Math.abs(f(hi) - target) ? lo : hi;
}

export interface SampleSize {
	/** Rows in the first group, rounded up. */
	n: number;
	/** The exact (fractional) solution. */
	nExact: number;
	/** The second group's size, ceil(ratio · nExact). */
	n2: number;
	effectSize: number;
}

/** Rows per group for a standardized effect size |d| to be detected with the given power. */
export function sampleSizeForEffect(effectSize: number, options: PowerOptions = {}): SampleSize {
	const { alpha = 0.05, power = 0.8, ratio = 1 } = options;
	check(alpha, 'alpha', 0, 1);
	check(power, 'power', alpha, 1);
	const d = Math.abs(effectSize);
	if (!(d > 0 && Number.isFinite(d))) throw new AbInputError('the effect size must be a non-zero number');
	const nExact = solveIncreasing((n) => normalPower(d, n, alpha, ratio), power, 1e-9, 1);
	return { n: Math.ceil(nExact), nExact, n2: Math.ceil(ratio * nExact), effectSize: d };
}

/** The smallest standardized effect size |d| detected with the given power at n₁ rows. */
export function effectForSampleSize(n: number, options: PowerOptions = {}): number {
	const { alpha = 0.05, power = 0.8, ratio = 1 } = options;
	check(alpha, 'alpha', 0, 1);
	check(power, 'power', alpha, 1);
	if (!(n > 0 && Number.isFinite(n))) throw new AbInputError(`the sample size must be a positive number, got ${n}`);
	return solveIncreasing((d) => normalPower(d, n, alpha, ratio), power, 0, 1);
}

/** Cohen's h for a change from p1 to p2 (statsmodels proportion_effectsize(p2, p1)). */
export function cohensH(p2: number, p1: number): number {
	return 2 * (Math.asin(Math.sqrt(p2)) - Math.asin(Math.sqrt(p1)));
}

export interface ProportionSampleSize extends SampleSize {
	baseline: number;
	/** Absolute change of the rate to detect. */
	mde: number;
}

/** Rows per group to detect a change of the conversion rate from `baseline` to baseline + mde. */
export function proportionSampleSize(baseline: number, mde: number, options: PowerOptions = {}): ProportionSampleSize {
	check(baseline, 'the baseline rate', 0, 1);
	check(baseline + mde, 'baseline + mde', 0, 1);
	return { ...sampleSizeForEffect(cohensH(baseline + mde, baseline), options), baseline, mde };
}

export interface ProportionMde {
	baseline: number;
	n: number;
	effectSize: number;
	/** Smallest detectable increase of the rate (absolute). */
	mde: number;
	/** Smallest detectable decrease of the rate (absolute, negative), when the rate can fall that far. */
	mdeDown: number;
	/** mde / baseline. */
	relativeMde: number;
}

/** The smallest change of a `baseline` rate detectable with n rows per group. */
export function proportionMde(baseline: number, n: number, options: PowerOptions = {}): ProportionMde {
	check(baseline, 'the baseline rate', 0, 1);
	const h = effectForSampleSize(n, options);
	const phi = Math.asin(Math.sqrt(baseline));
	const up = phi + h / 2 <= Math.PI / 2 ? Math.sin(phi + h / 2) ** 2 - baseline : NaN;
	const down = phi - h / 2 >= 0 ? Math.sin(phi - h / 2) ** 2 - baseline : NaN;
	return { baseline, n, effectSize: h, mde: up, mdeDown: down, relativeMde: up / baseline };
}

export interface MeanSampleSize extends SampleSize {
	sd: number;
	mde: number;
}

/** Rows per group to detect a difference of means `mde` for a metric with standard deviation sd. */
export function meanSampleSize(sd: number, mde: number, options: PowerOptions = {}): MeanSampleSize {
	if (!(sd > 0)) throw new AbInputError(`the standard deviation must be positive, got ${sd}`);
	return { ...sampleSizeForEffect(mde / sd, options), sd, mde };
}

/** The smallest difference of means (in the metric's units) detectable with n rows per group. */
export function meanMde(sd: number, n: number, options: PowerOptions = {}): { sd: number; n: number; effectSize: number; mde: number } {
	if (!(sd > 0)) throw new AbInputError(`the standard deviation must be positive, got ${sd}`);
	const d = effectForSampleSize(n, options);
	return { sd, n, effectSize: d, mde: d * sd };
}
