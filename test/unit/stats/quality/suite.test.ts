/**
 * Check suites learnt from a reference: the bounds are NannyML's thresholds on the reference chunks
 * (the fixtures' own), the injected faults of the analysis data fail exactly the checks they should
 * with messages naming column, rows and values, a suite survives JSON and edits, type changes and
 * absent columns fail, and a malformed suite is refused naming the field.
 */
import { describe, expect, it } from 'vitest';
import type { Column } from '#lib/stats/column.ts';
import { periodChunks } from '#lib/stats/chunks/index.ts';
import { parseSuite, printSuite, runSuite, suiteFromReference, SUITE_MAX_CATEGORIES, type QualityCheck, type QualitySuite } from '#lib/stats/quality/index.ts';
import { expectClose } from '../fixtures';
import { loadColumns, loadFixture } from './quality-fixtures';

const reference = loadColumns('injected', 'reference');
const analysis = loadColumns('injected', 'analysis');
const chunking = { chunkSize: 400 };
const suite = suiteFromReference(reference, { chunking });

const find = (s: QualitySuite, check: QualityCheck['check'], column: string) => {
	const found = s.checks.find((c) => c.check === check && c.column === column);
	if (!found) throw new Error(`no ${check} check on ${column}`);
	return found;
};

describe('suiteFromReference', () => {
	it('checks every column for missing values, numbers for their type and range, text for unseen categories', () => {
		expect(suite.checks.map((c) => `${c.check} ${c.column}`)).toEqual([
			'value_type age',
			'missing_values_rate age',
			'out_of_range_values_rate age',
			'value_type income',
			'missing_values_rate income',
			'out_of_range_values_rate income',
			'missing_values_rate colour',
			'unseen_values_rate colour',
			'missing_values_rate city',
			'unseen_values_rate city'
		]);
		expect(find(suite, 'value_type', 'age')).toMatchObject({ type: 'number' });
		expect(find(suite, 'unseen_values_rate', 'colour')).toMatchObject({ categories: ['blue', 'green', 'grey', 'red'], missingSeen: false });
		expect(find(suite, 'unseen_values_rate', 'city')).toMatchObject({ missingSeen: true });
	});

	it('learns the bounds NannyML learns from the reference chunks', () => {
		const nanny = loadFixture('injected').calculators;
		for (const column of ['age', 'city']) {
			const want = nanny.missing.results[column][0];
			const got = find(suite, 'missing_values_rate', column) as Extract<QualityCheck, { check: 'missing_values_rate' }>;
			expectClose(got.upper as number, want.upper_threshold as number, `${column} upper`);
			expect(got.lower).toBe(want.lower_threshold);
			expect(got.source).toBe('reference');
		}
		expect(find(suite, 'out_of_range_values_rate', 'income')).toMatchObject({ lower: null, upper: 0, source: 'fixed' });
		const income = reference.income as Extract<Column, { type: 'number' }>;
		expect(find(suite, 'out_of_range_values_rate', 'income')).toMatchObject({ min: Math.min(...income.values), max: Math.max(...income.values) });
	});

	it('takes fixed bounds instead', () => {
		const fixed = suiteFromReference(reference, { chunking, thresholds: { missing_values_rate: { type: 'constant', lower: null, upper: 0.05 } } });
		expect(find(fixed, 'missing_values_rate', 'age')).toMatchObject({ lower: null, upper: 0.05, source: 'fixed' });
	});

	it('leaves out unseen values for a column of identifiers (more than SUITE_MAX_CATEGORIES categories)', () => {
		const ids = (n: number): Column => ({ type: 'string', values: Array.from({ length: n }, (_, i) => `id-${i}`) });
		const checks = (n: number) => suiteFromReference({ id: ids(n) }).checks.map((c) => c.check);
		expect(checks(SUITE_MAX_CATEGORIES)).toEqual(['missing_values_rate', 'unseen_values_rate']);
		expect(checks(SUITE_MAX_CATEGORIES + 1)).toEqual(['missing_values_rate']);
	});

	it('names a column that is not there', () => {
		expect(() => suiteFromReference(reference, { columns: ['agee'] })).toThrow(/no column "agee" in the reference/);
	});
});

describe('runSuite', () => {
	it('passes the reference it was learnt from', () => {
		const run = runSuite(suite, reference);
		expect(run.outcomes.filter((o) => !o.passed).map((o) => o.message)).toEqual([]);
		expect(run.passed).toBe(true);
	});

	it('fails exactly the checks the injected faults break, as NannyML alerts', () => {
		const run = runSuite(suite, analysis);
		const failed = run.outcomes.filter((o) => !o.passed).map((o) => `${o.check.check} ${o.check.column}`);
		expect(failed).toEqual([
			'missing_values_rate age',
			'out_of_range_values_rate income',
			'missing_values_rate colour',
			'unseen_values_rate colour',
			'missing_values_rate city'
		]);
		expect(run.failed).toBe(5);
		expect(run.passed).toBe(false);
		const nanny = loadFixture('injected').calculators;
		const alerts = (results: { period: string; key: string; alert: boolean }[]) => results.filter((c) => c.period === 'analysis' && c.alert).map((c) => c.key);
		const outcome = (check: QualityCheck['check'], column: string) => run.outcomes.find((o) => o.check.check === check && o.check.column === column);
		const suiteAlerts = (check: QualityCheck['check'], column: string) => (outcome(check, column)?.chunks ?? []).filter((c) => c.alert).map((c) => c.key);
		expect(suiteAlerts('missing_values_rate', 'age')).toEqual(alerts(nanny.missing.results.age));
		expect(suiteAlerts('unseen_values_rate', 'colour')).toEqual(alerts(nanny.unseen.results.colour));
		expect(suiteAlerts('out_of_range_values_rate', 'income')).toEqual(alerts(nanny.range.results.income));
	});

	it('says in words which column, rows and values failed', () => {
		const run = runSuite(suite, analysis);
		const message = (check: QualityCheck['check'], column: string) => run.outcomes.find((o) => o.check.check === check && o.check.column === column)?.message;
		expect(message('missing_values_rate', 'age')).toMatch(/^age: 25% missing values in rows \[800:1199\] \(e\.g\. a missing value in row \d+/);
		expect(message('missing_values_rate', 'age')).toMatch(/allowed: at most 3\.35%$/);
		expect(message('unseen_values_rate', 'colour')).toMatch(/^colour: 11% unseen categories in rows \[1600:1999\] \(e\.g\. "violet" in row \d+/);
		expect(message('out_of_range_values_rate', 'income')).toMatch(
			/^income: values outside the reference range \[[\d.]+, [\d.]+\] in 2 of 5 chunks, up to 4% in rows \[1200:1599\] \(e\.g\. \d/
		);
		expect(message('value_type', 'age')).toBe('age: holds numbers as in the reference');
	});

	it('fails a column that turned from numbers to text, or is gone', () => {
		const ages = (analysis.age as Extract<Column, { type: 'number' }>).values;
		const text = Array.from(ages, (x) => (Number.isNaN(x) ? null : String(x)));
		text[17] = 'forty';
		const { income: _, ...rest } = analysis;
		const run = runSuite(suite, { ...rest, age: { type: 'string', values: text } });
		const failed = run.outcomes.filter((o) => !o.passed).map((o) => o.message);
		expect(failed).toContain('age: holds text (first: "forty" in row 17) where the reference holds numbers');
		expect(failed).toContain('income: no such column in the current data');
	});

	it('survives JSON, and an edited bound changes the verdict', () => {
		const saved = parseSuite(JSON.parse(JSON.stringify(suite)));
		expect(saved).toEqual(suite);
		const edited: QualitySuite = {
			...saved,
			checks: saved.checks.map((c) =>
				c.check === 'unseen_values_rate' && c.column === 'colour' ? { ...c, categories: [...c.categories, 'violet'], missingSeen: true } : c
			)
		};
		const colour = runSuite(edited, analysis).outcomes.find((o) => o.check.check === 'unseen_values_rate' && o.check.column === 'colour');
		expect(colour?.passed).toBe(true);
	});

	it('refuses a malformed suite, naming the field', () => {
		const broken = JSON.parse(JSON.stringify(suite)) as { checks: Record<string, unknown>[] };
		broken.checks[1].upper = 'high';
		expect(() => parseSuite(broken)).toThrow(/not a data-quality suite: .*checks\[1\]\.upper/);
		expect(() => parseSuite({ version: 2, chunking: 'default', checks: [] })).toThrow(/version/);
		expect(() => parseSuite({ version: 1, chunking: { chunkSize: 0 }, checks: [] })).toThrow(
			'not a data-quality suite: expected a positive whole number, got 0 at chunking.chunkSize'
		);
		expect(() => parseSuite({ version: 1, chunking: { chunkSize: 5, rows: 3 }, checks: [] })).toThrow(/chunking\.rows/);
		expect(() => parseSuite({ version: 1, chunking: { period: 'month' }, checks: [] })).toThrow(/"day", "week", got "month" at chunking\.period/);
		const unseen = { check: 'unseen_values_rate', column: 'c', lower: null, upper: 0, source: 'fixed', categories: ['a', 3], missingSeen: false };
		expect(() => parseSuite({ version: 1, chunking: 'default', checks: [unseen] })).toThrow(/expected a string, got 3 at checks\[0\]\.categories\[1\]/);
		expect(() => parseSuite({ version: 1, chunking: 'default', checks: [{ check: 'median', column: 'c' }] })).toThrow(/at checks\[0\]\.check/);
	});

	it('prints one check a line, and reads the print back as the same suite', () => {
		const printed = printSuite(suite);
		const lines = printed.split('\n');
		expect(lines.slice(0, 4)).toEqual(['{', '  "version": 1,', '  "chunking": {"chunkSize": 400},', '  "checks": [']);
		expect(lines).toHaveLength(suite.checks.length + 6);
		expect(lines[4]).toBe('    {"check": "value_type", "column": "age", "type": "number"},');
		expect(parseSuite(JSON.parse(printed))).toEqual(suite);
		// Text that looks like JSON's punctuation stays as written.
		const odd: QualitySuite = {
			version: 1,
			chunking: 'default',
			checks: [{ ...find(suite, 'unseen_values_rate', 'colour'), categories: ['a": "b', 'c, "d'] } as QualityCheck]
		};
		expect(parseSuite(JSON.parse(printSuite(odd)))).toEqual(odd);
	});

	it('refuses data too small for its chunks', () => {
		expect(() => runSuite(suiteFromReference(reference), { age: { type: 'number', values: Float64Array.of(1, 2) } })).toThrow(
			/cannot split 2 rows into 10 chunks/
		);
	});
});

describe('chunks by calendar period', () => {
	// Reference: 4 weeks of 100 rows a day; current: 2 weeks, the second with a tenth of its ages missing.
	const DAY = 86_400_000;
	const MONDAY = Date.UTC(2026, 0, 5);
	const days = (n: number, first: number) => Float64Array.from({ length: n * 100 }, (_, i) => first + Math.floor(i / 100) * DAY + (i % 100) * 1000);
	const ages = (n: number, missingFrom: number) => Float64Array.from({ length: n }, (_, i) => (i >= missingFrom && i % 10 === 0 ? NaN : 20 + (i % 50)));
	const refTime = days(28, MONDAY);
	const curTime = days(14, MONDAY + 28 * DAY);
	const learnt = suiteFromReference({ age: { type: 'number', values: ages(2800, Infinity) } }, { chunking: { period: 'week' }, time: refTime });

	it('learns and runs a suite per week of a time column', () => {
		expect(learnt.chunking).toEqual({ period: 'week' });
		const run = runSuite(learnt, { age: { type: 'number', values: ages(1400, 700) } }, { time: curTime });
		expect(run.chunks).toEqual(periodChunks(curTime, 'week'));
		const missing = run.outcomes.find((o) => o.check.check === 'missing_values_rate');
		expect(missing?.chunks?.map((c) => [c.key, c.value, c.alert])).toEqual([
			['2026-02-02/2026-02-08', 0, false],
			['2026-02-09/2026-02-15', 0.1, true]
		]);
		expect(missing?.message).toMatch(/^age: 10% missing values in 2026-02-09\/2026-02-15 \(rows \[700:1399\]\) \(e\.g\. a missing value in row 700,/);
	});

	it('needs the rows’ times', () => {
		expect(() => suiteFromReference({ age: { type: 'number', values: ages(2800, Infinity) } }, { chunking: { period: 'day' } })).toThrow(
			"chunks by day need a time column: give the reference's row times"
		);
		expect(() => runSuite(learnt, { age: { type: 'number', values: ages(1400, 700) } })).toThrow(
			"chunks by week need a time column: give the current data's row times"
		);
	});
});
