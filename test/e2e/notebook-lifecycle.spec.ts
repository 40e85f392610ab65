import { expect, test } from './fixtures';
import { editAndRun, settled } from './helpers';

const cellNames = (page: import('@playwright/test').Page) => page.locator('[data-cell]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-cell')));

test('home → New notebook from the gallery; every kind in the menu, cells inserted anywhere and started from the notebook’s tables', async ({ page }) => {
	await page.goto('/');
	await page.getByTestId('new-notebook').click();
	await expect(page).toHaveURL(/\/notebooks\/new$/);
	await expect(page.locator('[data-template]')).toHaveCount(5);
	await page.locator('[data-template="blank"]').click();
	await expect(page).toHaveURL(/\/notebooks\/untitled-notebook(-\d+)?$/);
	await expect(page.getByTestId('notebook-title')).toHaveText('Untitled notebook');
	expect(await settled(page)).toMatchObject({ q1: 'done' });

	const menu = await page.getByLabel('New cell kind').locator('option').allTextContents();
	expect(menu).toEqual(expect.arrayContaining(['ab', 'champion', 'power', 'drift', 'chart']));

	await editAndRun(page, 'q1', 'SELECT range AS day, range * 2 AS value\nFROM range(10)');
	await settled(page);
	await page.getByLabel('Insert a cell next to q1').selectOption('above:markdown');
	await page.getByLabel('Insert a cell next to q1').selectOption('below:chart');
	await page.getByLabel('New cell kind').selectOption('drift');
	await page.getByRole('button', { name: 'Add cell' }).click();
	expect(await cellNames(page)).toEqual(['md1', 'notes1', 'q1', 'chart1', 'drift1']);
	// Started from q1, the chart and drift cells run instead of starting red.
	expect(await settled(page)).toEqual({ md1: 'done', notes1: 'done', q1: 'done', chart1: 'done', drift1: 'done' });

	// Hide the output of one cell, keep its code.
	await page.getByLabel('Hide output of q1').click();
	await expect(page.locator('[data-cell="q1"] .output')).toBeHidden();
	await expect(page.locator('[data-cell="q1"] .cm-content')).toBeVisible();

	// Run all runs every cell again.
	const runs = await page.evaluate(() => window.driftbook!.status('q1')?.runs ?? 0);
	await page.getByRole('button', { name: 'Run all' }).click();
	await settled(page);
	expect(await page.evaluate(() => window.driftbook!.status('q1')?.runs)).toBeGreaterThan(runs);

	// ? opens the keyboard shortcuts (outside an editor).
	await page.locator('h2', { hasText: 'Outline' }).click();
	await page.keyboard.press('?');
	await expect(page.getByTestId('keyboard-shortcuts')).toContainText('Shift+Enter');
	await page.keyboard.press('Escape');
	await expect(page.getByTestId('keyboard-shortcuts')).toHaveCount(0);
});

test('the home page searches, duplicates, renames and deletes notebooks, with undo', async ({ page }) => {
	const made = await page.request.post('/api/notebooks', { data: { source: '---\ntitle: Lifecycle original\n---\n\n```sql name=q\nSELECT 1 AS one\n```\n' } });
	const { notebook } = await made.json();
	await page.goto('/');
	const row = page.locator(`[data-notebook="${notebook.slug}"]`);
	await expect(row).toContainText('edited just now');
	await page.getByTestId('notebook-search').fill('lifecycle orig');
	await expect(page.locator('[data-notebook]')).toHaveCount(1);

	await row.getByRole('button', { name: 'Rename' }).click();
	await row.getByLabel('New title for Lifecycle original').fill('Lifecycle renamed');
	await row.getByLabel('New title for Lifecycle original').press('Enter');
	await expect(row.locator('a')).toHaveText('Lifecycle renamed');
	expect((await (await page.request.get(`/api/notebooks/${notebook.id}`)).json()).notebook.source).toContain('title: Lifecycle renamed');

	await row.getByRole('button', { name: 'Duplicate' }).click();
	await expect(page.getByTestId('notebook-title')).toHaveText('Copy of Lifecycle renamed');
	await expect(page.locator('[data-cell="q"]')).toBeVisible();

	await page.goto('/');
	await page.getByTestId('notebook-search').fill('lifecycle renamed');
	await expect(page.locator('[data-notebook]')).toHaveCount(2);
	await row.getByRole('button', { name: 'Delete' }).click();
	await expect(row).toHaveCount(0);
	await page.getByTestId('undo-delete').click();
	await expect(row).toBeVisible();
	await row.getByRole('button', { name: 'Delete' }).click();
	await expect(page.getByTestId('deleted-toast')).toHaveCount(0, { timeout: 15_000 });
	expect((await page.request.get(`/api/notebooks/${notebook.id}`)).status()).toBe(404);
});

test('Import opens the file as a new notebook and leaves the open one untouched', async ({ page }) => {
	const original = '---\ntitle: Import target\n---\n\n```sql name=q\nSELECT 1 AS one\n```\n';
	const { notebook } = await (await page.request.post('/api/notebooks', { data: { source: original } })).json();
	await page.goto(`/notebooks/${notebook.slug}`);
	await settled(page);
	const imported = '---\ntitle: Imported notebook\n---\n\n```sql name=other\nSELECT 2 AS two\n```\n';
	await page.getByTestId('import-file').setInputFiles({ name: 'imported.driftbook.md', mimeType: 'text/markdown', buffer: Buffer.from(imported) });
	await expect(page).toHaveURL(/\/notebooks\/imported-notebook(-\d+)?$/);
	await expect(page.getByTestId('notebook-title')).toHaveText('Imported notebook');
	expect(await settled(page)).toEqual({ other: 'done' });
	const after = (await (await page.request.get(`/api/notebooks/${notebook.id}`)).json()).notebook;
	expect(after).toMatchObject({ source: original, version: notebook.version });
});

test('renaming a cell inline renames its table and the references to it', async ({ page }) => {
	const source =
		'---\ntitle: Rename inline\n---\n\n```sql name=events\nSELECT range AS x FROM range(5)\n```\n\n```sql name=q\nSELECT count(*) AS n FROM events\n```\n';
	const { notebook } = await (await page.request.post('/api/notebooks', { data: { source } })).json();
	await page.goto(`/notebooks/${notebook.slug}`);
	await settled(page);
	await page.getByLabel('Rename events').click();
	await page.getByLabel('New name for events').fill('clicks');
	await page.getByLabel('New name for events').press('Enter');
	expect(await settled(page)).toEqual({ clicks: 'done', q: 'done' });
	await expect(page.locator('[data-cell="q"] .cm-content')).toContainText('FROM clicks');
	// The old table is gone from DuckDB, so completion and the chart's picker no longer offer it.
	const tables = () => page.evaluate(async () => (await window.driftbook!.query('SELECT table_name FROM information_schema.tables')).map((r) => r.table_name));
	await expect.poll(tables).not.toContain('events');
	expect(await tables()).toContain('clicks');
});

test('an editor below the fold draws its line numbers at the height of its lines', async ({ page }) => {
	await page.setViewportSize({ width: 1280, height: 700 });
	const filler = Array.from({ length: 6 }, (_, i) => `\`\`\`sql name=f${i}\nSELECT range FROM range(20)\n\`\`\`\n`).join('\n');
	const long = Array.from({ length: 30 }, (_, i) => `SELECT ${i} AS x UNION ALL`).join('\n') + '\nSELECT 99';
	const source = `---\ntitle: Line numbers\n---\n\n${filler}\n\`\`\`sql name=longq\n${long}\n\`\`\`\n`;
	const { notebook } = await (await page.request.post('/api/notebooks', { data: { source } })).json();
	await page.goto(`/notebooks/${notebook.slug}`);
	await settled(page);
	const cell = page.locator('[data-cell="longq"]');
	expect(await cell.evaluate((c) => c.getBoundingClientRect().top)).toBeGreaterThan(700);
	const line = await cell
		.locator('.cm-line')
		.first()
		.evaluate((e) => e.getBoundingClientRect().height);
	const numbers = await cell.locator('.cm-lineNumbers .cm-gutterElement').evaluateAll((els) => els.slice(1, 6).map((e) => e.getBoundingClientRect().height));
	for (const height of numbers) expect(height).toBeCloseTo(line, 1);
});

test('a SQL error names the line of the cell, once', async ({ page }) => {
	const source = '---\ntitle: SQL error lines\n---\n\n```sql name=bad\nSELECT 1 AS a,\n  2 AS b\nFROM nowhere_at_all\n```\n\n```sql name=typo\nSELEC 1\n```\n';
	const { notebook } = await (await page.request.post('/api/notebooks', { data: { source } })).json();
	await page.goto(`/notebooks/${notebook.slug}`);
	expect(await settled(page)).toEqual({ bad: 'error', typo: 'error' });
	const bad = await page.locator('[data-cell="bad"] [data-testid="cell-error"]').textContent();
	expect(bad).toContain('LINE 3: FROM nowhere_at_all');
	const typo = (await page.locator('[data-cell="typo"] [data-testid="cell-error"]').textContent()) ?? '';
	expect(typo).toContain('LINE 1: SELEC 1');
	expect(typo.match(/syntax error/g)).toHaveLength(1);
});
