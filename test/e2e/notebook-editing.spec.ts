import { readFileSync } from 'node:fs';
import { expect, sharedPage, test } from './fixtures';
import { editAndRun, markdownOnlyNotebook, runCounts, settled } from './helpers';

const TOUR = '/notebooks/notebook-tour';

test('export then import round-trips the notebook', async ({ page, request }) => {
	await page.goto(TOUR);
	await settled(page);
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Export' }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toBe('notebook-tour.driftbook.md');
	const exported = readFileSync(await download.path(), 'utf8');
	expect(exported).toBe(readFileSync('notebooks/notebook-tour.driftbook.md', 'utf8'));

	// Replace another notebook's cells with it (after the confirmation): it becomes that notebook, and runs.
	page.on('dialog', (dialog) => void dialog.accept());
	await page.goto(await markdownOnlyNotebook(request, 'Replaced by the tour'));
	await expect(page.getByTestId('notebook-title')).toHaveText('Replaced by the tour');
	await page.getByTestId('replace-file').setInputFiles({ name: 'tour.driftbook.md', mimeType: 'text/markdown', buffer: Buffer.from(exported) });
	await expect(page.getByTestId('notebook-title')).toHaveText('A tour of driftbook notebooks');
	const statuses = await settled(page);
	expect(Object.keys(statuses)).toEqual(['md1', 'events', 'min_tenure', 'plans', 'by_plan', 'by_plan_chart', 'headline']);
	const again = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Export' }).click();
	expect(readFileSync(await (await again).path(), 'utf8')).toBe(exported);

	// A broken file is refused with its line, and the notebook is untouched.
	await page
		.getByTestId('replace-file')
		.setInputFiles({ name: 'broken.driftbook.md', mimeType: 'text/markdown', buffer: Buffer.from('# x\n\n```sql\nSELECT 1\n```\n') });
	await expect(page.getByTestId('notebook-message')).toHaveText('broken.driftbook.md: line 3: sql cell needs a name (```sql name=...)');
	await expect(page.getByTestId('notebook-title')).toHaveText('A tour of driftbook notebooks');
});

test('reload restores edits that were typed but not run', async ({ page }) => {
	await page.goto(TOUR);
	await settled(page);
	const editor = page.locator('[data-cell="by_plan"] .cm-content');
	await editor.click();
	await page.keyboard.press('ControlOrMeta+End');
	await page.keyboard.insertText('\n-- reviewed by ana');
	await expect(page.locator('[data-cell="by_plan"]')).toContainText('edited');
	await expect(page.getByTestId('autosave')).toHaveAttribute('data-state', 'saved');
	await page.reload();
	await expect(page.getByTestId('draft-restored')).toBeVisible();
	await expect(page.locator('[data-cell="by_plan"] .cm-content')).toContainText('-- reviewed by ana');
	await settled(page);
	await page.getByRole('button', { name: 'Discard them' }).click();
	await expect(page.locator('[data-cell="by_plan"] .cm-content')).not.toContainText('-- reviewed by ana');
	await page.reload();
	await expect(page.locator('[data-cell="by_plan"] .cm-content')).toBeVisible();
	await expect(page.getByTestId('draft-restored')).toHaveCount(0);
});

test('a demo page runs a bundled notebook without any API call', async ({ page }) => {
	const api: string[] = [];
	page.on('request', (r) => {
		if (new URL(r.url()).pathname.startsWith('/api/')) api.push(r.url());
	});
	await page.goto('/demo/notebook-tour');
	const statuses = await settled(page);
	expect(Object.values(statuses).every((s) => s === 'done')).toBe(true);
	await expect(page.getByTestId('readonly-badge')).toBeVisible();
	expect(api).toEqual([]);
});

test.describe('on one open tour notebook', () => {
	// One page load and one DuckDB start for these tests, in this order: the share link is taken
	// from the untouched notebook, and the chart form's unfinished typing comes last.
	const shared = sharedPage(async (page) => {
		await page.goto(TOUR);
		await settled(page);
	});

	test('a share link opens read-only in a fresh browser and runs code only after trust', async ({ browser, baseURL }) => {
		const page = shared();
		await page.getByRole('button', { name: 'Copy link' }).click();
		const link = await page.getByTestId('share-link').inputValue();
		expect(link).toMatch(/\/view#nb=[A-Za-z0-9_-]+$/);

		const stranger = await browser.newContext({ baseURL });
		const requests: string[] = [];
		stranger.on('request', (r) => requests.push(r.url()));
		const view = await stranger.newPage();
		await view.goto(link);
		const statuses = await settled(view);
		await expect(view.getByTestId('readonly-badge')).toBeVisible();
		// The code shows next to its outputs, in editors that cannot be typed in.
		await expect(view.locator('[data-cell] [data-testid=cell-code] .cm-editor').first()).toBeVisible();
		await expect(view.locator('.cm-content[contenteditable=true]')).toHaveCount(0);
		await expect(view.getByRole('button', { name: 'Add cell' })).toHaveCount(0);
		expect(statuses.by_plan).toBe('done');
		expect(statuses.by_plan_chart).toBe('done');
		expect(statuses.headline).toBe('error');
		await expect(view.locator('[data-cell="headline"] [data-testid=cell-error]')).toContainText('Trust and run');
		// The notebook travelled in the fragment: no request carried it.
		expect(requests.some((url) => url.includes('nb='))).toBe(false);

		await view.getByRole('button', { name: 'Trust and run code cells' }).click();
		await settled(view);
		await expect(view.locator('[data-cell="headline"]')).toHaveAttribute('data-status', 'done');
		await expect(view.locator('[data-cell="headline"] [data-testid=js-value]')).toContainText('Highest churn:');
		await stranger.close();
	});

	test('a slider re-filters the SQL and the chart that reads it', async () => {
		const page = shared();
		const before = await runCounts(page, ['events', 'by_plan', 'by_plan_chart', 'headline']);
		const customers = () => page.evaluate(() => window.driftbook!.query('SELECT sum(customers)::INTEGER AS n FROM by_plan'));
		const all = (await customers())[0].n as number;

		await page.locator('[data-cell="min_tenure"] input[type=range]').fill('36');
		await expect(page.locator('[data-cell="min_tenure"] [data-testid=input-value]')).toHaveText('36');
		await settled(page);
		const after = await runCounts(page, ['events', 'by_plan', 'by_plan_chart', 'headline']);
		expect(after.events).toBe(before.events);
		expect(after.by_plan).toBeGreaterThan(before.by_plan!);
		expect(after.by_plan_chart).toBeGreaterThan(before.by_plan_chart!);
		const expected = await page.evaluate(() => window.driftbook!.query('SELECT count(*)::INTEGER AS n FROM events WHERE tenure_months >= 36'));
		expect((await customers())[0].n).toBe(expected[0].n);
		expect(expected[0].n).toBeLessThan(all);
		await expect(page.locator('[data-cell="by_plan_chart"] svg').first()).toBeVisible();
	});

	test('an error in one cell leaves the others working, and a cycle is reported', async () => {
		const page = shared();
		await editAndRun(page, 'by_plan', 'SELECT plan, churn_rat FROM events');
		const statuses = await settled(page);
		expect(statuses.by_plan).toBe('error');
		await expect(page.locator('[data-cell="by_plan"] [data-testid=cell-error]')).toContainText('churn_rat');
		expect(statuses.by_plan_chart).toBe('error');
		await expect(page.locator('[data-cell="by_plan_chart"] [data-testid=cell-error]')).toHaveText('upstream error in cell "by_plan"');
		expect(statuses.events).toBe('done');
		expect(statuses.min_tenure).toBe('done');

		// Two new cells that read each other.
		await page.getByLabel('New cell kind').selectOption('sql');
		await page.getByRole('button', { name: 'Add cell' }).click();
		await page.getByRole('button', { name: 'Add cell' }).click();
		await editAndRun(page, 'sql1', 'SELECT * FROM sql2');
		await editAndRun(page, 'sql2', 'SELECT * FROM sql1');
		await settled(page);
		for (const name of ['sql1', 'sql2']) {
			await expect(page.locator(`[data-cell="${name}"]`)).toHaveAttribute('data-status', 'error');
			await expect(page.locator(`[data-cell="${name}"] [data-testid=cell-error]`)).toContainText('circular definition');
		}
		// The rest of the notebook still answers.
		await editAndRun(page, 'by_plan', 'SELECT plan, count(*) AS customers, avg(churned) AS churn_rate FROM events GROUP BY plan');
		const healed = await settled(page);
		expect(healed.by_plan).toBe('done');
		expect(healed.by_plan_chart).toBe('done');
	});

	test('the chart form rewrites the chart cell, and SQL completion offers live tables and columns', async () => {
		const page = shared();
		const chart = page.locator('[data-cell="by_plan_chart"]');
		await chart.getByRole('button', { name: 'Edit by_plan_chart' }).click();
		const form = chart.getByRole('form', { name: 'by_plan_chart chart settings' });
		await form.getByLabel('y', { exact: true }).selectOption('customers');
		await form.getByLabel('y axis label').fill('Events (count)');
		await form.getByLabel('y axis label').press('Tab');
		await settled(page);
		await expect(chart.locator('.cm-content')).toContainText('y: customers');
		await expect(chart.locator('svg [aria-label="y-axis label"]')).toContainText('Events (count)');

		const editor = page.locator('[data-cell="by_plan"] .cm-content');
		await editor.click();
		await page.keyboard.press('ControlOrMeta+End');
		await page.keyboard.type('\nSELECT tenure_mo');
		await expect(page.locator('.cm-tooltip-autocomplete')).toContainText('tenure_months');
		await page.keyboard.press('Escape');
		await page.keyboard.type(' FROM by_pl');
		await expect(page.locator('.cm-tooltip-autocomplete')).toContainText('by_plan');
	});
});

test('an A/B or champion cell from the menu waits for a fitting table with guidance, then starts from it and runs', async ({ page }) => {
	const made = await page.request.post('/api/notebooks', {
		data: { source: '---\ntitle: Starters\n---\n\n```sql name=q\nSELECT range AS day FROM range(5)\n```\n' }
	});
	const { notebook } = await made.json();
	await page.goto(`/notebooks/${notebook.slug}`);
	await settled(page);
	const add = async (kind: string) => {
		await page.getByLabel('New cell kind').selectOption(kind);
		await page.getByRole('button', { name: 'Add cell' }).click();
	};
	// No table with a group column and a metric, nor two predictions: guidance, not an error.
	await add('ab');
	await add('champion');
	expect(await settled(page)).toEqual({ q: 'done', ab1: 'queued', champion1: 'queued' });
	await expect(page.locator('[data-cell="ab1"] [data-testid=cell-waiting]')).toContainText('Needs a table with a group column');
	await expect(page.locator('[data-cell="champion1"] [data-testid=cell-waiting]')).toContainText('two prediction columns');
	await expect(page.locator('[data-cell="ab1"] [data-testid=cell-error]')).toHaveCount(0);

	// With a fitting table, new cells pick its columns and run.
	await editAndRun(
		page,
		'q',
		"SELECT range AS id, CASE WHEN range % 2 = 0 THEN 'A' ELSE 'B' END AS variant, (range % 3 = 0)::INTEGER AS converted,\n" +
			'  (range % 7) / 7.0 AS score_old, (range % 5) / 5.0 AS score_new FROM range(400)'
	);
	await settled(page);
	await add('ab');
	await add('champion');
	expect(await settled(page)).toMatchObject({ q: 'done', ab2: 'done', champion2: 'done' });
	await expect(page.locator('[data-cell="ab2"]')).toContainText('converted by variant in q, control A');
	await expect(page.locator('[data-cell="champion2"]')).toContainText('score_old (champion) against score_new (challenger) on converted in q');
});

test('Shift+Enter runs a SQL cell and closes its completion list', async ({ page }) => {
	const made = await page.request.post('/api/notebooks', {
		data: { source: '---\ntitle: Completion\n---\n\n```sql name=events\nSELECT range AS tenure_months FROM range(10)\n```\n\n```sql name=q\nSELECT 1\n```\n' }
	});
	const { notebook } = await made.json();
	await page.goto(`/notebooks/${notebook.slug}`);
	await settled(page);
	const runs = (await runCounts(page, ['q'])).q!;
	await page.locator('[data-cell="q"] .cm-content').click();
	await page.keyboard.press('ControlOrMeta+a');
	await page.keyboard.type('SELECT max(tenure_months) AS longest FROM events WHERE tenure_mo');
	await expect(page.locator('.cm-tooltip-autocomplete')).toContainText('tenure_months');
	await page.keyboard.press('Shift+Enter');
	await expect(page.locator('.cm-tooltip-autocomplete')).toHaveCount(0);
	await settled(page);
	expect((await runCounts(page, ['q'])).q).toBeGreaterThan(runs);
});
