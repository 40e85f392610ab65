/**
 * A newcomer's first hour, end to end: a new notebook, their own CSV, a SQL split, drift, chart
 * and A/B cells started from the "New cell" menu, a reload, a share link opened elsewhere, and an
 * import that leaves the notebook alone. With DRIFTBOOK_SCREENSHOTS=<folder> set it also saves
 * 1280×800 screenshots of the home page, the new notebook and the shared view there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { editAndRun, localFile, settled } from './helpers';

const EXPERIMENT_CSV = readFileSync('test/fixtures/datasets/experiment.csv');
const VIEWPORT = { width: 1280, height: 800 };

test.use({ viewport: VIEWPORT });

async function screenshot(page: Page, name: string): Promise<void> {
	const folder = process.env.DRIFTBOOK_SCREENSHOTS;
	if (folder) await page.screenshot({ path: join(folder, `e2e16-${name}.png`) });
}

const cellNames = (page: Page) => page.locator('[data-cell]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-cell')!));

/** Adds a cell of `kind` from the "New cell" menu and returns its name. */
async function addFromMenu(page: Page, kind: string): Promise<string> {
	const before = await cellNames(page);
	await page.getByLabel('New cell kind').selectOption(kind);
	await page.getByRole('button', { name: 'Add cell' }).click();
	await expect.poll(async () => (await cellNames(page)).length).toBe(before.length + 1);
	return (await cellNames(page)).find((name) => !before.includes(name))!;
}

async function rename(page: Page, from: string, to: string): Promise<void> {
	await page.getByLabel(`Rename ${from}`).click();
	await page.getByLabel(`New name for ${from}`).fill(to);
	await page.getByLabel(`New name for ${from}`).press('Enter');
	await expect(page.locator(`[data-cell="${to}"]`)).toBeAttached();
}

const rowCount = (page: Page, table: string) => page.evaluate(async (t) => (await window.driftbook!.query(`SELECT count(*)::INT AS n FROM ${t}`))[0].n, table);

test("a newcomer's hour: new notebook, own CSV, split, drift, chart, A/B, reload, share, import", async ({ page, browser, baseURL }) => {
	// Six page loads, each starting DuckDB: generous for a loaded machine; every wait is on a state.
	test.setTimeout(420_000);
	await page.goto('/');
	await expect(page.getByTestId('new-notebook')).toBeVisible();
	await screenshot(page, 'home');
	await page.getByTestId('new-notebook').click();
	await page.locator('[data-template="blank"]').click();
	await expect(page).toHaveURL(/\/notebooks\/untitled-notebook(-\d+)?$/);
	const notebookUrl = page.url();
	expect(await settled(page)).toMatchObject({ q1: 'done' });
	await screenshot(page, 'new-notebook');

	// Their own CSV, through the Datasets panel's preview.
	await page.getByTestId('dataset-panel').getByTestId('dataset-file').setInputFiles(localFile('experiment.csv', EXPERIMENT_CSV));
	const preview = page.getByTestId('dataset-preview');
	await expect(preview.getByTestId('preview-table')).toBeVisible();
	await preview.getByRole('button', { name: 'Load into notebook' }).click();
	await expect(page.locator('[data-cell="experiment"]')).toHaveAttribute('data-status', 'done');

	// The blank notebook's query becomes the reference weeks; a SQL cell right below it the current ones.
	await editAndRun(page, 'q1', 'SELECT * FROM experiment WHERE week <= 2');
	await rename(page, 'q1', 'reference');
	const before = await cellNames(page);
	await page.getByLabel('Insert a cell next to reference').selectOption('below:sql');
	await expect.poll(async () => (await cellNames(page)).length).toBe(before.length + 1);
	const split = (await cellNames(page)).find((name) => !before.includes(name))!;
	await editAndRun(page, split, 'SELECT * FROM experiment WHERE week > 2');
	await rename(page, split, 'current');
	expect(await settled(page)).toMatchObject({ reference: 'done', current: 'done', experiment: 'done' });
	expect([await rowCount(page, 'reference'), await rowCount(page, 'current')]).toEqual([80, 80]);

	// Drift, chart and A/B cells from the menu start from the notebook's own tables and run.
	const drift = await addFromMenu(page, 'drift');
	await expect(page.locator(`[data-cell="${drift}"]`)).toHaveAttribute('data-status', 'done');
	await expect(page.locator(`[data-cell="${drift}"]`)).toContainText('revenue');
	const chart = await addFromMenu(page, 'chart');
	await expect(page.locator(`[data-cell="${chart}"]`)).toHaveAttribute('data-status', 'done');
	const ab = await addFromMenu(page, 'ab');
	await expect(page.locator(`[data-cell="${ab}"]`)).toHaveAttribute('data-status', 'done');
	const cells = await cellNames(page);
	const allDone = Object.fromEntries(cells.map((name) => [name, 'done']));
	expect(await settled(page)).toEqual(allDone);

	// A reload keeps everything: the cells, and the file-loaded table from this browser's copy of the file.
	await page.reload();
	expect(await settled(page)).toEqual(allDone);
	expect(await rowCount(page, 'experiment')).toBe(160);

	// The share link, opened by someone else: the code, read-only, and one request for the one file.
	await page.getByRole('button', { name: 'Copy link' }).click();
	const link = await page.getByTestId('share-link').inputValue();
	const stranger = await browser.newContext({ baseURL, viewport: VIEWPORT });
	const view = await stranger.newPage();
	await view.goto(link);
	const needed = view.getByTestId('needed-files');
	await expect(needed.locator('[data-needed-file]')).toHaveCount(1);
	await expect(needed.locator('[data-needed-file="experiment.csv"]')).toBeVisible();
	const code = view.locator('[data-cell="reference"] [data-testid=cell-code] .cm-content');
	await expect(code).toContainText('SELECT * FROM experiment WHERE week <= 2');
	await expect(code).toHaveAttribute('contenteditable', 'false');
	// The cells that need the file wait for it calmly: no red errors beside the request.
	const waiting = view.locator('[data-cell="experiment"]');
	await expect(waiting.getByTestId('cell-waiting')).toHaveText('waiting for a file in experiment_file — pick it above');
	await expect(view.locator('[data-cell="reference"]').getByTestId('cell-waiting')).toHaveText('waiting for experiment');
	await settled(view);
	await expect(waiting).toHaveAttribute('data-status', 'queued');
	await expect(view.locator('[data-cell][data-status="error"]')).toHaveCount(0);
	await screenshot(view, 'shared-view');
	await needed.locator('input[type=file]').setInputFiles(localFile('experiment.csv', EXPERIMENT_CSV));
	await expect(needed).toHaveCount(0);
	expect(await settled(view)).toEqual(allDone);
	await stranger.close();

	// Importing another notebook opens it as a new one; the first is as it was, at its own address.
	const second = '---\ntitle: Second notebook\n---\n\n```sql name=other\nSELECT 2 AS two\n```\n';
	await page.getByTestId('import-file').setInputFiles({ name: 'second.driftbook.md', mimeType: 'text/markdown', buffer: Buffer.from(second) });
	await expect(page).toHaveURL(/\/notebooks\/second-notebook(-\d+)?$/);
	expect(await settled(page)).toEqual({ other: 'done' });
	await page.goto(notebookUrl);
	expect(await settled(page)).toEqual(allDone);
	expect(await cellNames(page)).toEqual(cells);
	await expect(page.locator('[data-cell="current"] .cm-content')).toContainText('SELECT * FROM experiment WHERE week > 2');
});
