/**
 * The A/B tests one by one against SciPy 1.10 / statsmodels 0.13 (and, where no library has the
 * statistic, an independent Python reference): scripts/fixtures/generate_ab_fixtures.py.
 * Every statistic is compared to 1e-9 relative (most agree to ~1e-14).
 */
import { describe, expect, it } from 'vitest';
import {
	adjustPValues,
	cupedTest,
	effectForSampleSize,
	holm,
	mannWhitneyU,
	mcnemarExact,
	meanMde,
	meanSampleSize,
	msprt,
	normalPower,
	probToBeat,
	proportionMde,
	proportionSampleSize,
	proportionTest,
	ratioEstimate,
	ratioTest,
	sequentialPath,
	srmTest,
	welchTest,
	AbInputError
} from '#lib/stats/ab/index.ts';
import { expectClose, loadFixture, numericSample, type Sample } from '../fixtures';

const REL = 1e-9;

interface Fx {
	srm: { observed: number[]; weights: number[] | null; expected: { statistic: number; pvalue: number; f_exp: number[] } }[];
	proportion: {
		successes: number;
		n: number;
		control_successes: number;
		control_n: number;
		expected: Record<'z' | 'pvalue' | 'ci_low' | 'ci_high' | 'difference' | 'relative_lift' | 'prob_to_beat', number>;
	}[];
	welch: { variant: Sample; control: Sample; expected: Record<string, number> }[];
	mannwhitney: { variant: number[]; control: number[]; expected: { statistic: number; pvalue: number; method: string } }[];
	cuped: { variant: { y: number[]; x: number[] }; control: { y: number[]; x: number[] }; expected: Record<string, number> }[];
	multiple: { pvalues: number[]; holm: number[]; bh: number[] }[];
	ratio: {
		variant: { numerator: number[]; denominator: number[] };
		control: { numerator: number[]; denominator: number[] };
		expected: Record<string, number>;
	}[];
	sequential: {
		tau2: number;
		alpha: number;
		looks: { difference: number; variance: number }[];
		expected: Record<'lambda' | 'p_single' | 'low_single' | 'high_single' | 'p' | 'low' | 'high', number>[];
	}[];
	mcnemar: { b: number; c: number; expected: { statistic: number; pvalue: number } }[];
}
const fx = loadFixture<Fx>('ab/tests.json');
const bayes = loadFixture<{ cases: { counts: [number, number, number, number]; expected: number }[] }>('ab/bayes.json');
const power = loadFixture<{
	grid: [number, number, number, number, number][];
	sample_sizes: Record<string, number | string>[];
	mdes: Record<string, number | string>[];
}>('ab/power.json');

describe('sample-ratio mismatch vs scipy.stats.chisquare', () => {
	for (const c of fx.srm) {
		it(`${c.observed.join(' / ')}${c.weights ? ` against ${c.weights.join(':')}` : ''}`, () => {
			const r = srmTest(c.observed, c.weights ?? undefined);
			expectClose(r.statistic, c.expected.statistic, 'statistic', REL);
			expectClose(r.pValue, c.expected.pvalue, 'p-value', REL);
			r.expected.forEach((e, i) => expectClose(e, c.expected.f_exp[i], 'expected', 1e-12));
			expect(r.mismatch).toBe(c.expected.pvalue < 0.001);
			expect(r.dof).toBe(c.observed.length - 1);
		});
	}

	it('rejects a single group and bad weights', () => {
		expect(() => srmTest([10])).toThrow(AbInputError);
		expect(() => srmTest([10, 10], [1])).toThrow(/weights/);
		expect(() => srmTest([10, 10], [1, 0])).toThrow(/positive/);
	});
});

describe('proportion: statsmodels proportions_ztest, confint_proportions_2indep (wald), exact prob_to_beat', () => {
	for (const c of fx.proportion) {
		it(`${c.successes}/${c.n} vs ${c.control_successes}/${c.control_n}`, () => {
			const r = proportionTest(c.successes, c.n, c.control_successes, c.control_n);
			const e = c.expected;
			expectClose(r.z, e.z, 'z', REL);
			expectClose(r.pValue, e.pvalue, 'p-value', REL);
			expectClose(r.difference, e.difference, 'difference', REL);
			expectClose(r.ciLow, e.ci_low, 'ci_low', REL);
			expectClose(r.ciHigh, e.ci_high, 'ci_high', REL);
			expectClose(r.relativeLift, e.relative_lift, 'relative lift', REL);
			expectClose(r.probToBeat, e.prob_to_beat, 'prob_to_beat', REL);
		});
	}

	it('rejects impossible counts', () => {
		expect(() => proportionTest(11, 10, 1, 10)).toThrow(AbInputError);
		expect(() => proportionTest(1.5, 10, 1, 10)).toThrow(AbInputError);
		expect(() => proportionTest(1, 0, 1, 10)).toThrow(AbInputError);
	});
});

describe('prob_to_beat: the closed-form Beta sum vs 40-digit mpmath', () => {
	for (const c of bayes.cases) {
		it(c.counts.join(', '), () => {
			const [sv, fv, sc, fc] = c.counts;
			expectClose(probToBeat(sv, fv, sc, fc), c.expected, 'P(beat)', 1e-12);
		});
	}

	it('is symmetric: P(v > c) + P(c > v) = 1', () => {
		for (const [sv, fv, sc, fc] of [
			[10, 90, 5, 95],
			[300, 700, 310, 690],
			[0, 5, 2, 1]
		]) {
			expect(probToBeat(sv, fv, sc, fc) + probToBeat(sc, fc, sv, fv)).toBeCloseTo(1, 13);
		}
	});

	it('works for millions of users in a fraction of a second', () => {
		const t0 = performance.now();
		const p = probToBeat(520_000, 4_480_000, 500_000, 4_500_000);
		expect(performance.now() - t0).toBeLessThan(2000);
		expect(p).toBeGreaterThan(1 - 1e-12);
		const q = probToBeat(500_400, 4_499_600, 500_000, 4_500_000);
		expect(q).toBeGreaterThan(0.6);
		expect(q).toBeLessThan(0.7);
	});
});

describe('welch vs scipy.stats.ttest_ind(equal_var=False) and t.ppf', () => {
	for (const [k, c] of fx.welch.entries()) {
		it(`case ${k + 1}`, () => {
			const a = numericSample(c.variant);
			const b = numericSample(c.control);
			const r = welchTest(a, b);
			const e = c.expected;
			expect(r.method).toBe('welch');
			expectClose(r.t, e.t, 't', REL);
			expectClose(r.pValue, e.pvalue, 'p-value', REL);
			expectClose(r.df, e.df, 'df', REL);
			expectClose(r.mean, e.mean, 'mean', REL);
			expectClose(r.controlMean, e.control_mean, 'control mean', REL);
			expectClose(r.difference, e.difference, 'difference', REL);
			expectClose(r.ciLow, e.ci_low, 'ci_low', REL);
			expectClose(r.ciHigh, e.ci_high, 'ci_high', REL);
			expectClose(r.relativeLift, e.relative_lift, 'lift', REL);
		});
	}

	it('reports constant groups as degenerate', () => {
		expect(welchTest([1, 1, 1], [1, 1])).toMatchObject({ method: 'degenerate', pValue: 1, difference: 0 });
		expect(welchTest([2, 2, 2], [1, 1])).toMatchObject({ method: 'degenerate', pValue: 0, difference: 1 });
		expect(() => welchTest([1], [1, 2])).toThrow(AbInputError);
	});
});

describe('mannwhitney vs scipy.stats.mannwhitneyu (auto: exact without ties unless both n > 8)', () => {
	for (const [k, c] of fx.mannwhitney.entries()) {
		it(`case ${k + 1}: n = ${c.variant.length} / ${c.control.length}, ${c.expected.method}`, () => {
			const r = mannWhitneyU(c.variant, c.control);
			expect(r.method).toBe(c.expected.method);
			expectClose(r.statistic, c.expected.statistic, 'U', 1e-15);
			expectClose(r.pValue, c.expected.pvalue, 'p-value', REL);
		});
	}
});

describe('cuped: theta over all rows, then Welch on y′', () => {
	for (const [k, c] of fx.cuped.entries()) {
		it(`case ${k + 1}`, () => {
			const r = cupedTest(c.variant, c.control);
			const e = c.expected;
			expectClose(r.theta, e.theta, 'theta', REL);
			expectClose(r.covariateMean, e.covariate_mean, 'mean(x)', REL);
			expectClose(r.varianceReduction, e.variance_reduction, 'variance reduction', REL);
			expectClose(r.t, e.t, 't', REL);
			expectClose(r.pValue, e.pvalue, 'p-value', REL);
			expectClose(r.df, e.df, 'df', REL);
			for (const key of ['mean', 'difference', 'relative_lift', 'ci_low', 'ci_high'] as const) {
				const got = { mean: r.mean, difference: r.difference, relative_lift: r.relativeLift, ci_low: r.ciLow, ci_high: r.ciHigh }[key];
				expectClose(got, e[key], key, REL);
			}
			expectClose(r.controlMean, e.control_mean, 'control mean', REL);
		});
	}
});

describe('multiple comparisons vs statsmodels multipletests', () => {
	for (const c of fx.multiple) {
		it(c.pvalues.join(', '), () => {
			holm(c.pvalues).forEach((p, i) => expectClose(p, c.holm[i], 'holm', 1e-12));
			adjustPValues(c.pvalues, 'bh').forEach((p, i) => expectClose(p, c.bh[i], 'fdr_bh', 1e-12));
		});
	}
});

describe('ratio metrics: delta method (NumPy reference)', () => {
	for (const [k, c] of fx.ratio.entries()) {
		it(`case ${k + 1}`, () => {
			const r = ratioTest(c.variant, c.control);
			const e = c.expected;
			expectClose(ratioEstimate(c.variant).variance, e.variance, 'variance', REL);
			expectClose(ratioEstimate(c.control).variance, e.control_variance, 'control variance', REL);
			expectClose(r.ratio, e.ratio, 'ratio', REL);
			expectClose(r.controlRatio, e.control_ratio, 'control ratio', REL);
			expectClose(r.difference, e.difference, 'difference', REL);
			expectClose(r.se, e.se, 'se', REL);
			expectClose(r.z, e.z, 'z', REL);
			expectClose(r.pValue, e.pvalue, 'p', REL);
			expectClose(r.ciLow, e.ci_low, 'ci_low', REL);
			expectClose(r.ciHigh, e.ci_high, 'ci_high', REL);
			expectClose(r.relativeLift, e.relative_lift, 'lift', REL);
		});
	}
});

describe('sequential: normal-mixture mSPRT (mpmath reference)', () => {
	for (const c of fx.sequential) {
		it(`tau² = ${c.tau2}, alpha = ${c.alpha}`, () => {
			const path = sequentialPath(c.looks, { tau2: c.tau2, alpha: c.alpha });
			c.looks.forEach((look, k) => {
				const single = msprt(look.difference, look.variance, { tau2: c.tau2, alpha: c.alpha });
				const e = c.expected[k];
				expectClose(single.lambda, e.lambda, 'lambda', REL);
				expectClose(single.pValue, e.p_single, 'p', REL);
				expectClose(single.ciLow, e.low_single, 'low', REL);
				expectClose(single.ciHigh, e.high_single, 'high', REL);
				expectClose(path[k].pValue, e.p, 'running p', REL);
				expectClose(path[k].ciLow, e.low, 'running low', REL);
				expectClose(path[k].ciHigh, e.high, 'running high', REL);
			});
		});
	}

	it('is wider than the fixed-horizon interval and never widens over looks', () => {
		const looks = [100, 400, 1600, 6400].map((n) => ({ difference: 0.01, variance: 0.18 / n }));
		const path = sequentialPath(looks, { tau2: 1e-4 });
		for (let k = 1; k < path.length; k++) {
			expect(path[k].ciHigh - path[k].ciLow).toBeLessThanOrEqual(path[k - 1].ciHigh - path[k - 1].ciLow);
			expect(path[k].pValue).toBeLessThanOrEqual(path[k - 1].pValue);
		}
		const last = looks[looks.length - 1];
		expect(path[3].ciHigh - 0.01).toBeGreaterThan(1.959964 * Math.sqrt(last.variance));
		expect(() => msprt(0, 1, { tau2: 0 })).toThrow(AbInputError);
	});
});

describe('mcnemar vs statsmodels mcnemar(exact=True)', () => {
	for (const c of fx.mcnemar) {
		it(`b = ${c.b}, c = ${c.c}`, () => {
			const r = mcnemarExact(c.b, c.c);
			expect(r.statistic).toBe(c.expected.statistic);
			expectClose(r.pValue, c.expected.pvalue, 'p-value', REL);
		});
	}
});

describe('power and sample size vs statsmodels NormalIndPower', () => {
	it('power over a grid of effect sizes, n, alpha and ratio', () => {
		for (const [d, n, alpha, ratio, e] of power.grid) expectClose(normalPower(d, n, alpha, ratio), e, `d=${d} n=${n} a=${alpha} r=${ratio}`, REL);
	});

	for (const c of power.sample_sizes) {
		it(`sample size: ${c.kind} ${JSON.stringify(c)}`, () => {
			const opts = { alpha: c.alpha as number, power: c.power as number };
			const r =
				c.kind === 'proportion' ? proportionSampleSize(c.baseline as number, c.mde as number, opts) : meanSampleSize(c.sd as number, c.mde as number, opts);
			expectClose(r.effectSize, c.effect_size as number, 'effect size', 1e-12);
			expectClose(r.nExact, c.n_exact as number, 'n', REL);
			expect(r.n).toBe(c.n);
			if (c.statsmodels_solve_power !== undefined) expectClose(r.nExact, c.statsmodels_solve_power as number, 'solve_power', 1e-6);
		});
	}

	for (const c of power.mdes) {
		it(`minimum detectable effect: ${c.kind} ${JSON.stringify(c)}`, () => {
			const opts = { alpha: c.alpha as number, power: c.power as number };
			if (c.kind === 'proportion') {
				const r = proportionMde(c.baseline as number, c.n as number, opts);
				expectClose(r.effectSize, c.effect_size as number, 'h', REL);
				expectClose(r.mde, c.mde as number, 'mde', REL);
				expectClose(r.mdeDown, c.mde_down as number, 'mde down', REL);
			} else {
				const r = meanMde(c.sd as number, c.n as number, opts);
				expectClose(r.effectSize, c.effect_size as number, 'd', REL);
				expectClose(r.mde, c.mde as number, 'mde', REL);
			}
		});
	}

	it('round-trips: the MDE at the solved n is the effect asked for', () => {
		const s = proportionSampleSize(0.1, 0.01);
		expectClose(effectForSampleSize(s.nExact), s.effectSize, 'h', 1e-12);
		expect(() => proportionSampleSize(0.1, 0)).toThrow(AbInputError);
		expect(() => proportionSampleSize(0.95, 0.1)).toThrow(AbInputError);
	});
});
