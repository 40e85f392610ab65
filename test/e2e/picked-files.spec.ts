/**
 * Files picked into a notebook's file input are kept in this browser by content hash (OPFS) and
 * named in the cell's text: a reload restores the table without picking again, and forgetting
 * the file in the Datasets panel makes the cell ask for it.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { localFile, settled } from './helpers';

const PEOPLE_CSV = readFileSync('test/fixtures/datasets/people.csv');

test('a picked CSV survives a reload, and forgetting it makes the cell ask for the file', async ({ page }) => {
	await page.goto('/notebooks/datasets');
	await settled(page);
	const upload = page.locator('[data-cell="upload"]');
	await upload.locator('input[type=file]').setInputFiles(localFile('people.csv', PEOPLE_CSV));
	await expect(page.locator('[data-cell="dataset"]')).toHaveAttribute('data-status', 'done');
	expect((await settled(page)).summary).toBe('done');
	const rows = await page.evaluate(() => window.driftbook!.query('SELECT count(*)::INT AS n FROM dataset'));
	// Not the browser's "No file chosen" next to a loaded file.
	await expect(upload).not.toContainText('No file chosen');
	await expect(upload.getByTestId('input-file')).toContainText('people.csv');

	await page.reload();
	const statuses = await settled(page);
	expect(statuses).toMatchObject({ upload: 'done', dataset: 'done', summary: 'done' });
	expect(await page.evaluate(() => window.driftbook!.query('SELECT count(*)::INT AS n FROM dataset'))).toEqual(rows);
	await expect(upload.getByTestId('input-file')).toContainText('people.csv');
	await expect(upload.getByTestId('input-file')).toContainText('kept in this browser');

	const kept = page.getByTestId('kept-files');
	await expect(kept.locator('[data-kept-file="people.csv"]')).toContainText('used by upload');
	await kept.getByRole('button', { name: 'Forget people.csv' }).click();
	await expect(upload.getByTestId('file-needed')).toHaveText('This notebook needs people.csv: pick it');
	await expect(page.locator('[data-cell="dataset"]')).toHaveAttribute('data-status', 'queued');
	await expect(page.locator('[data-cell="dataset"]').getByTestId('cell-waiting')).toHaveText('waiting for a file in upload — pick it above');
	await expect(kept.locator('[data-kept-file="people.csv"]')).toHaveCount(0);
});

test('a share link shows the code and asks once for the local file; picking it runs the cells', async ({ page, browser, baseURL }) => {
	await page.goto('/notebooks/datasets');
	await settled(page);
	await page.locator('[data-cell="upload"] input[type=file]').setInputFiles(localFile('people.csv', PEOPLE_CSV));
	await expect(page.locator('[data-cell="upload"] [data-testid=input-file]')).toContainText('kept in this browser');
	expect((await settled(page)).summary).toBe('done');
	await page.getByRole('button', { name: 'Copy link' }).click();
	const link = await page.getByTestId('share-link').inputValue();

	const stranger = await browser.newContext({ baseURL });
	const view = await stranger.newPage();
	await view.goto(link);
	await settled(view);
	// The SQL is there to read, in an editor that cannot be typed in.
	const code = view.locator('[data-cell="summary"] [data-testid=cell-code]');
	await expect(code.locator('.cm-content')).toContainText('SELECT count(*) AS n FROM dataset');
	await expect(code.locator('.cm-content')).toHaveAttribute('contenteditable', 'false');
	await expect(view.locator('[data-cell="dataset"] [data-testid=cell-code] .cm-content')).toContainText('file: upload');
	// One clear request for the one file, named.
	const needed = view.getByTestId('needed-files');
	await expect(needed.locator('[data-needed-file]')).toHaveCount(1);
	await expect(needed.locator('[data-needed-file="people.csv"]')).toContainText('needed by upload');
	await view.screenshot({ path: test.info().outputPath('shared-view-needs-file.png'), fullPage: true });

	await needed.locator('input[type=file]').setInputFiles(localFile('people.csv', PEOPLE_CSV));
	await expect(needed).toHaveCount(0);
	expect(await settled(view)).toMatchObject({ upload: 'done', dataset: 'done', summary: 'done' });
	await view.screenshot({ path: test.info().outputPath('shared-view-loaded.png'), fullPage: true });
	await stranger.close();
});
