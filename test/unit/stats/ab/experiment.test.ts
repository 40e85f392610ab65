/**
 * abTest on whole experiments (the CSV files the CLI tests use), against SciPy / statsmodels
 * results computed from the same files by scripts/fixtures/generate_ab_fixtures.py.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCsvColumns } from '#lib/ingest/csv/columns.ts';
import { abTest, AbInputError, type AbReport, type AbVariantReport } from '#lib/stats/ab/index.ts';
import { columnFromStrings, columnFromValues, type Column } from '#lib/stats/index.ts';
import { fisherExact } from '#lib/stats/fisher.ts';
import { expectClose, loadFixture } from '../fixtures';

const REL = 1e-9;
const DIR = fileURLToPath(new URL('../../../fixtures/stats/ab/', import.meta.url));

function csv(name: string): Record<string, Column> {
	const t = readCsvColumns(readFileSync(DIR + name, 'utf8'));
	return Object.fromEntries(t.names.map((n, i) => [n, columnFromStrings(t.columns[i])]));
}

type Expected = Record<string, number | string>;
const fx = loadFixture<{
	conversion: { control: string; srm: { statistic: number; p_value: number }; variants: Expected[] };
	revenue: {
		control: string;
		srm: { statistic: number; p_value: number };
		welch: Expected;
		cuped: Expected;
		cuped_stats: { theta: number; variance_reduction: number };
		mannwhitney: Expected;
	};
	srm: { srm: { statistic: number; p_value: number } };
}>('ab/experiments.json');

function compare(got: AbVariantReport, expected: Expected): void {
	for (const [key, value] of Object.entries(expected)) {
		if (key === 'p_value_adjusted_bh') continue;
		const actual = (got as unknown as Record<string, unknown>)[key];
		if (typeof value === 'string' || key === 'n' || key === 'control_n') expect(actual, key).toBe(value);
		else expectClose(actual as number, value, `${got.variant} ${key}`, REL);
	}
}

describe('a three-arm conversion experiment (proportion)', () => {
	const data = csv('conversion.csv');
	const report = abTest({ group: data.variant, metric: data.converted }, { control: 'A', names: { group: 'variant', metric: 'converted' } });

	it('picks the proportion test for a 0/1 metric and lists variants in order of first appearance', () => {
		expect(report.test).toBe('proportion');
		expect(report.variants.map((v) => v.variant)).toEqual(['C', 'B']);
		expect(report.groups.map((g) => g.group)).toEqual(['A', 'C', 'B']);
		expect(report.correction).toBe('holm');
		expect(JSON.parse(JSON.stringify(report))).toEqual(report);
	});

	it('matches statsmodels and the exact Beta sum, with Holm-adjusted p-values', () => {
		expectClose(report.srm.statistic, fx.conversion.srm.statistic, 'srm statistic', REL);
		expectClose(report.srm.p_value, fx.conversion.srm.p_value, 'srm p', REL);
		fx.conversion.variants.forEach((e, i) => compare(report.variants[i], e));
	});

	it('Benjamini–Hochberg on request', () => {
		const bh = abTest({ group: data.variant, metric: data.converted }, { control: 'A', correction: 'bh' });
		fx.conversion.variants.forEach((e, i) => expectClose(bh.variants[i].p_value_adjusted!, e.p_value_adjusted_bh as number, 'bh', REL));
	});

	it('never calls a winner when the interval includes 0', () => {
		for (const v of report.variants) {
			if (v.ci_low! <= 0 && v.ci_high! >= 0) expect(v.outcome).toBe('inconclusive');
		}
		expect(report.verdict.decision).toBe(
			report.variants.some((v) => v.outcome === 'better') ? 'ship' : report.variants.some((v) => v.outcome === 'worse') ? 'do_not_ship' : 'inconclusive'
		);
	});
});

describe('a two-arm revenue experiment', () => {
	const data = csv('revenue.csv');
	const run = (test: 'welch' | 'cuped' | 'mannwhitney' | 'auto') =>
		abTest({ group: data.arm, metric: data.revenue, covariate: data.pre_revenue }, { control: 'control', test });

	it('welch (the default for a continuous metric)', () => {
		const r = run('auto');
		expect(r.test).toBe('welch');
		expect(r.correction).toBeNull();
		expect(r.variants[0].p_value_adjusted).toBeUndefined();
		expect(r.variants[0].prob_to_beat).toBeUndefined();
		expectClose(r.srm.p_value, fx.revenue.srm.p_value, 'srm', REL);
		compare(r.variants[0], fx.revenue.welch);
	});

	it('cuped: theta, variance reduction and Welch on y′', () => {
		const r = run('cuped');
		expectClose(r.cuped!.theta, fx.revenue.cuped_stats.theta, 'theta', REL);
		expectClose(r.cuped!.variance_reduction, fx.revenue.cuped_stats.variance_reduction, 'reduction', REL);
		compare(r.variants[0], fx.revenue.cuped);
		expect(r.variants[0].p_value).toBeLessThan(run('welch').variants[0].p_value);
	});

	it('mannwhitney: p-value only', () => {
		const r = run('mannwhitney');
		const v = r.variants[0];
		compare(v, fx.revenue.mannwhitney);
		expect(v.mean).toBeUndefined();
		expect(v.ci_low).toBeUndefined();
		expect(v.method).toBe('asymptotic');
	});
});

describe('the verdict', () => {
	it('refuses to call a winner under a sample-ratio mismatch', () => {
		const data = csv('srm.csv');
		const r = abTest({ group: data.group, metric: data.clicked }, { control: 'A' });
		expectClose(r.srm.statistic, fx.srm.srm.statistic, 'srm', REL);
		expectClose(r.srm.p_value, fx.srm.srm.p_value, 'srm p', REL);
		expect(r.srm.mismatch).toBe(true);
		expect(r.variants[0].outcome).toBe('better'); // the comparison alone looks like a win…
		expect(r.verdict.decision).toBe('invalid'); // …but the verdict does not claim it
		expect(r.verdict.headline).toMatch(/^Do not ship: sample ratio mismatch/);
		expect(r.verdict.headline).not.toMatch(/Ship B/);
	});

	it('ships a clear winner, and respects "lower is better"', () => {
		const group = columnFromStrings([...Array(400).fill('A'), ...Array(400).fill('B')]);
		const metric = columnFromValues([
			...Array.from({ length: 400 }, (_, i) => (i % 10 === 0 ? 1 : 0)),
			...Array.from({ length: 400 }, (_, i) => (i % 4 === 0 ? 1 : 0))
		]);
		const up = abTest({ group, metric }, { control: 'A' });
		expect(up.verdict).toMatchObject({ decision: 'ship', variant: 'B' });
		expect(up.variants[0].prob_to_beat).toBeGreaterThan(0.99);
		const down = abTest({ group, metric }, { control: 'A', better: 'lower' });
		expect(down.verdict.decision).toBe('do_not_ship');
		expect(down.variants[0].outcome).toBe('worse');
	});

	it('does not claim a win when p < alpha but the interval includes 0', () => {
		// Pooled z and the unpooled Wald interval disagree at the margin for unbalanced small groups.
		const group = columnFromStrings([...Array(10).fill('A'), ...Array(200).fill('B')]);
		const metric = columnFromValues([...Array(10).fill(0), ...Array.from({ length: 200 }, (_, i) => (i < 24 ? 1 : 0))]);
		const r = abTest({ group, metric }, { control: 'A' });
		const v = r.variants[0];
		if (v.ci_low! <= 0) expect(v.outcome).toBe('inconclusive');
		expect(r.verdict.decision === 'ship').toBe(v.ci_low! > 0 && v.p_value < 0.05);
	});
});

describe('over time', () => {
	it('builds the cumulative difference and the always-valid sequence per day', () => {
		const data = csv('conversion.csv');
		const n = data.variant.values.length;
		const day = columnFromStrings(Array.from({ length: n }, (_, i) => `2026-02-${String(1 + Math.floor((i * 10) / n)).padStart(2, '0')}`));
		const r = abTest({ group: data.variant, metric: data.converted, time: day }, { control: 'A' });
		expect(r.time_unit).toBe('ms');
		const b = r.timeline!.filter((p) => p.variant === 'B');
		expect(b.length).toBe(10);
		const last = b[b.length - 1];
		const final = r.variants.find((v) => v.variant === 'B')!;
		expect(last.n).toBe(final.n);
		expectClose(last.difference, final.difference!, 'final difference', 1e-12);
		for (let k = 1; k < b.length; k++) {
			expect(b[k].seq_high - b[k].seq_low).toBeLessThanOrEqual(b[k - 1].seq_high - b[k - 1].seq_low);
			expect(b[k].seq_low).toBeLessThanOrEqual(b[k].ci_low + 1e-12);
		}
		expect(final.sequential).toMatchObject({ looks: 10, ci_low: last.seq_low, ci_high: last.seq_high });
	});
});

describe('bad input', () => {
	const group = columnFromStrings(['A', 'B', 'A', 'B', 'A']);
	it('names the problem', () => {
		expect(() => abTest({ group, metric: columnFromValues([1, 0, 1, 0, 1]) }, { control: 'Z' })).toThrow(/control "Z" is not a value/);
		expect(() => abTest({ group, metric: columnFromStrings(['1', '2', 'x', '3', '4']) }, { control: 'A' })).toThrow(/"x" is not a number \(row 3\)/);
		expect(() => abTest({ group: columnFromStrings(['A', 'A', 'B']), metric: columnFromValues([1, 2, 3]) }, { control: 'A' })).toThrow(/group "B" has 1 row/);
		expect(() => abTest({ group, metric: columnFromValues([1, 2, 3, 4, 5]) }, { control: 'A', test: 'proportion' })).toThrow(/0\/1 metric/);
		expect(() => abTest({ group, metric: columnFromValues([1, 2, 3, 4, 5]) }, { control: 'A', test: 'cuped' })).toThrow(/covariate/);
		expect(() => abTest({ group, metric: columnFromValues([1, 2, 3, 4, 5]) }, { control: 'A' })).not.toThrow();
	});

	it('drops rows with a missing group or metric and counts them', () => {
		const r: AbReport = abTest(
			{ group: columnFromStrings(['A', 'B', '', 'A', 'B', 'A', 'B']), metric: columnFromStrings(['1', '2', '3', 'NA', '4', '5', '6']) },
			{ control: 'A' }
		);
		expect(r.dropped_rows).toBe(2);
		expect(r.groups).toEqual([
			{ group: 'A', n: 2, mean: 3 },
			{ group: 'B', n: 3, mean: 4 }
		]);
	});

	it('is an AbInputError', () => {
		try {
			abTest({ group, metric: columnFromValues([1, 0, 1, 0, 1]) }, { control: 'Z' });
		} catch (error) {
			expect(error).toBeInstanceOf(AbInputError);
		}
	});
});

describe('small samples (proportion test)', () => {
	// 3 of 18 conversions in control against 9 of 14 in the variant: too few for the normal approximation.
	function smallExperiment(): AbReport {
		const group = [...Array(18).fill('A'), ...Array(14).fill('B')];
		const metric = [...Array(18)].map((_, i) => (i < 3 ? 1 : 0)).concat([...Array(14)].map((_, i) => (i < 9 ? 1 : 0)));
		const time = group.map((_, i) => i);
		return abTest({ group: columnFromValues(group), metric: columnFromValues(metric), time: columnFromValues(time) }, { control: 'A', timeUnit: 'number' });
	}

	it('says the normal approximation is unreliable and gives the exact test', () => {
		const report = smallExperiment();
		const b = report.variants[0];
		expect(b.small_sample).toMatchObject({ count: 3, counted: 'conversions for A' });
		expect(b.small_sample!.exact_p_value).toBe(fisherExact(9, 5, 3, 15).pValue);
		expect(b.reading).toContain('Small sample: only 3 conversions for A (fewer than 5)');
		expect(b.reading).toContain("Fisher's exact test gives p = 0.01");
		expect(report.verdict.headline).toMatch(/^Ship B, with caution \(small sample\)\./);
	});

	it('lets the exact test decide when it is the larger p-value', () => {
		// 2/10 against 6/10: the z-test says p = 0.058... borderline; with alpha 0.1 z is significant, Fisher is not.
		const group = [...Array(10).fill('A'), ...Array(10).fill('B')];
		const metric = [...Array(10)].map((_, i) => (i < 2 ? 1 : 0)).concat([...Array(10)].map((_, i) => (i < 6 ? 1 : 0)));
		const report = abTest({ group: columnFromValues(group), metric: columnFromValues(metric) }, { control: 'A', alpha: 0.1 });
		const b = report.variants[0];
		expect(b.p_value).toBeLessThan(0.1);
		expect(b.small_sample!.exact_p_value).toBeGreaterThan(0.1);
		expect(b.significant).toBe(false);
		expect(report.verdict.decision).toBe('inconclusive');
	});

	it('keeps the sequential interval of a difference of rates within [−1, 1]', () => {
		const report = smallExperiment();
		const seq = report.variants[0].sequential!;
		expect(seq.ci_low).toBeGreaterThanOrEqual(-1);
		expect(seq.ci_high).toBeLessThanOrEqual(1);
		for (const point of report.timeline!) {
			expect(point.seq_low).toBeGreaterThanOrEqual(-1);
			expect(point.seq_high).toBeLessThanOrEqual(1);
		}
	});

	it('leaves large samples alone', () => {
		const group = [...Array(200).fill('A'), ...Array(200).fill('B')];
		const metric = group.map((g, i) => (i % 200 < (g === 'A' ? 40 : 60) ? 1 : 0));
		expect(abTest({ group: columnFromValues(group), metric: columnFromValues(metric) }, { control: 'A' }).variants[0].small_sample).toBeUndefined();
	});
});
