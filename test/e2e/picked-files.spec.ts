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
	await expect(page.locator('[data-cell="dataset"]')).toHaveAttribute('data-status', 'error');
	await expect(kept.locator('[data-kept-file="people.csv"]')).toHaveCount(0);
});
