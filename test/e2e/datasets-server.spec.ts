/**
 * Datasets stored on the driftbook server, from the browser: the Datasets panel lists them and
 * loads one into DuckDB through the schema preview; a data cell names one as `url: server:<name>`;
 * "Save to server" uploads a loaded file's original bytes, and nothing uploads before that.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { editAndRun, settled } from './helpers';
import { PEOPLE } from '../fixtures/datasets/generate';

const NOTEBOOK = '/notebooks/datasets';
const PEOPLE_CSV = readFileSync('test/fixtures/datasets/people.csv');

test('stored datasets list, load by panel and by server:<name>, and a loaded file is saved only when asked', async ({ page, request }) => {
	const stored = `people_${randomUUID().slice(0, 8)}`;
	const upload = await request.post(`/api/datasets?name=${stored}&format=parquet`, { data: readFileSync('test/fixtures/datasets/people.parquet') });
	expect(upload.status()).toBe(201);
	const uploads: string[] = [];
	page.on('request', (r) => {
		if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/datasets') uploads.push(r.url());
	});

	await page.goto(NOTEBOOK);
	await settled(page);
	const panel = page.getByTestId('dataset-panel');
	const item = panel.locator(`[data-testid=server-datasets] li[data-server-dataset="${stored}"]`);
	await expect(item).toContainText('PARQUET');
	await expect(item).toHaveAttribute('data-version', '1');

	// Load through the preview: the schema comes from the stored Parquet.
	await panel.getByRole('button', { name: `Load ${stored} from the server` }).click();
	const dialog = page.getByTestId('dataset-preview');
	await expect(dialog.getByTestId('preview-table').locator('tbody tr')).toHaveCount(PEOPLE.length);
	await expect(dialog.getByLabel('Type of joined')).toHaveValue('DATE');
	await dialog.getByRole('button', { name: 'Load into notebook' }).click();
	await expect(page.locator(`section[data-cell="${stored}"]`)).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
	await settled(page);
	await expect(page.locator(`[data-cell="${stored}"] [data-testid=load-report] summary`)).toContainText(`server: ${stored} v1`);
	const rows = await page.evaluate(
		(t) => window.driftbook!.query(`SELECT id::INTEGER AS id, name, score, strftime(joined, '%Y-%m-%d') AS joined, active, city FROM "${t}" ORDER BY id`),
		stored
	);
	expect(rows).toEqual(PEOPLE);

	// A file chosen in the notebook stays in the browser until "Save to server".
	await page.locator('[data-cell="upload"] input[type=file]').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: PEOPLE_CSV });
	await expect(page.locator('section[data-cell="dataset"]')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
	await settled(page);
	await panel.getByRole('button', { name: 'Refresh datasets' }).click();
	expect(uploads).toEqual([]);
	await panel.getByRole('button', { name: 'Save dataset to the server' }).click();
	const saved = panel.locator('[data-testid=server-datasets] li[data-server-dataset="dataset"]').first();
	await expect(saved).toBeVisible();
	expect(uploads).toHaveLength(1);
	const versions = (await (await request.get('/api/datasets?name=dataset')).json()).datasets as Array<{ sha256: string; format: string; size_bytes: number }>;
	expect(versions[0]).toMatchObject({ sha256: createHash('sha256').update(PEOPLE_CSV).digest('hex'), format: 'csv', size_bytes: PEOPLE_CSV.length });

	// A data cell names a stored dataset as server:<name> (its newest version); an unknown name is an error naming the cell, field and name.
	const edit = async (fields: string) => {
		const before = await page.evaluate(() => window.driftbook!.status('dataset')?.runs ?? 0);
		if ((await page.locator('[data-cell="dataset"] .cm-content').count()) === 0) await page.getByRole('button', { name: 'Edit dataset' }).click();
		await editAndRun(page, 'dataset', fields);
		await expect.poll(() => page.evaluate(() => window.driftbook!.status('dataset')?.runs ?? 0)).toBeGreaterThan(before);
		await settled(page);
		return page.evaluate(() => window.driftbook!.status('dataset'));
	};
	let state = await edit(`url: server:${stored}`);
	expect(state?.error).toBeUndefined();
	expect(await page.evaluate(async () => (await window.driftbook!.query('SELECT count(*)::INTEGER AS n FROM dataset'))[0].n)).toBe(PEOPLE.length);
	state = await edit(`url: server:${stored}_missing`);
	expect(state?.error).toBe(
		`cell dataset, field "url": the server has no dataset named "${stored}_missing" (the Datasets panel lists the stored ones under "On the server")`
	);

	// Deleting from the panel removes it from the server.
	page.once('dialog', (d) => void d.accept());
	await panel.getByRole('button', { name: `Delete ${stored} from the server` }).click();
	await expect(item).toHaveCount(0);
	expect((await (await request.get(`/api/datasets?name=${stored}`)).json()).datasets).toEqual([]);
});
