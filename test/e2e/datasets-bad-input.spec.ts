/**
 * The file half of the bad-input matrix, through the notebook's file input and data cell: every
 * bad file gets an error naming the file and its line (or field), and the table loaded before
 * it stays; the odd-but-valid files load right.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { settled } from './helpers';
import { PEOPLE } from '../fixtures/datasets/generate';

const NOTEBOOK = '/notebooks/datasets';
const FIXTURES = 'test/fixtures/datasets';

async function choose(page: Page, file: { name: string; buffer: Buffer } | string) {
	const before = await page.evaluate(() => window.driftbook?.status('dataset')?.runs ?? 0);
	const input = page.locator('[data-cell="upload"] input[type=file]');
	if (typeof file === 'string') await input.setInputFiles(file);
	else await input.setInputFiles({ ...file, mimeType: 'application/octet-stream' });
	await expect.poll(() => page.evaluate(() => window.driftbook?.status('dataset')?.runs ?? 0), { timeout: 60_000 }).toBeGreaterThan(before);
	await settled(page);
	return page.evaluate(() => window.driftbook!.status('dataset'));
}

const count = (page: Page) => page.evaluate(async () => Number((await window.driftbook!.query('SELECT count(*)::INTEGER AS n FROM dataset'))[0].n));

const parquet = readFileSync(`${FIXTURES}/people.parquet`);
const latin1 = Buffer.concat([Buffer.from('id,name\n1,ok\n2,'), Buffer.from([0xe9, 0x74, 0xe9]), Buffer.from('\n')]);

/** About 2.7 MB: ten chunks (csvChunkBytes), past the sniffed sample, with one short row in the last, after nine chunks were staged. */
const lateRagged = Buffer.from(
	['id,name,score', ...Array.from({ length: 120_000 }, (_, i) => (i === 110_000 ? `${i},b` : `${i},name${i},${i}.5`)), ''].join('\n')
);

/** Bad files: what the error must say. Each is tried with people.csv loaded before it. */
const BAD: Array<{ name: string; buffer: Buffer; says: RegExp }> = [
	{ name: 'empty.csv', buffer: Buffer.alloc(0), says: /^empty\.csv: .*empty/ },
	{ name: 'ragged.csv', buffer: Buffer.from('id,name,score\n1,a,2.5\n2,b\n3,c,4.5\n'), says: /^ragged\.csv, line 3: Expected Number of Columns: 3 Found: 2/ },
	{
		name: 'multiline.csv',
		buffer: Buffer.from('id,note\n1,"first\nsecond"\n2,x,extra\n'),
		says: /^multiline\.csv, line 4: Expected Number of Columns: 2 Found: 3/
	},
	{ name: 'late-ragged.csv', buffer: lateRagged, says: /^late-ragged\.csv, line 110002: Expected Number of Columns: 3 Found: 2/ },
	{ name: 'latin1.csv', buffer: latin1, says: /^latin1\.csv: line 3: byte 0xE9 \(offset 15\) is not UTF-8/ },
	{
		name: 'truncated.parquet',
		buffer: parquet.subarray(0, Math.floor(parquet.length / 2)),
		says: /^truncated\.parquet: .*Parquet file is damaged or cut short/
	},
	{ name: 'binary.csv', buffer: Buffer.from([0x69, 0x64, 0x0a, 0x00, 0x01, 0x02, 0x0a]), says: /^binary\.csv: the file holds NUL bytes/ }
];

test('bad files are refused with the file and line named, keeping the table loaded before; odd valid files load', async ({ page }) => {
	await page.goto(NOTEBOOK);
	await settled(page);
	expect((await choose(page, { name: 'people.csv', buffer: readFileSync(`${FIXTURES}/people.csv`) }))?.status).toBe('done');

	for (const bad of BAD) {
		const state = await choose(page, bad);
		expect(state?.status, bad.name).toBe('error');
		expect(state?.error, bad.name).toMatch(bad.says);
		expect(await count(page), `${bad.name}: the table loaded before stays`).toBe(PEOPLE.length);
	}

	// A 2 GB file (sparse: nothing is written to disk) is refused at once, before it is read.
	const dir = mkdtempSync(join(tmpdir(), 'driftbook-big-'));
	try {
		const big = join(dir, 'big.csv');
		execFileSync('truncate', ['-s', '2G', big]);
		const started = Date.now();
		const state = await choose(page, big);
		expect(state?.status).toBe('error');
		expect(state?.error).toMatch(/^big\.csv: |^big\.csv would need/);
		expect(state?.error).toMatch(/memory|NUL bytes/);
		test.info().annotations.push({ type: '2 GB file', description: `${state?.error} (${Date.now() - started} ms)` });
		expect(await count(page)).toBe(PEOPLE.length);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}

	// Valid but odd: a header with no rows, a BOM, a semicolon delimiter, quoted newlines. (10,000 columns: test/unit/ingest/bad-input.test.ts.)
	let state = await choose(page, { name: 'header-only.csv', buffer: Buffer.from('id,name,score\n') });
	expect(state?.error).toBeUndefined();
	expect(await count(page)).toBe(0);
	expect(
		await page.evaluate(
			async () => (await window.driftbook!.query(`SELECT count(*)::INTEGER AS n FROM information_schema.columns WHERE table_name = 'dataset'`))[0].n
		)
	).toBe(3);

	state = await choose(page, { name: 'bom.csv', buffer: Buffer.from('\ufeffid;name\n1;a\n2;b\n') });
	expect(state?.error).toBeUndefined();
	expect(await page.evaluate(() => window.driftbook!.query('SELECT id::INTEGER AS id, name FROM dataset ORDER BY id'))).toEqual([
		{ id: 1, name: 'a' },
		{ id: 2, name: 'b' }
	]);

	state = await choose(page, { name: 'quoted.csv', buffer: Buffer.from('id,note\n1,"first\nsecond"\n2,"say ""hi"""\n') });
	expect(state?.error).toBeUndefined();
	expect(await page.evaluate(() => window.driftbook!.query('SELECT note FROM dataset ORDER BY id'))).toEqual([{ note: 'first\nsecond' }, { note: 'say "hi"' }]);
});
