/**
 * `driftbook check` spawned for real on the data-quality fixture files
 * (test/fixtures/stats/quality, with NannyML 0.13.1's results): exit codes with and without
 * --fail-on-error, the JSON object, chunk alerts as NannyML raises them, a saved suite edited and
 * reused, a type change, and one-line errors naming the file and column.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { runCli } from '../../support/cli';
import { QUALITY_DIR, loadFixture } from '../stats/quality/quality-fixtures';

const REFERENCE = `${QUALITY_DIR}injected.reference.csv`;
const ANALYSIS = `${QUALITY_DIR}injected.analysis.csv`;
const run = (args: string[], viaNpm = false) => runCli('check', args, viaNpm);

type Check = { check: string; column: string; passed: boolean; message: string; chunks?: { key: string; value: number; alert: boolean }[] };
type Output = { passed: boolean; failed: number; rows: number; checks: Check[] };

let dir: string;
const file = (name: string) => join(dir, name);

async function expectUsageError(args: string[], message: RegExp) {
	const r = await run(args);
	expect(r.code, r.stderr).toBe(2);
	expect(r.stdout).toBe('');
	const lines = r.stderr.trimEnd().split('\n');
	expect(lines, r.stderr).toHaveLength(1);
	expect(lines[0]).toMatch(/^driftbook: /);
	expect(lines[0]).toMatch(message);
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'driftbook-check-'));
	// The analysis with one age written as a word: numbers turned into text.
	const lines = readFileSync(ANALYSIS, 'utf8').split('\n');
	lines[18] = lines[18].replace(/^[^,]*/, 'forty');
	writeFileSync(file('typed.csv'), lines.join('\n'));
	writeFileSync(file('tiny.csv'), 'age,income,colour,city\n41,30000,red,Ghent\n');
	writeFileSync(file('not-json.json'), '{"version": 1,');
	// Category codes: text in the reference, numbers DuckDB reads as DOUBLE in the current data.
	writeFileSync(file('plans.csv'), ['plan', ...Array.from({ length: 40 }, (_, i) => ['1', '2', 'basic'][i % 3])].join('\n') + '\n');
	writeFileSync(file('plans-now.csv'), ['plan', ...Array.from({ length: 40 }, (_, i) => (i === 25 ? '1.0' : ['1', '2'][i % 2]))].join('\n') + '\n');
	const db = await DuckDBInstance.create(':memory:');
	const conn = await db.connect();
	for (const [csv, parquet] of [
		[REFERENCE, 'reference.parquet'],
		[ANALYSIS, 'analysis.parquet']
	]) {
		await conn.run(`COPY (SELECT * FROM read_csv('${csv}', header = true)) TO '${file(parquet)}' (FORMAT parquet)`);
	}
	conn.closeSync();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('driftbook check', () => {
	it('fails the checks the injected faults break, exit 1 with --fail-on-error, chunk alerts as NannyML', async () => {
		const r = await run(['--reference', REFERENCE, '--current', ANALYSIS, '--chunk-size', '400', '--json', '--fail-on-error']);
		expect(r.code, r.stderr).toBe(1);
		const out = JSON.parse(r.stdout) as Output;
		expect(Object.keys(out)).toEqual(['passed', 'failed', 'rows', 'checks']);
		expect(out).toMatchObject({ passed: false, failed: 5, rows: 2000 });
		expect(out.checks.filter((c) => !c.passed).map((c) => `${c.check} ${c.column}`)).toEqual([
			'missing_values_rate age',
			'out_of_range_values_rate income',
			'missing_values_rate colour',
			'unseen_values_rate colour',
			'missing_values_rate city'
		]);
		const nanny = loadFixture('injected').calculators;
		const analysisAlerts = (rows: { period: string; key: string; alert: boolean }[]) =>
			rows.filter((c) => c.period === 'analysis' && c.alert).map((c) => c.key);
		const got = (check: string, column: string) =>
			(out.checks.find((c) => c.check === check && c.column === column)?.chunks ?? []).filter((c) => c.alert).map((c) => c.key);
		expect(got('missing_values_rate', 'age')).toEqual(analysisAlerts(nanny.missing.results.age));
		expect(got('missing_values_rate', 'city')).toEqual(analysisAlerts(nanny.missing.results.city));
		expect(got('unseen_values_rate', 'colour')).toEqual(analysisAlerts(nanny.unseen.results.colour));
		expect(got('out_of_range_values_rate', 'income')).toEqual(analysisAlerts(nanny.range.results.income));
	});

	it('without --fail-on-error exits 0 and the text says which checks failed', async () => {
		const r = await run(['--reference', REFERENCE, '--current', ANALYSIS, '--chunk-size', '400'], true);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout).toMatch(/^Data quality of injected\.analysis\.csv \(2,000 rows\) against injected\.reference\.csv: 5 of 10 checks failed\./);
		expect(r.stdout).toMatch(/^FAIL {2}colour: 11% unseen categories in rows \[1600:1999\] \(e\.g\. "violet" in row \d+/m);
		expect(r.stdout).toMatch(/^pass {2}age: holds numbers as in the reference$/m);
	});

	it('passes the reference against itself (exit 0 with --fail-on-error)', async () => {
		const r = await run(['--reference', REFERENCE, '--current', REFERENCE, '--chunk-size', '400', '--fail-on-error']);
		expect(r.code, r.stdout).toBe(0);
		expect(r.stdout).toMatch(/all 10 checks passed/);
	});

	it('saves a suite, which an edit then relaxes', async () => {
		const saved = await run(['--reference', REFERENCE, '--save-suite', file('suite.json'), '--chunk-size', '400']);
		expect(saved.code, saved.stderr).toBe(0);
		expect(saved.stdout).toMatch(/Saved 10 checks learnt from injected\.reference\.csv to /);
		const quiet = await run(['--reference', REFERENCE, '--save-suite', file('suite2.json'), '--chunk-size', '400', '--json']);
		expect(JSON.parse(quiet.stdout)).toEqual({ saved: file('suite2.json'), checks: 10 });
		expect(readFileSync(file('suite2.json'), 'utf8')).toBe(readFileSync(file('suite.json'), 'utf8'));
		const suite = JSON.parse(readFileSync(file('suite.json'), 'utf8')) as { checks: Record<string, unknown>[] };
		const colour = suite.checks.find((c) => c.check === 'unseen_values_rate' && c.column === 'colour') as { categories: string[]; missingSeen: boolean };
		colour.categories.push('violet');
		colour.missingSeen = true;
		suite.checks = suite.checks.filter((c) => c.column !== 'city' && c.check !== 'missing_values_rate');
		writeFileSync(file('edited.json'), JSON.stringify(suite));
		const r = await run(['--suite', file('edited.json'), '--current', ANALYSIS, '--json', '--fail-on-error']);
		expect(r.code, r.stdout).toBe(1);
		const out = JSON.parse(r.stdout) as Output;
		expect(out.checks.filter((c) => !c.passed).map((c) => `${c.check} ${c.column}`)).toEqual(['out_of_range_values_rate income']);
	});

	it('takes a fixed bound on missing values instead of a learnt one', async () => {
		const r = await run(['--reference', REFERENCE, '--current', ANALYSIS, '--chunk-size', '400', '--max-missing', '0.3', '--columns', 'age,city', '--json']);
		expect(r.code, r.stderr).toBe(0);
		const out = JSON.parse(r.stdout) as Output;
		expect(out.checks.filter((c) => c.check === 'missing_values_rate').map((c) => c.passed)).toEqual([true, true]);
	});

	it('reads Parquet as it reads CSV', async () => {
		const args = ['--chunk-size', '400', '--json'];
		const [csv, parquet] = await Promise.all([
			run(['--reference', REFERENCE, '--current', ANALYSIS, ...args]),
			run(['--reference', file('reference.parquet'), '--current', file('analysis.parquet'), ...args])
		]);
		expect(parquet.code, parquet.stderr).toBe(0);
		expect(JSON.parse(parquet.stdout)).toEqual(JSON.parse(csv.stdout));
	});

	it('compares categories as written, where the current data reads as numbers', async () => {
		const r = await run(['--reference', file('plans.csv'), '--current', file('plans-now.csv'), '--chunk-size', '20']);
		expect(r.stdout).toMatch(/^FAIL {2}plan: 5% unseen categories in rows \[20:39\] \(e\.g\. "1\.0" in row 25\); allowed: none$/m);
	});

	it('fails a column whose numbers turned into text, naming the value and row', async () => {
		const r = await run(['--reference', REFERENCE, '--current', file('typed.csv'), '--chunk-size', '400', '--columns', 'age']);
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/^FAIL {2}age: holds text \(first: "forty" in row 17\) where the reference holds numbers$/m);
	});
});

describe('driftbook check: bad input, one line naming the file and column', () => {
	it.each([
		[['--current', ANALYSIS], /--reference FILE or --suite FILE is required/],
		[['--reference', REFERENCE], /--current FILE is required/],
		[['--reference', 'nope.csv', '--current', ANALYSIS], /cannot read nope\.csv: no such file/],
		[['--reference', REFERENCE, '--current', ANALYSIS, '--columns', 'agee'], /injected\.reference\.csv: no column "agee" in the reference/],
		[['--reference', REFERENCE, '--current', ANALYSIS, '--chunk-size', '0'], /--chunk-size must be a positive whole number/],
		[['--reference', REFERENCE, '--current', ANALYSIS, '--max-missing', '5'], /--max-missing must be a share between 0 and 1/]
	])('%j', async (args, message) => expectUsageError(args as string[], message));

	it('data too small for the chunks', async () => {
		await expectUsageError(
			['--reference', REFERENCE, '--current', file('tiny.csv')],
			/tiny\.csv: cannot split 1 rows into 10 chunks.*give a smaller --chunk-size/
		);
	});

	it('a suite that is not JSON, or not a suite, or given with learning options', async () => {
		await expectUsageError(['--suite', file('not-json.json'), '--current', ANALYSIS], /not-json\.json: .*JSON/);
		writeFileSync(
			file('bad-suite.json'),
			JSON.stringify({
				version: 1,
				chunking: 'default',
				checks: [{ check: 'missing_values_rate', column: 'age', lower: null, upper: 'high', source: 'fixed' }]
			})
		);
		await expectUsageError(['--suite', file('bad-suite.json'), '--current', ANALYSIS], /bad-suite\.json: not a data-quality suite: .*checks\[0\]\.upper/);
		// A suite a notebook's quality cell made, chunked by week of a time column: the files here split by rows.
		writeFileSync(file('weekly-suite.json'), JSON.stringify({ version: 1, chunking: { period: 'week' }, checks: [] }));
		await expectUsageError(
			['--suite', file('weekly-suite.json'), '--current', ANALYSIS],
			/weekly-suite\.json: the suite chunks by week .* set "chunking" to "default"/
		);
		await expectUsageError(
			['--suite', file('bad-suite.json'), '--current', ANALYSIS, '--chunk-size', '5'],
			/--chunk-size applies when learning from --reference/
		);
	});
});
