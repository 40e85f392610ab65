/**
 * `driftbook multivariate` on the multivariate fixture files
 * (test/fixtures/stats/multivariate, with NannyML 0.13.1's results): the JSON contract field by
 * field, default chunking, categories and missing cells as the CLI's readers give them, the table,
 * and one-line errors naming the file, row and column.
 * Exit codes and output are checked on real processes (the bundled command line, and once
 * through npm); the other runs are the same function in this process (runCliHere).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliHere, type CliRun } from '../../support/cli';
import { expectClose } from '../stats/fixtures';
import { MULTIVARIATE_DIR, loadFixture } from '../stats/multivariate/multivariate-fixtures';

const DOMAIN_DIR = fileURLToPath(new URL('../../fixtures/stats/domain-classifier/', import.meta.url));

const CONTRACT_KEYS = [
	'key',
	'period',
	'start_index',
	'end_index',
	'value',
	'sampling_error',
	'upper_confidence_boundary',
	'lower_confidence_boundary',
	'upper_threshold',
	'lower_threshold',
	'alert'
];
const NUMBERS = CONTRACT_KEYS.slice(4, 10);

const run = (args: string[], viaNpm = false) => runCli('multivariate', args, viaNpm);
/** The same command in this process (no process start): for the runs that check arguments, numbers and formats. */
const runHere = (args: string[]) => runCliHere('multivariate', args);
const data = (name: string) => [
	'--reference',
	`${MULTIVARIATE_DIR}${name}.reference.csv`,
	'--analysis',
	`${MULTIVARIATE_DIR}${name}.analysis.csv`,
	'--features',
	loadFixture(name).features.join(',')
];

type Output = { method: string; n_components: number; chunks: Record<string, unknown>[] };

function expectNannyMl(out: Output, name: string) {
	const fx = loadFixture(name);
	const want = fx.results;
	expect(Object.keys(out)).toEqual(['method', 'n_components', 'chunks']);
	expect(out.method).toBe('pca_reconstruction');
	expect(out.n_components).toBe(fx.n_components_fitted);
	expect(out.chunks).toHaveLength(want.length);
	out.chunks.forEach((chunk, i) => {
		expect(Object.keys(chunk)).toEqual(CONTRACT_KEYS);
		const w = want[i] as unknown as Record<string, unknown>;
		for (const k of ['key', 'period', 'start_index', 'end_index', 'alert']) expect(chunk[k], `${i} ${k}`).toBe(w[k]);
		for (const k of NUMBERS) {
			if (w[k] === null) expect(chunk[k], `${chunk.key} ${k}`).toBeNull();
			else expectClose(chunk[k] as number, w[k] as number, `${chunk.period} ${chunk.key} ${k}`, 1e-6);
		}
	});
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

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'driftbook-multivariate-'));
	const rows = ['a,b,c', ...Array.from({ length: 40 }, (_, i) => `${i % 7},${(i * 3) % 11},${(i * i) % 5}`)];
	writeFileSync(file('ok.csv'), rows.join('\n') + '\n');
	writeFileSync(file('empty-b.csv'), ['a,b,c', ...rows.slice(1).map((r) => r.replace(/,\d+,/, ',,'))].join('\n') + '\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('driftbook multivariate', () => {
	it('runs as `npm run -s driftbook -- multivariate … --json` and prints NannyML’s results', async () => {
		const r = await run([...data('correlation_flip'), '--chunk-size', '500', '--json'], true);
		expect(r.code, r.stderr).toBe(0);
		expectNannyMl(JSON.parse(r.stdout) as Output, 'correlation_flip');
	});

	it('reads categories and empty cells as NannyML does (imputation, count encoding, a one-row chunk)', async () => {
		const r = await run([...data('missing_values'), '--chunk-size', '100', '--json']);
		expect(r.code, r.stderr).toBe(0);
		expectNannyMl(JSON.parse(r.stdout) as Output, 'missing_values');
	});

	it('chunks as NannyML does by default: 10 chunks per data set and the remainder', async () => {
		const r = await runHere([...data('ten_chunks'), '--json']);
		expect(r.code, r.stderr).toBe(0);
		expectNannyMl(JSON.parse(r.stdout) as Output, 'ten_chunks');
	});

	it('prints a table without --json', async () => {
		const r = await runHere([...data('correlation_flip'), '--chunk-size', '500']);
		expect(r.code, r.stderr).toBe(0);
		const lines = r.stdout.trimEnd().split('\n');
		expect(lines[0]).toBe(
			'PCA reconstruction error: correlation_flip.analysis.csv against correlation_flip.reference.csv; 2 components kept; 3 of 6 analysis chunks alert.'
		);
		expect(lines.filter((l) => l.startsWith('[1500:1999]  analysis')).join()).toMatch(/ALERT$/);
	});

	it('refuses bad input with one line and exit 2', async () => {
		const ok = file('ok.csv');
		const io = (reference: string, analysis = ok) => ['--reference', reference, '--analysis', analysis];
		// a real process here, the rest in this process
		await expectUsageError(io(ok), /--features A\[,B…\] is required/, run);
		await expectUsageError([...io(ok), '--features', 'a,z'], /--features: no column "z" in .*ok\.csv \(columns: a, b, c\)/);
		await expectUsageError([...io(ok), '--features', 'a,b', '--chunk-size', '0'], /--chunk-size must be a positive whole number \(got "0"\)/);
		await expectUsageError([...io(ok), '--features', 'a,b', '--method', 'lda'], /--method must be one of pca_reconstruction, domain_classifier \(got "lda"\)/);
		await expectUsageError(
			[...io(file('empty-b.csv')), '--features', 'a,b,c', '--chunk-size', '10'],
			/empty-b\.csv: column "b" has no values \(nothing to impute from\)/
		);
	});
});

describe('driftbook multivariate --method domain_classifier', () => {
	const name = 'correlation_flip';
	const fx = JSON.parse(readFileSync(`${DOMAIN_DIR}${name}.json`, 'utf8')) as {
		features: string[];
		chunking: { chunk_size: number };
		results: Record<string, unknown>[];
	};
	const args = [
		'--method',
		'domain_classifier',
		'--reference',
		`${DOMAIN_DIR}${name}.reference.csv`,
		'--analysis',
		`${DOMAIN_DIR}${name}.analysis.csv`,
		'--features',
		fx.features.join(','),
		'--chunk-size',
		String(fx.chunking.chunk_size)
	];

	it('prints the documented JSON: chunks with the AUROC of NannyML with scikit-learn, and the feature importance', async () => {
		const r = await run([...args, '--json']);
		expect(r.code, r.stderr).toBe(0);
		const out = JSON.parse(r.stdout) as { method: string; chunks: Record<string, unknown>[]; feature_importance: Record<string, number> };
		expect(Object.keys(out)).toEqual(['method', 'chunks', 'feature_importance']);
		expect(out.method).toBe('domain_classifier');
		expect(out.chunks).toHaveLength(fx.results.length);
		out.chunks.forEach((chunk, i) => {
			const want = fx.results[i];
			expect(Object.keys(chunk)).toEqual(['key', 'period', 'start_index', 'end_index', 'value', 'upper_threshold', 'lower_threshold', 'alert']);
			for (const k of ['key', 'period', 'start_index', 'end_index', 'upper_threshold', 'lower_threshold', 'alert']) expect(chunk[k], `${i} ${k}`).toBe(want[k]);
			expect(Math.abs((chunk.value as number) - (want.value as number)), `${chunk.period} ${chunk.key} AUROC`).toBeLessThanOrEqual(1e-6);
		});
		expect(Object.keys(out.feature_importance)).toEqual(fx.features);
		expect(Object.values(out.feature_importance).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
	}, 300_000);

	it('prints a table headed by the features that tell the data sets apart', async () => {
		const r = await run(args);
		expect(r.code, r.stderr).toBe(0);
		const lines = r.stdout.trimEnd().split('\n');
		expect(lines[0]).toBe(`Domain classifier AUROC: ${name}.analysis.csv against ${name}.reference.csv; 3 of 6 analysis chunks alert.`);
		expect(lines[1]).toMatch(/^Features that tell them apart \(share of impurity decrease\): [ab] \d+(\.\d+)?%, [ab] /);
		expect(lines.filter((l) => l.startsWith('[750:999]') && l.includes('analysis')).join()).toMatch(/ALERT$/);
	}, 300_000);
});
