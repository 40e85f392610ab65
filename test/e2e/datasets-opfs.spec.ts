import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { editAndRun, localFile, settled } from './helpers';

const NOTEBOOK = '/notebooks/datasets';
/** DuckDB's memory for this test: the file below (≈ 40 MB, plus 67 MB to read it) does not fit. */
const MEMORY_LIMIT = '100MB';
const ROWS = 500_000;
const GROUPS = ['north', 'south', 'east', 'west', 'centre'];

/** A CSV too big for MEMORY_LIMIT, with its GROUP BY and profile computed here. */
function largeCsv() {
	let seed = 7;
	const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
	const lines = ['id,grp,amount,note'];
	const byGroup = new Map<string, { n: number; total: number }>(GROUPS.map((g) => [g, { n: 0, total: 0 }]));
	const amounts = new Set<number>();
	let missing = 0;
	let min = Infinity;
	let max = -Infinity;
	for (let i = 0; i < ROWS; i++) {
		const grp = GROUPS[Math.floor(random() * random() * GROUPS.length)];
		const g = byGroup.get(grp)!;
		g.n++;
		let amount = '';
		if (random() < 0.05) missing++;
		else {
			const a = Math.floor(random() * 20_000) - 5_000;
			g.total += a;
			amounts.add(a);
			min = Math.min(min, a);
			max = Math.max(max, a);
			amount = String(a);
		}
		lines.push(`${i},${grp},${amount},order ${i} shipped to the ${grp} warehouse`);
	}
	return {
		bytes: Buffer.from(lines.join('\n') + '\n'),
		groups: GROUPS.map((grp) => ({ grp, n: byGroup.get(grp)!.n, total: byGroup.get(grp)!.total })).sort((a, b) => (a.grp < b.grp ? -1 : 1)),
		amount: { missing, distinct: amounts.size, min, max }
	};
}

async function runs(page: Page, cell: string): Promise<number> {
	return page.evaluate((name) => window.driftbook?.status(name)?.runs ?? 0, cell);
}

async function rerun(page: Page, cell: string, action: () => Promise<unknown>) {
	const before = await runs(page, cell);
	await action();
	await expect.poll(() => runs(page, cell), { timeout: 120_000 }).toBeGreaterThan(before);
	await settled(page);
}

async function editFields(page: Page, cell: string, text: string) {
	await rerun(page, cell, async () => {
		if ((await page.locator(`[data-cell="${cell}"] .cm-content`).count()) === 0) await page.getByRole('button', { name: `Edit ${cell}` }).click();
		await editAndRun(page, cell, text);
	});
}

/** The files under driftbook/ in this origin's OPFS, with their sizes. */
async function opfsFiles(page: Page): Promise<Record<string, number>> {
	return page.evaluate(async () => {
		const files: Record<string, number> = {};
		const walk = async (dir: FileSystemDirectoryHandle, prefix: string) => {
			for await (const [name, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
				if (handle.kind === 'directory') await walk(handle as FileSystemDirectoryHandle, `${prefix}${name}/`);
				else files[`${prefix}${name}`] = (await (handle as FileSystemFileHandle).getFile()).size;
			}
		};
		const root = await navigator.storage.getDirectory();
		const app = await root.getDirectoryHandle('driftbook').catch(() => undefined);
		if (app) await walk(app, '');
		return files;
	});
}

test('a file too big for memory loads to an OPFS database, answers SQL and the profile, drops its file, and is refused without OPFS', async ({ page }) => {
	const { bytes, groups, amount } = largeCsv();
	const file = localFile('large.csv', bytes);
	await page.goto(NOTEBOOK);
	await settled(page);
	const panel = page.getByTestId('dataset-panel');
	await page.evaluate((limit) => window.driftbook!.query(`SET memory_limit = '${limit}'`), MEMORY_LIMIT);

	// Loading: progress, then the table lives on disk, in its own database file.
	await rerun(page, 'dataset', () => page.locator('[data-cell="upload"] input[type=file]').setInputFiles(file));
	expect((await page.evaluate(() => window.driftbook!.status('dataset')))?.error).toBeUndefined();
	await expect(page.locator('[data-cell="dataset"] [data-testid=row-count]')).toHaveAttribute('data-rows', String(ROWS));
	const limit = await page.evaluate(() => window.driftbook!.query(`SELECT current_setting('memory_limit') AS l`));
	expect(limit[0].l).toMatch(/^9\d\.\d MiB$/);
	await expect(panel.getByTestId('disk-usage')).toHaveAttribute('data-available', 'true');
	await expect(panel.getByTestId('disk-usage')).toContainText(/Disk \(OPFS\): .* used of .* this site may store/);
	const entry = panel.locator('[data-table="dataset"]');
	await expect(entry.getByTestId('table-storage')).toHaveAttribute('data-storage', 'disk');
	await expect(entry.getByTestId('table-storage')).toContainText('disk (OPFS)');
	const files = await opfsFiles(page);
	const databases = Object.entries(files).filter(([name]) => name.endsWith('.duckdb'));
	expect(databases, JSON.stringify(files)).toHaveLength(1);
	expect(databases[0][0]).toMatch(/^[0-9a-f-]{36}\/__disk_dataset_[0-9a-f]{8}\.duckdb$/);
	expect(databases[0][1]).toBeGreaterThan(1e6);

	// The notebook reads it under its plain name: a GROUP BY in a SQL cell, checked against the file.
	await editFields(page, 'summary', 'SELECT grp, count(*)::INTEGER AS n, sum(amount)::BIGINT AS total FROM dataset GROUP BY grp ORDER BY grp');
	const summary = await page.evaluate(() => window.driftbook!.query('SELECT grp, n, total::DOUBLE AS total FROM summary ORDER BY grp'));
	expect(summary).toEqual(groups);

	// The profile over the disk table. Its exact distinct counts and quantiles over 500,000 rows need
	// more working memory than the 100 MB the load was given, and DuckDB-WASM 1.32 cannot spill to
	// OPFS: the limit goes up to 2 GB for the profile (the table stays on disk).
	await page.evaluate(() => window.driftbook!.query(`SET memory_limit = '2GB'`));
	await page.locator('[data-cell="dataset"]').getByRole('tab', { name: 'Profile' }).click();
	const profile = page.locator('[data-cell="dataset"] [data-testid=profile] [data-column="amount"]');
	await expect(profile).toHaveAttribute('data-missing', String(amount.missing), { timeout: 120_000 });
	await expect(profile).toHaveAttribute('data-distinct', String(amount.distinct));
	expect(Number(await profile.getAttribute('data-min'))).toBe(amount.min);
	expect(Number(await profile.getAttribute('data-max'))).toBe(amount.max);
	const grp = page.locator('[data-cell="dataset"] [data-testid=profile] [data-column="grp"]');
	expect(JSON.parse((await grp.getAttribute('data-top'))!)).toEqual([...groups].sort((a, b) => b.n - a.n).map((g) => ({ value: g.grp, count: g.n })));

	// Forcing memory refuses, naming the file and the way out; the disk table stays.
	await page.evaluate((limit) => window.driftbook!.query(`SET memory_limit = '${limit}'`), MEMORY_LIMIT);
	await editFields(page, 'dataset', 'file: upload\non_error: stop\nstorage: memory');
	const refusal = page.locator('[data-cell="dataset"] [data-testid=cell-error]');
	await expect(refusal).toContainText('large.csv would need about');
	await expect(refusal).toContainText('the cell says storage: memory (storage: auto or storage: disk would load it to disk');
	await expect(refusal).toContainText('Nothing was loaded');
	expect((await page.evaluate(() => window.driftbook!.query('SELECT count(*)::INTEGER AS n FROM dataset')))[0].n).toBe(ROWS);

	// Drop removes the table, its view and its file.
	page.once('dialog', (dialog) => void dialog.accept());
	await entry.getByRole('button', { name: 'Drop table dataset' }).click();
	await expect(entry).toHaveCount(0);
	await expect.poll(async () => Object.keys(await opfsFiles(page)).filter((f) => f.endsWith('.duckdb'))).toEqual([]);
	const left = await page.evaluate(() =>
		window.driftbook!.query(
			`SELECT (SELECT count(*) FROM duckdb_views() WHERE view_name = 'dataset')::INTEGER AS views, (SELECT count(*) FROM duckdb_databases() WHERE starts_with(database_name, '__disk_'))::INTEGER AS disks`
		)
	);
	expect(left).toEqual([{ views: 0, disks: 0 }]);

	// A browser without OPFS: DuckDB (restarted) keeps tables in memory only, and the panel refuses the file, saying why.
	await page.evaluate(() => delete (StorageManager.prototype as Partial<StorageManager>).getDirectory);
	await page.evaluate(() => window.driftbook!.crashWorker('duckdb'));
	await page.evaluate((limit) => window.driftbook!.query(`SET memory_limit = '${limit}'`), MEMORY_LIMIT);
	await panel.getByRole('button', { name: 'Refresh datasets' }).click();
	await expect(panel.getByTestId('disk-usage')).toHaveAttribute('data-available', 'false');
	await expect(panel.getByTestId('disk-usage')).toContainText('no Origin Private File System');
	await panel.getByTestId('dataset-file').setInputFiles(file);
	const dialog = page.getByTestId('dataset-preview');
	await expect(dialog.getByTestId('preview-table')).toBeVisible();
	await dialog.getByRole('button', { name: 'Load into notebook' }).click();
	const error = dialog.getByTestId('preview-error');
	await expect(error).toContainText('large.csv would need about');
	await expect(error).toContainText('it cannot go to disk instead: this browser has no Origin Private File System');
});
