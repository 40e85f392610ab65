/**
 * `driftbook estimate` on the CBPE fixture files (test/fixtures/stats/cbpe, with
 * NannyML 0.13.1's results): the JSON contract field by field, default chunking and metrics, the
 * table, and one-line errors naming the file, row and column.
 * Exit codes and output are checked on real processes (the bundled command line, and once
 * through npm); the other runs are the same function in this process (runCliHere).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { runCli, runCliHere, type CliRun } from '../../support/cli';
import { expectClose } from '../stats/fixtures';
import { CBPE_DIR, loadCbpeFixture, type CbpeFixture } from '../stats/performance/cbpe-fixtures';

const CONTRACT_KEYS = [
	'key',
	'period',
	'start_index',
	'end_index',
	'value',
	'sampling_error',
	'realized',
	'upper_confidence_boundary',
	'lower_confidence_boundary',
	'upper_threshold',
	'lower_threshold',
	'alert'
];
const NUMBERS = CONTRACT_KEYS.slice(4, 11);
const COLUMNS = ['--y-true', 'y_true', '--y-pred-proba', 'y_pred_proba', '--y-pred', 'y_pred'];

const data = (name: string) => ['--reference', `${CBPE_DIR}${name}.reference.csv`, '--analysis', `${CBPE_DIR}${name}.analysis.csv`, ...COLUMNS];
const run = (args: string[], viaNpm = false) => runCli('estimate', args, viaNpm);
/** The same command in this process (no process start): for the runs that check arguments, numbers and formats. */
const runHere = (args: string[]) => runCliHere('estimate', args);

type Output = { method: string; metrics: Record<string, Record<string, unknown>[]> };

function expectNannyMl(out: Output, fx: CbpeFixture, metrics: string[]) {
	expect(out.method).toBe('cbpe');
	expect(Object.keys(out.metrics)).toEqual(metrics);
	for (const metric of metrics) {
		const want = fx.cbpe[metric];
		expect(out.metrics[metric]).toHaveLength(want.length);
		out.metrics[metric].forEach((chunk, i) => {
			expect(Object.keys(chunk)).toEqual(CONTRACT_KEYS);
			const w = want[i] as unknown as Record<string, unknown>;
			for (const k of ['key', 'period', 'start_index', 'end_index', 'alert']) expect(chunk[k], `${metric} ${i} ${k}`).toBe(w[k]);
			for (const k of NUMBERS) {
				if (w[k] === null) expect(chunk[k], `${metric} ${chunk.key} ${k}`).toBeNull();
				else expectClose(chunk[k] as number, w[k] as number, `${metric} ${chunk.period} ${chunk.key} ${k}`, 1e-6);
			}
		});
	}
}

let dir: string;
const file = (name: string) => join(dir, name);

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
	dir = mkdtempSync(join(tmpdir(), 'driftbook-estimate-'));
	const db = await DuckDBInstance.create(':memory:');
	const connection = await db.connect();
	for (const side of ['reference', 'analysis']) {
		const csv = `${CBPE_DIR}missing_values.${side}.csv`;
		const columns = "{'y_true': 'DOUBLE', 'y_pred_proba': 'DOUBLE', 'y_pred': 'DOUBLE'}";
		await connection.run(`COPY (SELECT * FROM read_csv('${csv}', header = true, columns = ${columns})) TO '${file(side + '.parquet')}' (FORMAT parquet)`);
	}
	connection.closeSync();
	const rows = ['y_true,y_pred_proba,y_pred', ...Array.from({ length: 60 }, (_, i) => `${i % 2},${(0.2 + (i % 7) / 10).toFixed(2)},${i % 3 === 0 ? 1 : 0}`)];
	writeFileSync(file('ok.csv'), rows.join('\n') + '\n');
	writeFileSync(file('tiny.csv'), 'y_true,y_pred_proba,y_pred\n0,0.6,1\n1,0.4,0\n0,0.3,0\n1,0.7,1\n');
	writeFileSync(file('bad-proba.csv'), [...rows.slice(0, 5), '1,high,1', ...rows.slice(5)].join('\n') + '\n');
	writeFileSync(file('bad-pred.csv'), [...rows.slice(0, 8), '1,0.4,2', ...rows.slice(8)].join('\n') + '\n');
	writeFileSync(file('unlabelled-reference.csv'), [...rows.slice(0, 3), ',0.4,1', ...rows.slice(3)].join('\n') + '\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('driftbook estimate', () => {
	it('runs as `npm run -s driftbook -- estimate … --json` and prints NannyML’s CBPE results', async () => {
		const r = await run([...data('miscalibrated_shift'), '--chunk-size', '500', '--json'], true);
		expect(r.code, r.stderr).toBe(0);
		expectNannyMl(JSON.parse(r.stdout) as Output, loadCbpeFixture('miscalibrated_shift'), ['roc_auc', 'f1', 'precision', 'recall', 'accuracy']);
	});

	it('reports every metric, with realized null where the analysis has no labels', async () => {
		const r = await run([...data('incomplete_no_labels'), '--chunk-size', '400', '--json', '--metrics', 'specificity,confusion_matrix,roc_auc']);
		expect(r.code, r.stderr).toBe(0);
		const out = JSON.parse(r.stdout) as Output;
		const series = ['specificity', 'true_positive', 'true_negative', 'false_positive', 'false_negative', 'roc_auc'];
		expectNannyMl(out, loadCbpeFixture('incomplete_no_labels'), series);
		expect(out.metrics.roc_auc.filter((c) => c.period === 'analysis').every((c) => c.realized === null)).toBe(true);
	});

	it('chunks as NannyML does by default: 10 chunks per data set and the remainder', async () => {
		const r = await runHere([...data('majority_positive'), '--json', '--metrics', 'roc_auc,f1,precision,recall,specificity,accuracy']);
		expect(r.code, r.stderr).toBe(0);
		const out = JSON.parse(r.stdout) as Output;
		expectNannyMl(out, loadCbpeFixture('majority_positive'), ['roc_auc', 'f1', 'precision', 'recall', 'specificity', 'accuracy']);
		expect(out.metrics.f1.map((c) => c.key).slice(9, 13)).toEqual(['[3600:3999]', '[4000:4004]', '[0:299]', '[300:599]']);
	});

	it('reads empty cells as missing values and handles them as NannyML', async () => {
		const r = await runHere([...data('missing_values'), '--chunk-size', '200', '--json', '--metrics', 'f1,roc_auc']);
		expect(r.code, r.stderr).toBe(0);
		const out = JSON.parse(r.stdout) as Output;
		expectNannyMl(out, loadCbpeFixture('missing_values'), ['f1', 'roc_auc']);
		expect(out.metrics.f1.find((c) => c.period === 'analysis' && c.key === '[400:599]')?.value).toBeNull();
	});

	it('reads Parquet files to the same results', async () => {
		const r = await runHere(['--reference', file('reference.parquet'), '--analysis', file('analysis.parquet'), ...COLUMNS, '--chunk-size', '200', '--json']);
		expect(r.code, r.stderr).toBe(0);
		expectNannyMl(JSON.parse(r.stdout) as Output, loadCbpeFixture('missing_values'), ['roc_auc', 'f1', 'precision', 'recall', 'accuracy']);
	});

	it('prints a table per metric without --json', async () => {
		const r = await runHere([...data('miscalibrated_shift'), '--chunk-size', '500', '--metrics', 'roc_auc']);
		expect(r.code, r.stderr).toBe(0);
		const lines = r.stdout.trimEnd().split('\n');
		expect(lines[0]).toMatch(/^CBPE: miscalibrated_shift\.analysis\.csv against miscalibrated_shift\.reference\.csv; probabilities calibrated/);
		expect(lines).toContain('roc_auc (3 of 6 analysis chunks alert)');
		expect(lines.filter((l) => l.startsWith('[1500:1999]  analysis')).join()).toMatch(/0\.6724 .*ALERT$/);
	});

	it('refuses bad input with one line and exit 2', async () => {
		const ok = file('ok.csv');
		const io = (reference: string, analysis = ok) => ['--reference', reference, '--analysis', analysis, ...COLUMNS];
		// a real process here, the rest in this process
		await expectUsageError([...io(ok), '--y-pred', 'score'], /--y-pred: no column "score" in .*ok\.csv \(columns: y_true, y_pred_proba, y_pred\)/, run);
		await expectUsageError(io(ok, file('bad-proba.csv')), /bad-proba\.csv, row 5: column "y_pred_proba" holds "high", not a number/);
		await expectUsageError(io(file('bad-pred.csv')), /bad-pred\.csv, row 8: column "y_pred" is 2; predictions must be 0 or 1/);
		await expectUsageError(
			io(file('unlabelled-reference.csv')),
			/unlabelled-reference\.csv, row 3: column "y_true" is missing; labels must be 0 or 1 on every reference row/
		);
		await expectUsageError([...io(ok), '--metrics', 'auc'], /unknown metric "auc"/);
		await expectUsageError([...io(ok), '--chunk-size', '0'], /--chunk-size must be a positive whole number/);
		await expectUsageError(io(file('tiny.csv')), /cannot split 4 rows into 10 chunks: fewer rows than chunks/);
		await expectUsageError([...io(file('tiny.csv')), '--chunk-size', '2'], /the test size 1 is smaller than the number of classes 2/);
		await expectUsageError(io(file('missing.csv')), /cannot read .*missing\.csv: no such file/);
		await expectUsageError(['--reference', ok, ...COLUMNS], /--analysis FILE is required/);
	});
});
