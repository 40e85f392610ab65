import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { runCounts, settled } from './helpers';

// Worker crash recovery: a crash fails the cell that was using the worker with a clear error,
// the worker starts again on next use, and the other cells keep working. The crash is the one a
// real crash produces (an `error` event, then the worker is gone), fired through window.driftbook.

const cell = (page: Page, name: string) => page.locator(`[data-cell="${name}"]`);
const SOURCE = [
	'---',
	'title: Crash recovery',
	'---',
	'',
	'```sql name=numbers',
	'SELECT range AS n, sin(range) AS x FROM range(20000)',
	'```',
	'',
	'```sql name=total',
	'SELECT sum(n)::BIGINT AS s FROM numbers',
	'```',
	'',
	'```drift name=shift',
	'table: numbers',
	'split: n < 10000',
	'columns: x',
	'method: ks',
	'```',
	''
].join('\n');

test('a crashed worker fails only its cell, restarts, and DuckDB rebuilds the lost tables', async ({ page, request }) => {
	const created = await request.post('/api/notebooks', { data: { source: SOURCE } });
	const { notebook } = (await created.json()) as { notebook: { slug: string } };
	await page.goto(`/notebooks/${notebook.slug}`);
	expect(await settled(page)).toEqual({ numbers: 'done', total: 'done', shift: 'done' });

	// The statistics worker dies while the drift cell is using it.
	const crash = page.evaluate(() => window.driftbook!.crashWorker('stats', { whenBusy: true }));
	await page.getByRole('button', { name: 'Run shift' }).click();
	await crash;
	await expect(cell(page, 'shift')).toHaveAttribute('data-status', 'error');
	await expect(cell(page, 'shift').getByTestId('cell-error')).toContainText(
		'statistics worker crashed (killed on purpose (test)) and was restarted; run the cell again'
	);
	await expect(cell(page, 'total')).toHaveAttribute('data-status', 'done');
	// Run again: a fresh worker answers.
	await page.getByRole('button', { name: 'Run shift' }).click();
	await settled(page);
	await expect(cell(page, 'shift')).toHaveAttribute('data-status', 'done');
	expect(await page.evaluate(() => window.driftbook!.workerRestarts('stats'))).toBe(1);

	// DuckDB dies in the middle of a query: that cell fails; the finished cells run again in a
	// fresh DuckDB, because their tables died with the old one.
	const before = await runCounts(page, ['numbers', 'total']);
	const crashDb = page.evaluate(() => window.driftbook!.crashWorker('duckdb', { whenBusy: true }));
	await page.getByRole('button', { name: 'Run shift' }).click();
	await crashDb;
	await expect(cell(page, 'shift').getByTestId('cell-error')).toContainText(
		'DuckDB worker crashed (killed on purpose (test)) and was restarted; the cells whose tables lived in it run again'
	);
	await settled(page);
	const after = await runCounts(page, ['numbers', 'total']);
	expect(after.numbers).toBe(before.numbers! + 1);
	expect(after.total).toBe(before.total! + 1);
	await expect(cell(page, 'total')).toHaveAttribute('data-status', 'done');
	expect(await page.evaluate(() => window.driftbook!.query('SELECT sum(n)::INTEGER AS s FROM numbers'))).toEqual([{ s: 199990000 }]);
	expect(await page.evaluate(() => window.driftbook!.workerRestarts('duckdb'))).toBe(1);
	// And the crashed cell works again when run.
	await page.getByRole('button', { name: 'Run shift' }).click();
	await settled(page);
	await expect(cell(page, 'shift')).toHaveAttribute('data-status', 'done');
});
