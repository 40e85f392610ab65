import { describe, expect, it } from 'vitest';
import { columnFromStrings, driftReport, driftReportAsync, type Column, type DriftReport } from '#lib/stats/index.ts';
import { expectClose, loadFixture } from './fixtures';

interface Expected {
	kind: string;
	reference: { count: number; missing: number };
	current: { count: number; missing: number };
	[method: string]: unknown;
}
const fx = loadFixture<{
	reference: Record<string, string[]>;
	current: Record<string, string[]>;
	expected: Record<string, Expected>;
}>('drift.json');

const toColumns = (data: Record<string, string[]>): Record<string, Column> =>
	Object.fromEntries(Object.entries(data).map(([k, v]) => [k, columnFromStrings(v)]));
const reference = toColumns(fx.reference);
const current = toColumns(fx.current);
const ALL = ['ks', 'wasserstein', 'wasserstein_norm', 'psi', 'jensenshannon', 'hellinger', 'chisquare', 'ztest', 'fisher_exact'];

describe('driftReport', () => {
	it('returns the documented JSON shape, in column and key order', () => {
		const report = driftReport(reference, current);
		expect(JSON.parse(JSON.stringify(report))).toEqual(report);
		expect(Object.keys(report)).toEqual(['columns', 'drifted_columns', 'tested_columns', 'share', 'dataset_drift']);
		expect(report.columns.map((c) => c.column)).toEqual(Object.keys(fx.reference));
		for (const col of report.columns) {
			expect(Object.keys(col)).toEqual(['column', 'kind', 'reference', 'current', 'tests', 'drifted', 'kind_reason']);
			expect(col.tests).toHaveLength(1);
			const t = col.tests[0];
			expect(Object.keys(t).slice(0, 5)).toEqual(['method', 'statistic', 'p_value', 'threshold', 'drifted']);
			expect(typeof t.reading).toBe('string');
			expect(t.reading!.length).toBeGreaterThan(20);
			expect(col.drifted).toBe(t.drifted);
		}
		const drifted = report.columns.filter((c) => c.drifted).length;
		expect(report.drifted_columns).toBe(drifted);
		expect(report.share).toBe(drifted / report.columns.length);
		expect(report.dataset_drift).toBe(report.share >= 0.5);
	});

	it('detects kinds and counts like the reference implementation', () => {
		const report = driftReport(reference, current);
		for (const col of report.columns) {
			const e = fx.expected[col.column];
			expect(col.kind, col.column).toBe(e.kind);
			expect(col.reference, col.column).toEqual(e.reference);
			expect(col.current, col.column).toEqual(e.current);
		}
	});

	it('auto picks ks / ztest / chisquare up to 1000 reference rows, else wasserstein_norm / jensenshannon', () => {
		const report = driftReport(reference, current);
		const picked = Object.fromEntries(report.columns.map((c) => [c.column, c.tests[0].method]));
		expect(picked).toEqual({
			age: 'ks',
			income: 'wasserstein_norm',
			plan: 'chisquare',
			churned: 'ztest',
			rating: 'chisquare',
			country: 'chisquare',
			segment: 'jensenshannon'
		});
		const ks = report.columns[0].tests[0];
		expect(ks.method_detail).toBe('exact');
		expect(ks.effect_size).toBe(ks.statistic);
	});

	it('computes every applicable method, in the order asked, matching SciPy', () => {
		const report = driftReport(reference, current, { methods: ALL });
		for (const col of report.columns) {
			const e = fx.expected[col.column];
			const applicable = ALL.filter((m) => m in e || (m === 'wasserstein' && col.kind === 'numerical'));
			expect(
				col.tests.map((t) => t.method),
				col.column
			).toEqual(applicable);
			for (const t of col.tests) {
				const exp = e[t.method] as number | { statistic: number; pvalue: number } | undefined;
				if (exp === undefined) continue;
				const label = `${col.column}/${t.method}`;
				if (typeof exp === 'number') {
					expectClose(t.statistic, exp, label, 1e-12);
					expect(t.p_value).toBeNull();
				} else {
					expectClose(t.statistic, exp.statistic, label, 1e-12);
					expectClose(t.p_value ?? NaN, exp.pvalue, `${label} p`, 1e-9);
				}
			}
			expect(col.drifted).toBe(col.tests[0].drifted);
		}
	});

	it('applies default thresholds (p < 0.05, distance >= 0.1) and a user override', () => {
		const report = driftReport(reference, current, { methods: ['ks', 'psi', 'chisquare'] });
		for (const col of report.columns) {
			for (const t of col.tests) {
				if (t.p_value !== null) {
					expect(t.threshold).toBe(0.05);
					expect(t.drifted).toBe(t.p_value < 0.05);
				} else {
					expect(t.threshold).toBe(0.1);
					expect(t.drifted).toBe(t.statistic >= 0.1);
				}
			}
		}
		const strict = driftReport(reference, current, { methods: ['ks', 'psi'], threshold: 1 });
		for (const col of strict.columns) {
			for (const t of col.tests) {
				expect(t.threshold).toBe(1);
				expect(t.drifted).toBe(t.p_value !== null ? t.p_value < 1 : t.statistic >= 1);
			}
		}
	});

	it('restricts and orders columns with options.columns', () => {
		const report = driftReport(reference, current, { columns: ['plan', 'age'] });
		expect(report.columns.map((c) => c.column)).toEqual(['plan', 'age']);
	});

	it('throws errors naming the unknown column or method, or the empty column', () => {
		expect(() => driftReport(reference, current, { columns: ['nope'] })).toThrow(/"nope"/);
		expect(() => driftReport(reference, { age: current.age }, { columns: ['age', 'plan'] })).toThrow(/"plan"/);
		expect(() => driftReport(reference, current, { methods: ['auto', 'kolmogorov'] })).toThrow(/"kolmogorov"/);
		const empty = { x: columnFromStrings(['1', '2']), y: columnFromStrings(['', 'NA']) };
		expect(() => driftReport(empty, { x: columnFromStrings(['NA']), y: columnFromStrings(['1']) })).toThrow(/"x".*current/);
		expect(() => driftReport({ y: empty.y }, { y: columnFromStrings(['1']) })).toThrow(/"y".*reference/);
	});

	it('reports progress per column and honours an abort signal between columns', () => {
		const calls: [number, number][] = [];
		driftReport(reference, current, { onProgress: (d, t) => calls.push([d, t]) });
		expect(calls).toEqual([1, 2, 3, 4, 5, 6, 7].map((d) => [d, 7]));

		const aborted = new AbortController();
		aborted.abort();
		expect(() => driftReport(reference, current, { signal: aborted.signal })).toThrow();

		const controller = new AbortController();
		let done = 0;
		expect(() =>
			driftReport(reference, current, {
				signal: controller.signal,
				onProgress: (d) => {
					done = d;
					if (d === 2) controller.abort(new Error('stop here'));
				}
			})
		).toThrow('stop here');
		expect(done).toBe(2);
	});

	it('has an async variant with the same result', async () => {
		const sync = driftReport(reference, current, { methods: ['auto', 'psi'] });
		const asyncReport: DriftReport = await driftReportAsync(reference, current, { methods: ['auto', 'psi'] });
		expect(asyncReport).toEqual(sync);
	});

	it('handles single-value columns, missing values and tiny samples', () => {
		const r = {
			flag: columnFromStrings(['a', 'a', 'a']),
			one: columnFromStrings(['1']),
			mixed: columnFromStrings(['x', '', 'y', 'z'])
		};
		const c = {
			flag: columnFromStrings(['a']),
			one: columnFromStrings(['2', '3', '4', '5', '6']),
			mixed: columnFromStrings(['NA', 'x'])
		};
		const report = driftReport(r, c, { methods: ['auto', 'chisquare', 'ztest', 'fisher_exact', 'psi'] });
		expect(JSON.parse(JSON.stringify(report))).toEqual(report);
		const flag = report.columns[0];
		expect(flag.kind).toBe('binary');
		expect(flag.tests.map((t) => [t.method, t.statistic, t.p_value])).toEqual([
			['ztest', 0, 1],
			['chisquare', 0, 1],
			['ztest', 0, 1],
			// SciPy's odds ratio is NaN here: the report uses the +0.5 (Haldane) odds ratio
			['fisher_exact', (3.5 * 0.5) / (0.5 * 1.5), 1],
			['psi', 0, null]
		]);
		expect(report.columns[1].kind).toBe('numerical');
		expect(report.columns[1].tests.map((t) => t.method)).toEqual(['ks', 'psi']);
		expect(report.columns[2].kind).toBe('categorical');
		expect(report.columns[2].reference).toEqual({ count: 3, missing: 1 });
	});
});

describe('a method that does not fit a column kind', () => {
	// An integer column with 3 distinct values is categorical by the kind rule, so ks cannot test it.
	const ref = { score: columnFromStrings(['1', '2', '3', '1', '2', '3', '1', '2']), amount: columnFromStrings(['1.5', '2', '3', '4', '5', '6', '7', '8']) };
	const cur = { score: columnFromStrings(['3', '3', '3', '3', '2', '3', '3', '3']), amount: columnFromStrings(['1.5', '2', '3', '4', '5', '6', '7', '9']) };

	it('tests the column with what auto picks for its kind and says why, per column', () => {
		const report = driftReport(ref, cur, { methods: ['ks'] });
		const score = report.columns.find((c) => c.column === 'score')!;
		expect(score.kind).toBe('categorical');
		expect(score.kind_reason).toBe('numbers with only 3 distinct values; numerical needs at least 6');
		expect(score.tests.map((t) => t.method)).toEqual(['chisquare']);
		expect(score.method_note).toBe(
			'"ks" does not apply to a categorical column (numbers with only 3 distinct values; numerical needs at least 6): tested with "chisquare" instead, as auto would.'
		);
		const amount = report.columns.find((c) => c.column === 'amount')!;
		expect(amount.tests.map((t) => t.method)).toEqual(['ks']);
		expect(amount.method_note).toBeUndefined();
	});

	it('counts in the headline only the columns it tested', () => {
		const report = driftReport(ref, cur, { methods: ['ks'] });
		expect(report.tested_columns).toBe(report.columns.filter((c) => c.tests.length > 0).length);
		expect(report.tested_columns).toBe(2);
		expect(report.share).toBe(report.drifted_columns / report.tested_columns);
		// Every column the headline counts has a test that decided it.
		for (const c of report.columns) expect(c.tests.length).toBeGreaterThan(0);
	});
});
