/**
 * `driftbook drift` on fixture files written from test/fixtures/stats/over-time.json (whose
 * `overall` entry holds SciPy's results for the whole samples): exit codes, the JSON report, the
 * table, Parquet input and one-line errors. Exit codes and output are checked on real processes
 * (the bundled command line, and once through npm); the other runs are the same function in this
 * process (runCliHere), which saves a process start each.
 */
import { runCli, runCliHere, type CliRun } from '../../support/cli';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DriftReport } from '#lib/stats/index.ts';
import { expectClose, loadFixture } from '../stats/fixtures';
import { mulberry32 } from '../../support/mulberry32';

interface Overall {
	kind: string;
	reference: { count: number; missing: number };
	current: { count: number; missing: number };
	p_test: { method: string; statistic: number; p_value: number; effect_size: number };
	wasserstein_norm?: number;
	mean_shift?: number;
	jensenshannon: number;
}
const fx = loadFixture<{
	reference: Record<string, (number | string | null)[]>;
	current: Record<string, (number | string | null)[]>;
	overall: Record<string, Overall>;
}>('over-time.json');
const NAMES = ['x', 'y', 'plan', 'region', 'flag'];
/** SciPy's results for the four methods on x and y (generate_drift_methods_fixtures.py). */
interface MethodsExpected {
	mannwhitney: { statistic: number; pvalue: number };
	ttest: { statistic: number; pvalue: number };
	cramer_von_mises: { statistic: number; pvalue: number };
	energy: number;
}

let dir: string;
const file = (name: string) => join(dir, name);

function csv(data: Record<string, (number | string | null)[]>): string {
	const n = data[NAMES[0]].length;
	const lines = [NAMES.join(',')];
	for (let i = 0; i < n; i++) lines.push(NAMES.map((c) => (data[c][i] === null ? '' : String(data[c][i]))).join(','));
	return lines.join('\r\n') + '\r\n';
}

const run = (args: string[], viaNpm = false) => runCli('drift', args, viaNpm);
const runHere = (args: string[]) => runCliHere('drift', args);

/** Bad input: exit 2, nothing on stdout, one line on stderr (in this process unless `runner` says otherwise). */
async function expectUsageError(args: string[], message: RegExp, runner: (args: string[]) => Promise<CliRun> = runHere) {
	const r = await runner(args);
	expect(r.code, r.stderr).toBe(2);
	expect(r.stdout).toBe('');
	const lines = r.stderr.trimEnd().split('\n');
	expect(lines, r.stderr).toHaveLength(1);
	expect(lines[0]).toMatch(/^driftbook: /);
	expect(lines[0]).toMatch(message);
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'driftbook-cli-'));
	writeFileSync(file('reference.csv'), '\uFEFF' + csv(fx.reference));
	writeFileSync(file('current.csv'), csv(fx.current));
	writeFileSync(file('header-only.csv'), NAMES.join(',') + '\n');
	writeFileSync(file('unclosed.csv'), 'x,plan\n1,a\n2,"b\n3,c\n');
	writeFileSync(file('ragged.csv'), 'x,plan\n1,a\n2\n3,c\n4,d,e\n');
	writeFileSync(file('garbage.parquet'), 'this is not parquet');
	// enough rows (SPLIT_MIN_ROWS) for the report to send a column to the second thread
	for (const [side, seed] of [
		['big-reference', 1],
		['big-current', 2]
	] as const) {
		const random = mulberry32(seed);
		const rows = Array.from({ length: 120_000 }, () => `${random()},${Math.round(random() * 1000) / 10}`);
		writeFileSync(file(`${side}.csv`), ['u,v', ...rows].join('\n') + '\n');
	}
	const db = await DuckDBInstance.create(':memory:');
	const conn = await db.connect();
	for (const side of ['reference', 'current']) {
		await conn.run(
			`COPY (SELECT * FROM read_csv('${file(side + '.csv')}', header = true, columns = {'x': 'DOUBLE', 'y': 'DOUBLE', 'plan': 'VARCHAR', 'region': 'VARCHAR', 'flag': 'BIGINT'})) TO '${file(side + '.parquet')}' (FORMAT parquet)`
		);
	}
	conn.closeSync();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Real processes on a loaded machine: generous limits.
describe('driftbook drift', { timeout: 180_000 }, () => {
	it('prints exactly the drift report as JSON, equal to SciPy for ks and chisquare', async () => {
		const r = await run(['--reference', file('reference.csv'), '--current', file('current.csv'), '--method', 'ks,chisquare', '--json']);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stderr).toBe('');
		const report = JSON.parse(r.stdout) as DriftReport;
		expect(Object.keys(report)).toEqual(['columns', 'drifted_columns', 'tested_columns', 'share', 'dataset_drift']);
		expect(report.columns.map((c) => c.column)).toEqual(NAMES);
		for (const c of report.columns) {
			const e = fx.overall[c.column];
			expect(Object.keys(c)).toEqual(['column', 'kind', 'reference', 'current', 'tests', 'drifted', 'kind_reason']);
			expect(c.kind).toBe(e.kind);
			expect(c.reference).toEqual(e.reference);
			expect(c.current).toEqual(e.current);
			expect(c.tests).toHaveLength(1);
			const t = c.tests[0];
			expect(Object.keys(t).slice(0, 5)).toEqual(['method', 'statistic', 'p_value', 'threshold', 'drifted']);
			expect(t.method).toBe(e.p_test.method);
			expectClose(t.statistic, e.p_test.statistic, `${c.column} statistic`, 1e-12);
			expectClose(t.p_value!, e.p_test.p_value, `${c.column} p`, 1e-9, 1e-300);
			expectClose(t.effect_size!, e.p_test.effect_size, `${c.column} effect`, 1e-12);
			expect(t.threshold).toBe(0.05);
			expect(t.drifted).toBe(e.p_test.p_value < 0.05);
			expect(c.drifted).toBe(t.drifted);
		}
		const drifted = report.columns.filter((c) => c.drifted).length;
		expect(report.drifted_columns).toBe(drifted);
		expect(report.share).toBe(drifted / NAMES.length);
		expect(report.dataset_drift).toBe(drifted / NAMES.length >= 0.5);
	});

	it('uses distances under auto for large samples, equal to SciPy, and honours --threshold', async () => {
		const [auto, strict] = await Promise.all([
			runHere(['--reference', file('reference.csv'), '--current', file('current.csv'), '--json']),
			runHere(['--reference', file('reference.csv'), '--current', file('current.csv'), '--json', '--threshold', '0.13'])
		]);
		expect(auto.code, auto.stderr).toBe(0);
		const report = JSON.parse(auto.stdout) as DriftReport;
		for (const c of report.columns) {
			const e = fx.overall[c.column];
			const t = c.tests[0];
			if (c.kind === 'numerical') {
				expect(t.method).toBe('wasserstein_norm');
				expectClose(t.statistic, e.wasserstein_norm!, `${c.column} wasserstein_norm`, 1e-9);
				expectClose(t.effect_size!, e.mean_shift!, `${c.column} mean shift`, 1e-9);
			} else {
				expect(t.method).toBe('jensenshannon');
				expectClose(t.statistic, e.jensenshannon, `${c.column} jensenshannon`, 1e-12);
			}
			expect(t.p_value).toBeNull();
			expect(t.threshold).toBe(0.1);
			expect(t.drifted).toBe(t.statistic >= 0.1);
		}
		expect(report.columns.filter((c) => c.drifted).map((c) => c.column)).toEqual(['x', 'plan']);
		const higher = JSON.parse(strict.stdout) as DriftReport;
		expect(higher.columns.every((c) => c.tests[0].threshold === 0.13)).toBe(true);
		expect(higher.columns.filter((c) => c.drifted).map((c) => c.column)).toEqual(['x']);
	});

	it('runs mannwhitney, ttest, cramer_von_mises and energy through npm, equal to SciPy', async () => {
		const expected = loadFixture<{ cli: Record<string, MethodsExpected> }>('drift-methods.json').cli;
		const methods = ['mannwhitney', 'ttest', 'cramer_von_mises', 'energy'];
		const r = await run(
			['--reference', file('reference.csv'), '--current', file('current.csv'), '--columns', 'x,y', '--method', methods.join(','), '--json'],
			true
		);
		expect(r.code, r.stderr).toBe(0);
		const report = JSON.parse(r.stdout) as DriftReport;
		expect(report.columns.map((c) => c.column)).toEqual(['x', 'y']);
		for (const c of report.columns) {
			const e = expected[c.column];
			expect(c.tests.map((t) => t.method)).toEqual(methods);
			const [mw, tt, cvm, en] = c.tests;
			expect(mw.statistic).toBe(e.mannwhitney.statistic);
			expectClose(mw.p_value!, e.mannwhitney.pvalue, `${c.column} mannwhitney p`, 1e-12);
			expectClose(tt.statistic, Math.abs(e.ttest.statistic), `${c.column} |t|`, 1e-12);
			expectClose(tt.p_value!, e.ttest.pvalue, `${c.column} ttest p`, 1e-12);
			expectClose(cvm.statistic, e.cramer_von_mises.statistic, `${c.column} cramer_von_mises T`, 1e-12);
			expect(Math.abs(cvm.p_value! - e.cramer_von_mises.pvalue)).toBeLessThanOrEqual(1e-14);
			expectClose(en.statistic, e.energy, `${c.column} energy`, 1e-12);
			expect(en.p_value).toBeNull();
		}
		expect(report.columns[0].drifted).toBe(true);
		expect(report.columns[1].drifted).toBe(false);
	});

	it('exits 1 with --fail-on-drift when the dataset drifts, 0 otherwise', async () => {
		const base = ['--reference', file('reference.csv'), '--current', file('current.csv')];
		const [drift, noFlag, stable] = await Promise.all([
			run([...base, '--columns', 'x,plan', '--fail-on-drift', '--json']),
			run([...base, '--columns', 'x,plan', '--json']),
			run([...base, '--columns', 'y,region,x', '--fail-on-drift'])
		]);
		expect(drift.code, drift.stderr).toBe(1);
		expect(JSON.parse(drift.stdout).dataset_drift).toBe(true);
		expect(noFlag.code).toBe(0);
		expect(stable.code, stable.stderr).toBe(0);
	});

	it('prints a readable aligned table without --json', async () => {
		const r = await runHere(['--reference', file('reference.csv'), '--current', file('current.csv'), '--method', 'ks,chisquare']);
		expect(r.code, r.stderr).toBe(0);
		const lines = r.stdout.trimEnd().split('\n');
		expect(lines[0]).toMatch(/^column\s+kind\s+method\s+statistic\s+p-value\s+threshold\s+drifted\s+effect size\s+reference n\s+current n$/);
		expect(lines[1]).toMatch(/^-+( +-+)+$/);
		const rows = lines.slice(2, 7);
		expect(rows.map((l) => l.split(/\s+/)[0])).toEqual(NAMES);
		// columns line up: the header's "drifted" starts where each row's yes/no does
		const at = lines[0].indexOf('drifted');
		for (const row of rows) expect(row.slice(at, at + 3)).toMatch(/^(yes|no )/);
		expect(rows[0]).toContain('ks (exact)');
		expect(rows[0]).toContain('2351 +49 missing');
		expect(lines.at(-1)).toMatch(/^\d of 5 columns drifted \(\d+%\): (no dataset drift|dataset drift detected)\.$/);
	});

	it('reads Parquet files to the same report', async () => {
		const [fromCsv, fromParquet] = await Promise.all([
			runHere(['--reference', file('reference.csv'), '--current', file('current.csv'), '--method', 'ks,chisquare,psi', '--json']),
			runHere(['--reference', file('reference.parquet'), '--current', file('current.parquet'), '--method', 'ks,chisquare,psi', '--json'])
		]);
		expect(fromParquet.code, fromParquet.stderr).toBe(0);
		expect(JSON.parse(fromParquet.stdout)).toEqual(JSON.parse(fromCsv.stdout));
	});

	it('tests on two threads in the bundled command line, to the report of this process', async () => {
		const args = ['--reference', file('big-reference.csv'), '--current', file('big-current.csv'), '--method', 'ks', '--json'];
		const bundled = await run(args);
		const here = await runHere(args);
		expect(bundled.code, bundled.stderr).toBe(0);
		// a second thread that fails to start says so on stderr
		expect(bundled.stderr).toBe('');
		expect(here.stderr).toBe('');
		expect(JSON.parse(bundled.stdout)).toEqual(JSON.parse(here.stdout));
	});

	it('runs as `npm run -s driftbook -- drift`', async () => {
		const r = await run(['--reference', file('reference.csv'), '--current', file('current.csv'), '--columns', 'plan', '--json', '--fail-on-drift'], true);
		expect(r.code, r.stderr).toBe(1);
		expect(JSON.parse(r.stdout).columns[0].column).toBe('plan');
	});

	it('refuses bad input with one line and exit 2', async () => {
		const ref = file('reference.csv');
		const cur = file('current.csv');
		await Promise.all([
			expectUsageError(['--reference', file('missing.csv'), '--current', cur], /cannot read .*missing\.csv: no such file$/, run),
			expectUsageError(['--reference', ref, '--current', cur, '--columns', 'x,nope'], /Unknown column "nope": not in reference\.csv/),
			expectUsageError(['--reference', ref, '--current', cur, '--method', 'ks,t-test'], /unknown method "t-test"/),
			expectUsageError(['--reference', file('header-only.csv'), '--current', cur], /Column "x": the reference sample is empty after dropping missing values/),
			expectUsageError(['--reference', ref, '--current', file('unclosed.csv')], /unclosed\.csv, line 3: a quoted field opened here is never closed/),
			expectUsageError(['--reference', file('ragged.csv'), '--current', cur], /ragged\.csv, line 3: 1 field where the header has 2 \(also line 5\)/),
			expectUsageError(['--reference', file('garbage.parquet'), '--current', cur], /garbage\.parquet: not a readable Parquet file/),
			expectUsageError(['--reference', ref], /--current FILE is required/),
			expectUsageError(['--reference', ref, '--current', cur, '--threshold', 'abc'], /--threshold must be a positive number/),
			expectUsageError(['--reference', ref, '--current', cur, '--colums', 'x'], /unknown option --colums/)
		]);
	});
});
