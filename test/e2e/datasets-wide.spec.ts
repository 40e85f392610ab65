import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { localFile, settled } from './helpers';

/** 10,000 columns: `id`, then col_1 … col_9999, each a permutation of 0…ROWS-1 over the rows. */
const COLUMNS = 10_000;
const ROWS = 100;
const value = (row: number, column: number) => (row * 37 + column * 11) % ROWS;
const name = (column: number) => (column === 0 ? 'id' : `col_${column}`);

function wideCsv(): string {
	const lines = [Array.from({ length: COLUMNS }, (_, j) => name(j)).join(',')];
	for (let i = 0; i < ROWS; i++) lines.push(Array.from({ length: COLUMNS }, (_, j) => (j === 0 ? i : value(i, j))).join(','));
	return lines.join('\n') + '\n';
}

async function runs(page: Page, cell: string): Promise<number> {
	return page.evaluate((n) => window.driftbook?.status(n)?.runs ?? 0, cell);
}

test('a 10,000-column table renders only the columns in view, scrolls to the last one, jumps to, sorts, filters, copies, downloads and profiles far columns', async ({
	page
}) => {
	// Reading 10,000 columns into DuckDB-WASM takes most of this on 2 cores.
	test.setTimeout(300_000);
	await page.goto('/notebooks/datasets');
	await settled(page);
	const before = await runs(page, 'dataset');
	await page.locator('[data-cell="upload"] input[type=file]').setInputFiles(localFile('wide.csv', wideCsv()));
	await expect.poll(() => runs(page, 'dataset'), { timeout: 120_000 }).toBeGreaterThan(before);
	await settled(page);
	expect((await page.evaluate(() => window.driftbook!.status('dataset')))?.status).toBe('done');
	const cell = page.locator('[data-cell="dataset"]');
	await expect(cell.getByTestId('row-count')).toHaveAttribute('data-rows', String(ROWS));

	// Only the columns in view (and a few either side) are in the DOM.
	const grid = cell.getByTestId('data-grid');
	await expect(grid.locator('[data-row="0"] [data-column="id"]')).toHaveText('0');
	await expect(grid.locator('[data-row="0"] [data-column="col_1"]')).toHaveText(String(value(0, 1)));
	const headers = grid.locator('.header .th');
	expect(await headers.count()).toBeLessThan(60);
	expect(await grid.locator('[data-row="0"] [role=gridcell]').count()).toBeLessThan(60);
	await expect(grid.getByTestId('grid-columns')).toContainText('of 10,000');

	// Scrolled to the far right: the last column's header and values, the row numbers still in view.
	const body = grid.locator('[role=grid]');
	const scrollWidth = await body.evaluate((el) => el.scrollWidth);
	expect(scrollWidth).toBeGreaterThan(COLUMNS * 48);
	await body.evaluate((el) => {
		el.scrollLeft = el.scrollWidth;
		el.dispatchEvent(new Event('scroll'));
	});
	const last = grid.locator('.th[data-column="col_9999"]');
	await expect(last.locator('.name')).toHaveText('col_9999');
	await expect(last).toBeInViewport();
	await expect(grid.locator('[data-row="0"] [data-column="col_9999"]')).toHaveText(String(value(0, 9999)));
	await expect(grid.locator('[data-row="7"] [data-column="col_9999"]')).toHaveText(String(value(7, 9999)));
	// The row numbers stay at the body's left edge (sticky), far to the right of where they started.
	const gutter = (await grid.locator('[data-row="7"] button.gutter').boundingBox())!;
	expect(Math.abs(gutter.x - (await body.boundingBox())!.x)).toBeLessThan(2);
	await expect(grid.locator('[data-column="id"]')).toHaveCount(0);
	expect(await headers.count()).toBeLessThan(60);

	// Jump to a column in the middle by name.
	const jump = grid.getByLabel('Jump to column');
	await jump.fill('col_5000');
	await expect(grid.getByTestId('jump-matches').locator('button').first()).toHaveAttribute('data-index', '5000');
	await jump.press('Enter');
	const middle = grid.locator('.th[data-column="col_5000"]');
	await expect(middle).toHaveClass(/jumped/);
	await expect(middle).toBeInViewport();
	await expect(grid.locator('[data-row="3"] [data-column="col_5000"]')).toHaveText(String(value(3, 5000)));

	// Sort by a far column, descending: whole rows move (the next column belongs to the same row).
	await jump.fill('col_9876');
	await jump.press('Enter');
	const sortButton = grid.locator('.th[data-column="col_9876"] button.sort');
	await sortButton.click();
	await expect(grid.locator('.th[data-column="col_9876"] [data-testid=sort-mark]')).toHaveText('▲');
	await expect(grid.locator('[data-row="0"] [data-column="col_9876"]')).toHaveText('0');
	await sortButton.click();
	await expect(grid.locator('.th[data-column="col_9876"] [data-testid=sort-mark]')).toHaveText('▼');
	const rowWith = (column: number, v: number) => Array.from({ length: ROWS }, (_, i) => i).find((i) => value(i, column) === v)!;
	await expect(grid.locator('[data-row="0"] [data-column="col_9876"]')).toHaveText(String(ROWS - 1));
	await expect(grid.locator('[data-row="0"] [data-column="col_9877"]')).toHaveText(String(value(rowWith(9876, ROWS - 1), 9877)));

	// Filter on it, copy one far cell, download the view.
	await grid.getByLabel('Filter col_9876').fill('< 10');
	await grid.getByLabel('Filter col_9876').press('Enter');
	await expect(grid).toHaveAttribute('data-rows', '10');
	await expect(grid.getByTestId('grid-count')).toHaveText('10 of 100 rows');
	await expect(grid.locator('[data-row="0"] [data-column="col_9876"]')).toHaveText('9');
	await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
	await grid.locator('[data-row="0"] [data-column="col_9877"]').click();
	await grid.getByRole('button', { name: 'Copy', exact: true }).click();
	await expect(grid.getByTestId('grid-message')).toHaveText('Copied 1 value.');
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(String(value(rowWith(9876, 9), 9877)));
	const downloading = page.waitForEvent('download');
	await grid.getByRole('button', { name: 'Download CSV' }).click();
	const lines = readFileSync(await (await downloading).path(), 'utf8')
		.trimEnd()
		.split('\n');
	expect(lines[0].split(',')).toHaveLength(COLUMNS);
	expect(lines).toHaveLength(11);
	const ids = lines.slice(1).map((l) => Number(l.split(',')[0]));
	expect(ids).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((v) => rowWith(9876, v)));
	expect(lines.slice(1).map((l) => Number(l.split(',')[9999]))).toEqual(ids.map((i) => value(i, 9999)));

	// The profile runs one aggregate query per batch of columns, for the cards in view only.
	await cell.getByRole('tab', { name: 'Profile' }).click();
	const summary = cell.getByTestId('profile-summary');
	await expect(summary).toContainText('columns 1–100 of 10,000');
	const profile = cell.getByTestId('profile');
	await expect(profile.locator('[data-column="col_3"]')).toHaveAttribute('data-status', 'done');
	await expect(profile.locator('[data-column="col_3"]')).toHaveAttribute('data-distinct', String(ROWS));
	await expect(profile.locator('[data-column="col_99"]')).toHaveCount(0);
	await expect(profile.locator('[data-column="id"]')).toHaveAttribute('data-max', String(ROWS - 1));
	expect(await profile.locator('section').count()).toBeLessThan(200);
	await cell.getByTestId('profile-summary').getByLabel('Jump to column').fill('col_9999');
	await cell.getByTestId('profile-summary').getByLabel('Jump to column').press('Enter');
	const far = profile.locator('[data-column="col_9999"]');
	await expect(far).toHaveAttribute('data-status', 'done');
	await expect(far).toHaveAttribute('data-min', '0');
	await expect(far).toHaveAttribute('data-max', String(ROWS - 1));
	await expect(far).toHaveAttribute('data-missing', '0');
	await expect(summary).toContainText(/columns [\d,]+–10,000 of 10,000/);
	await expect(summary).toHaveAttribute('data-batches', '100');
	expect(Number(await summary.getAttribute('data-done'))).toBeLessThan(5);
});
