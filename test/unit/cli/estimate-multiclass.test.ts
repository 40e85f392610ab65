/**
 * `driftbook estimate --y-pred-proba CLASS=COL,…` (multiclass CBPE) spawned for real on the
 * multiclass fixture files (test/fixtures/stats/cbpe, with NannyML 0.13.1's results): the JSON
 * contract field by field from a real process, and one-line errors naming the file, row and column.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliHere } from '../../support/cli';
import { expectClose } from '../stats/fixtures';
import { CBPE_DIR, loadMulticlassCbpeFixture } from '../stats/performance/cbpe-fixtures';

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

const mapping = (fx: { y_pred_proba: Record<string, string> }) =>
	Object.entries(fx.y_pred_proba)
		.map(([c, col]) => `${c}=${col}`)
		.join(',');
const columns = (proba: string) => ['--y-true', 'y_true', '--y-pred-proba', proba, '--y-pred', 'y_pred'];
const run = (args: string[]) => runCli('estimate', args, false);

type Output = { method: string; metrics: Record<string, Record<string, unknown>[]> };

let dir: string;
const file = (name: string) => join(dir, name);
const SHIFT = 'multiclass_overconfident_shift';
const PROBA = 'a=prob_a,b=prob_b,c=prob_c';

/** Bad input is checked in process (the same function the command line runs); exit codes and JSON from a real process above. */
async function expectUsageError(args: string[], message: RegExp) {
	const r = await runCliHere('estimate', args);
	expect(r.code, r.stderr).toBe(2);
	expect(r.stdout).toBe('');
	const lines = r.stderr.trimEnd().split('\n');
	expect(lines, r.stderr).toHaveLength(1);
	expect(lines[0]).toMatch(/^driftbook: /);
	expect(lines[0]).toMatch(message);
}

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'driftbook-estimate-multiclass-'));
	const lines = readFileSync(`${CBPE_DIR}${SHIFT}.analysis.csv`, 'utf8').trimEnd().split('\n');
	const edit = (row: number, cell: number, value: string) => {
		const out = [...lines];
		const cells = out[row].split(',');
		cells[cell] = value;
		out[row] = cells.join(',');
		return out.join('\n') + '\n';
	};
	writeFileSync(file('unknown-true.csv'), edit(7, 0, 'd'));
	writeFileSync(file('unknown-pred.csv'), edit(12, 1, 'zebra'));
	writeFileSync(file('no-prob-c.csv'), lines.map((l) => l.split(',').slice(0, 4).join(',')).join('\n') + '\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('driftbook estimate, multiclass', () => {
	it.each([
		['multiclass_calibrated_partial_labels', ['--chunk-size', '450']],
		['multiclass_rare_class_no_labels', []],
		// The confusion matrix as NannyML's true_A_pred_B series, a chunk without predictions among them.
		['multiclass_cm_calibrated_missing_predictions', ['--chunk-size', '300']]
	])('prints NannyML’s multiclass CBPE results for %s as JSON', async (name, chunking) => {
		const fx = loadMulticlassCbpeFixture(name);
		const args = ['--reference', `${CBPE_DIR}${name}.reference.csv`, '--analysis', `${CBPE_DIR}${name}.analysis.csv`, ...columns(mapping(fx))];
		const r = await run([...args, ...chunking, '--metrics', fx.metrics.join(','), '--json']);
		expect(r.code, r.stderr).toBe(0);
		const out = JSON.parse(r.stdout) as Output;
		expect(out.method).toBe('cbpe');
		expect(Object.keys(out.metrics)).toEqual(Object.keys(fx.cbpe));
		for (const [series, want] of Object.entries(fx.cbpe)) {
			expect(out.metrics[series]).toHaveLength(want.length);
			out.metrics[series].forEach((chunk, i) => {
				expect(Object.keys(chunk)).toEqual(CONTRACT_KEYS);
				const w = want[i] as unknown as Record<string, unknown>;
				for (const k of ['key', 'period', 'start_index', 'end_index']) expect(chunk[k], `${series} ${i} ${k}`).toBe(w[k]);
				// NannyML leaves alert unset where a metric failed on the chunk; the contract says false.
				expect(chunk.alert, `${series} ${i} alert`).toBe(w.alert ?? false);
				for (const k of NUMBERS) {
					// JSON has no infinity: NannyML's unbounded band ("inf") is null.
					if (w[k] === null || w[k] === 'inf') expect(chunk[k], `${series} ${chunk.key} ${k}`).toBeNull();
					else expectClose(chunk[k] as number, w[k] as number, `${series} ${chunk.period} ${chunk.key} ${k}`, 1e-9);
				}
			});
		}
	});

	it('prints a table per metric naming the classes it calibrated', async () => {
		const name = 'multiclass_calibrated_partial_labels';
		const fx = loadMulticlassCbpeFixture(name);
		const args = ['--reference', `${CBPE_DIR}${name}.reference.csv`, '--analysis', `${CBPE_DIR}${name}.analysis.csv`, ...columns(mapping(fx))];
		const r = await runCliHere('estimate', [...args, '--chunk-size', '450', '--metrics', 'f1']);
		expect(r.code, r.stderr).toBe(0);
		const lines = r.stdout.trimEnd().split('\n');
		expect(lines[0]).toMatch(
			/; probabilities of class bee, cat, dog calibrated on multiclass_calibrated_partial_labels\.reference\.csv \(isotonic regression, one-vs-rest\)/
		);
		expect(lines[2]).toMatch(/^f1 \(\d of 5 analysis chunks alert\)$/);
	});

	it('prints a table per confusion-matrix cell, named as NannyML names it', async () => {
		const name = 'multiclass_cm_prior_shift';
		const fx = loadMulticlassCbpeFixture(name);
		const args = ['--reference', `${CBPE_DIR}${name}.reference.csv`, '--analysis', `${CBPE_DIR}${name}.analysis.csv`, ...columns(mapping(fx))];
		const r = await runCliHere('estimate', [...args, '--chunk-size', '400', '--metrics', 'confusion_matrix']);
		expect(r.code, r.stderr).toBe(0);
		const titles = r.stdout.split('\n').filter((l) => /^true_/.test(l));
		const cells = ['a', 'b', 'c'].flatMap((t) => ['a', 'b', 'c'].map((p) => `true_${t}_pred_${p}`));
		expect(titles.map((l) => l.split(' ')[0])).toEqual(cells);
		const alerts = (cell: string) => fx.cbpe[cell].filter((c) => c.period === 'analysis' && c.alert).length;
		titles.forEach((l, k) => expect(l).toBe(`${cells[k]} (${alerts(cells[k])} of 6 analysis chunks alert)`));
	});

	it('refuses bad input with one line naming the file, row and column', async () => {
		const io = (analysis: string, proba = PROBA) => ['--reference', `${CBPE_DIR}${SHIFT}.reference.csv`, '--analysis', analysis, ...columns(proba)];
		await expectUsageError(io(file('no-prob-c.csv')), /--y-pred-proba: no column "prob_c" in .*no-prob-c\.csv \(columns: y_true, y_pred, prob_a, prob_b\)/);
		await expectUsageError(
			io(file('unknown-true.csv')),
			/unknown-true\.csv, row 7: column "y_true" holds class "d", not one of the classes in --y-pred-proba \(a, b, c\)/
		);
		await expectUsageError(io(file('unknown-pred.csv')), /unknown-pred\.csv, row 12: column "y_pred" holds class "zebra", not one of the classes/);
		await expectUsageError(
			io(`${CBPE_DIR}${SHIFT}.analysis.csv`, 'a=prob_a,b=prob_b'),
			/\.csv, row \d+: column "y_(true|pred)" holds class "c", not one of the classes in --y-pred-proba \(a, b\)/
		);
		await expectUsageError(io(`${CBPE_DIR}${SHIFT}.analysis.csv`, 'a=prob_a,b'), /--y-pred-proba: "b" is not CLASS=COLUMN/);
	});
});
