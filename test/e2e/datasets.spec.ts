import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { editAndRun, localFile, settled } from './helpers';
import { MALFORMED, PEOPLE, RAGGED } from '../fixtures/datasets/generate';

const NOTEBOOK = '/notebooks/datasets';
const FIXTURES = 'test/fixtures/datasets';

async function runs(page: Page, cell: string): Promise<number> {
	return page.evaluate((name) => window.driftbook?.status(name)?.runs ?? 0, cell);
}

/** Chooses a file in the notebook's file input and waits for the data cell to settle. */
async function chooseFile(page: Page, name: string, buffer: Buffer, cell = 'dataset') {
	const before = await runs(page, cell);
	await page.locator('[data-cell="upload"] input[type=file]').setInputFiles(localFile(name, buffer));
	await expect.poll(() => runs(page, cell), { timeout: 120_000 }).toBeGreaterThan(before);
	await settled(page);
}

async function status(page: Page, cell: string) {
	return page.evaluate((name) => window.driftbook!.status(name), cell);
}

/** Edits a declarative cell's fields (✎ opens its editor) and runs it. */
async function editFields(page: Page, cell: string, text: string) {
	const before = await runs(page, cell);
	if ((await page.locator(`[data-cell="${cell}"] .cm-content`).count()) === 0) {
		await page.getByRole('button', { name: `Edit ${cell}` }).click();
	}
	await editAndRun(page, cell, text);
	await expect.poll(() => runs(page, cell), { timeout: 120_000 }).toBeGreaterThan(before);
	await settled(page);
}

async function columnTypes(page: Page, table: string) {
	const rows = await page.evaluate(
		(t) => window.driftbook!.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '${t}' ORDER BY ordinal_position`),
		table
	);
	return Object.fromEntries(rows.map((r) => [r.column_name, r.data_type]));
}

const PEOPLE_TYPES = { id: 'BIGINT', name: 'VARCHAR', score: 'DOUBLE', joined: 'DATE', active: 'BOOLEAN', city: 'VARCHAR' };

test('every format loads from a file input with the same rows and types', async ({ page }) => {
	await page.goto(NOTEBOOK);
	await settled(page);
	// No file yet: the cell waits for one, it has not failed.
	expect(await status(page, 'dataset')).toMatchObject({ status: 'queued', waiting: 'waiting for a file in upload — pick it above' });
	for (const file of ['people.csv', 'people.tsv', 'people.parquet', 'people.json', 'people.ndjson', 'people.arrow']) {
		await chooseFile(page, file, readFileSync(`${FIXTURES}/${file}`));
		const state = await status(page, 'dataset');
		expect(state?.error, file).toBeUndefined();
		expect(state?.status, file).toBe('done');
		await expect(page.locator('[data-cell="dataset"] [data-testid=row-count]')).toHaveAttribute('data-rows', String(PEOPLE.length));
		expect(await columnTypes(page, 'dataset'), file).toEqual(PEOPLE_TYPES);
		const rows = await page.evaluate(() =>
			window.driftbook!.query(`SELECT id::INTEGER AS id, name, score, strftime(joined, '%Y-%m-%d') AS joined, active, city FROM dataset ORDER BY id`)
		);
		expect(rows, file).toEqual(PEOPLE);
		await expect(page.locator('[data-cell="summary"] [data-testid=row-count]')).toHaveAttribute('data-rows', '1');
	}
	// The load report says where the table came from.
	await expect(page.locator('[data-cell="dataset"] [data-testid=load-report] summary')).toContainText('people.arrow');
});

test('a malformed CSV stops at its line, or skips and lists the rejected lines; never a silent wrong type', async ({ page }) => {
	await page.goto(NOTEBOOK);
	await settled(page);
	await chooseFile(page, 'malformed.csv', Buffer.from(MALFORMED));
	expect((await status(page, 'dataset'))?.status).toBe('error');
	const error = page.locator('[data-cell="dataset"] [data-testid=cell-error]');
	await expect(error).toContainText('malformed.csv, line 4: Expected Number of Columns: 3 Found: 2');
	await expect(error).toContainText('on_error: skip');

	await editFields(page, 'dataset', 'file: upload\non_error: skip');
	expect((await status(page, 'dataset'))?.status).toBe('done');
	// One word among the numbers: the column is text (and the preview says why), not a silent NULL.
	expect((await columnTypes(page, 'dataset')).amount).toBe('VARCHAR');
	await expect(page.locator('[data-cell="dataset"] [data-testid=rejected-rows] tr[data-line]')).toHaveCount(1);
	await expect(page.locator('[data-cell="dataset"] [data-testid=rejected-rows] tr[data-line="4"]')).toContainText('3,gamma');

	// Declared a number, the word is a rejected row with its line.
	await editFields(page, 'dataset', 'file: upload\ncolumns: amount DOUBLE\non_error: skip');
	expect((await columnTypes(page, 'dataset')).amount).toBe('DOUBLE');
	const lines = await page
		.locator('[data-cell="dataset"] [data-testid=rejected-rows] tr[data-line]')
		.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-line')));
	expect(lines).toEqual(['4', '6']);
	await expect(page.locator('[data-cell="dataset"] [data-testid=rejected-rows] tr[data-line="6"]')).toContainText('not-a-number');
	const kept = await page.evaluate(() => window.driftbook!.query('SELECT id::INTEGER AS id, amount FROM dataset ORDER BY id'));
	expect(kept).toEqual([
		{ id: 1, amount: 10.5 },
		{ id: 2, amount: 20 },
		{ id: 4, amount: 40 },
		{ id: 6, amount: 60 }
	]);

	// The file DuckDB's own sniffer reads as one VARCHAR column.
	await editFields(page, 'dataset', 'file: upload\non_error: skip');
	await chooseFile(page, 'ragged.csv', Buffer.from(RAGGED));
	expect(await columnTypes(page, 'dataset')).toEqual({ a: 'BIGINT', b: 'BIGINT', c: 'BIGINT' });
	const ragged = await page
		.locator('[data-cell="dataset"] [data-testid=rejected-rows] tr[data-line]')
		.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-line')));
	expect(ragged).toEqual(['3', '5']);
	await expect(page.locator('[data-cell="dataset"] [data-testid=row-count]')).toHaveAttribute('data-rows', '2');
});

/** 100,000 rows generated here, with what the profile must show computed here too. */
function bigCsv() {
	const groups = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
	let seed = 42;
	const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
	const lines = ['id,grp,value,day,flag,label'];
	const values: number[] = [];
	const groupCounts = new Map<string, number>();
	const days = new Set<string>();
	let missingValue = 0;
	let missingLabel = 0;
	const labels = new Set<string>();
	for (let i = 0; i < 100_000; i++) {
		const r = random();
		const g = groups[Math.min(4, Math.floor(r * r * 5))];
		groupCounts.set(g, (groupCounts.get(g) ?? 0) + 1);
		let value = '';
		if (random() < 0.07) missingValue++;
		else {
			const v = Math.round((random() * 1000 - 200) * 100) / 100;
			values.push(v);
			value = String(v);
		}
		const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(random() * 366) * 86_400_000).toISOString().slice(0, 10);
		days.add(day);
		let label = '';
		if (i % 50 === 0) missingLabel++;
		else {
			label = `item-${i % 977}`;
			labels.add(label);
		}
		lines.push(`${i},${g},${value},${day},${i % 3 === 0},${label}`);
	}
	const sorted = [...values].sort((a, b) => a - b);
	const quantile = (p: number) => {
		const h = (sorted.length - 1) * p;
		const lo = Math.floor(h);
		return sorted[lo] + (h - lo) * (sorted[Math.min(sorted.length - 1, lo + 1)] - sorted[lo]);
	};
	return {
		csv: lines.join('\n') + '\n',
		expected: {
			valueMissing: missingValue,
			valueDistinct: new Set(values).size,
			valueMin: sorted[0],
			valueMax: sorted[sorted.length - 1],
			valueMean: values.reduce((a, b) => a + b, 0) / values.length,
			valueMedian: quantile(0.5),
			groups: [...groupCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([value, count]) => ({ value, count })),
			daysDistinct: days.size,
			labelMissing: missingLabel,
			labelDistinct: labels.size
		}
	};
}

test('a 100,000-row file loads with progress, scrolls to row 99,999, sorts, filters, downloads, and profiles correctly', async ({ page }) => {
	const { csv, expected } = bigCsv();
	await page.goto(NOTEBOOK);
	await settled(page);
	// Record every progress state the page shows while loading.
	await page.evaluate(() => {
		const seen: Array<{ bytes: string | null; rows: string | null; bar: string | null }> = [];
		(window as unknown as { progressSeen: typeof seen }).progressSeen = seen;
		new MutationObserver(() => {
			const panel = document.querySelector('[data-testid=load-progress]');
			const bar = document.querySelector('[data-cell="dataset"] header progress');
			if (panel || bar)
				seen.push({
					bytes: panel?.getAttribute('data-bytes') ?? null,
					rows: panel?.getAttribute('data-rows') ?? null,
					bar: bar?.getAttribute('value') ?? null
				});
		}).observe(document.body, { subtree: true, childList: true, attributes: true });
	});
	await chooseFile(page, 'big.csv', Buffer.from(csv));
	expect((await status(page, 'dataset'))?.status).toBe('done');
	await expect(page.locator('[data-cell="dataset"] [data-testid=row-count]')).toHaveAttribute('data-rows', '100000');
	const seen = await page.evaluate(
		() => (window as unknown as { progressSeen: Array<{ bytes: string | null; rows: string | null; bar: string | null }> }).progressSeen
	);
	const partial = seen.filter((s) => Number(s.rows) > 0 && Number(s.rows) < 100_000);
	expect(partial.length, 'progress with rows and bytes shown while loading').toBeGreaterThan(0);
	expect(new Set(partial.map((s) => s.rows)).size).toBeGreaterThan(1);
	expect(seen.some((s) => s.bar !== null && Number(s.bar) > 0 && Number(s.bar) < csv.length)).toBe(true);

	// The virtualized table reaches the last row by scrolling.
	const grid = page.locator('[data-cell="dataset"] [data-testid=data-grid]');
	await expect(grid.locator('[data-row="0"] [data-column="id"]')).toHaveText('0');
	expect(await grid.locator('[role=row]').count()).toBeLessThan(40);
	const body = grid.locator('[role=grid]');
	for (const fraction of [0.25, 0.5, 1]) {
		await body.evaluate((el, f) => {
			el.scrollTop = (el.scrollHeight - el.clientHeight) * f;
			el.dispatchEvent(new Event('scroll'));
		}, fraction);
	}
	const last = grid.locator('[data-row="99999"]');
	await expect(last).toBeVisible();
	await expect(last.locator('[data-column="id"]')).toHaveText('99999');
	const lastLine = csv.trimEnd().split('\n').pop()!.split(',');
	await expect(last.locator('[data-column="grp"]')).toHaveText(lastLine[1]);
	await expect(last.locator('[data-column="day"]')).toHaveText(lastLine[3]);

	// Sort by value, descending (second click), then filter a group.
	await grid.locator('.th[data-column="value"] button.sort').click();
	await expect(grid.locator('.th[data-column="value"] [data-testid=sort-mark]')).toHaveText('▲');
	await grid.locator('.th[data-column="value"] button.sort').click();
	await expect(grid.locator('.th[data-column="value"] [data-testid=sort-mark]')).toHaveText('▼');
	await expect.poll(async () => Number(await grid.locator('[data-row="0"] [data-column="value"]').textContent())).toBe(expected.valueMax);
	await grid.getByLabel('Filter grp').fill('=beta');
	await grid.getByLabel('Filter grp').press('Enter');
	const beta = expected.groups.find((g) => g.value === 'beta')!.count;
	await expect(grid).toHaveAttribute('data-rows', String(beta));
	await expect(grid.locator('[data-row="0"] [data-column="grp"]')).toHaveText('beta');
	await grid.getByLabel('Filter value').fill('< 0');
	await grid.getByLabel('Filter value').press('Enter');
	const negativeBeta = await page.evaluate(() => window.driftbook!.query(`SELECT count(*)::INTEGER AS n FROM dataset WHERE grp = 'beta' AND value < 0`));
	await expect(grid).toHaveAttribute('data-rows', String(negativeBeta[0].n));
	await expect(grid.getByTestId('grid-count')).toContainText('of 100,000 rows');

	// Download the filtered, sorted view as CSV and as Parquet.
	let downloading = page.waitForEvent('download');
	await grid.getByRole('button', { name: 'Download CSV' }).click();
	const csvOut = readFileSync(await (await downloading).path(), 'utf8')
		.trimEnd()
		.split('\n');
	expect(csvOut[0]).toBe('id,grp,value,day,flag,label');
	expect(csvOut.length - 1).toBe(negativeBeta[0].n);
	const values = csvOut.slice(1).map((l) => Number(l.split(',')[2]));
	expect(values).toEqual([...values].sort((a, b) => b - a));
	downloading = page.waitForEvent('download');
	await grid.getByRole('button', { name: 'Download Parquet' }).click();
	const parquetPath = await (await downloading).path();
	expect(readFileSync(parquetPath).subarray(0, 4).toString()).toBe('PAR1');
	const native = await (await DuckDBInstance.create(':memory:')).connect();
	const read = await native.runAndReadAll(
		`SELECT count(*)::INTEGER AS n, max(value) AS top, typeof(any_value(id)) AS id_type, typeof(any_value(day)) AS day_type FROM read_parquet('${parquetPath}')`
	);
	expect(read.getRowObjectsJson()[0]).toEqual({ n: negativeBeta[0].n, top: expect.any(Number), id_type: 'BIGINT', day_type: 'DATE' });
	native.closeSync();
	await grid.getByRole('button', { name: 'Clear sort and filters' }).click();
	await expect(grid).toHaveAttribute('data-rows', '100000');

	// The profile, computed by DuckDB in one query, against the values computed here.
	await page.locator('[data-cell="dataset"]').getByRole('tab', { name: 'Profile' }).click();
	const value = page.locator('[data-cell="dataset"] [data-testid=profile] [data-column="value"]');
	await expect(value).toHaveAttribute('data-missing', String(expected.valueMissing), { timeout: 120_000 });
	await expect(value).toHaveAttribute('data-distinct', String(expected.valueDistinct));
	expect(Number(await value.getAttribute('data-min'))).toBe(expected.valueMin);
	expect(Number(await value.getAttribute('data-max'))).toBe(expected.valueMax);
	expect(Number(await value.getAttribute('data-mean'))).toBeCloseTo(expected.valueMean, 9);
	expect(Number(await value.getAttribute('data-median'))).toBeCloseTo(expected.valueMedian, 9);
	const histogram = (await value.getAttribute('data-histogram'))!.split(',').map(Number);
	expect(histogram).toHaveLength(20);
	expect(histogram.reduce((a, b) => a + b, 0)).toBe(100_000 - expected.valueMissing);
	const grp = page.locator('[data-cell="dataset"] [data-testid=profile] [data-column="grp"]');
	expect(JSON.parse((await grp.getAttribute('data-top'))!)).toEqual(expected.groups);
	await expect(grp).toHaveAttribute('data-distinct', '5');
	const day = page.locator('[data-cell="dataset"] [data-testid=profile] [data-column="day"]');
	await expect(day).toHaveAttribute('data-distinct', String(expected.daysDistinct));
	await expect(day).toHaveAttribute('data-kind', 'temporal');
	const label = page.locator('[data-cell="dataset"] [data-testid=profile] [data-column="label"]');
	await expect(label).toHaveAttribute('data-missing', String(expected.labelMissing));
	await expect(label).toHaveAttribute('data-distinct', String(expected.labelDistinct));
});

test('the dataset panel previews a file, lets the user change a type before loading, and lists, renames and drops tables', async ({ page }) => {
	await page.goto(NOTEBOOK);
	await settled(page);
	const panel = page.getByTestId('dataset-panel');
	const dialog = page.getByTestId('dataset-preview');
	// Dropping a file opens the same preview as choosing one.
	await panel.getByRole('region', { name: 'Add a dataset: drop a file' }).evaluate(
		(zone, text) => {
			const data = new DataTransfer();
			data.items.add(new File([text], 'dropped.ndjson', { type: 'application/x-ndjson' }));
			zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
		},
		readFileSync(`${FIXTURES}/people.ndjson`, 'utf8')
	);
	await expect(dialog).toBeVisible();
	await expect(dialog.getByRole('heading')).toHaveText('New dataset dropped');
	await expect(dialog.getByTestId('preview-table').locator('tbody tr')).toHaveCount(PEOPLE.length);
	await dialog.getByRole('button', { name: 'Cancel' }).click();
	await expect(dialog).toBeHidden();
	await panel.getByTestId('dataset-file').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: readFileSync(`${FIXTURES}/people.csv`) });
	await expect(dialog).toBeVisible();
	const preview = dialog.getByTestId('preview-table');
	await expect(preview.locator('tbody tr')).toHaveCount(PEOPLE.length);
	await expect(dialog.getByLabel('Type of joined')).toHaveValue('DATE');
	await expect(dialog.getByLabel('Type of score')).toHaveValue('DOUBLE');
	await expect(dialog.getByLabel('Header')).toContainText('detect (yes)');
	await dialog.getByLabel('Type of id').selectOption('VARCHAR');
	await expect(dialog.getByLabel('Type of id')).toHaveValue('VARCHAR');
	await dialog.getByRole('button', { name: 'Load into notebook' }).click();
	await expect(dialog).toBeHidden();
	await expect(page.locator('section[data-cell="people"]')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
	await settled(page);
	expect(await columnTypes(page, 'people')).toEqual({ ...PEOPLE_TYPES, id: 'VARCHAR' });
	const item = panel.locator('[data-testid=dataset-list] li[data-table="people"]');
	await expect(item).toHaveAttribute('data-rows', String(PEOPLE.length));
	await expect(item).toHaveAttribute('data-columns', '6');
	await expect(item).toContainText('people_file (people.csv');
	await expect(panel.getByTestId('memory-limit')).toContainText('4 GiB');

	// Edit the schema of the loaded cell from its output.
	await page.locator('[data-cell="people"] [data-testid=load-report] summary').click();
	await page.locator('[data-cell="people"]').getByRole('button', { name: 'Edit schema…' }).click();
	await expect(dialog).toBeVisible();
	await dialog.getByLabel('Type of id').selectOption('BIGINT');
	const before = await runs(page, 'people');
	await dialog.getByRole('button', { name: 'Apply and reload' }).click();
	await expect.poll(() => runs(page, 'people')).toBeGreaterThan(before);
	await settled(page);
	expect((await columnTypes(page, 'people')).id).toBe('BIGINT');

	// A table no cell makes can be renamed and dropped.
	await page.evaluate(() => window.driftbook!.query('CREATE TABLE scratch AS SELECT 1 AS x'));
	await panel.getByRole('button', { name: 'Refresh datasets' }).click();
	await expect(panel.locator('li[data-table="scratch"]')).toBeVisible();
	page.once('dialog', (d) => void d.accept('scratch_2'));
	await panel.getByRole('button', { name: 'Rename table scratch' }).click();
	await expect(panel.locator('li[data-table="scratch_2"]')).toBeVisible();
	page.once('dialog', (d) => void d.accept());
	await panel.getByRole('button', { name: 'Drop table scratch_2' }).click();
	await expect(panel.locator('li[data-table="scratch_2"]')).toHaveCount(0);
});

/** A CORS-enabled host on this machine: the fixtures, and a CSV that trickles in. */
async function corsHost() {
	const { createServer } = await import('node:http');
	const slowLines = ['id,value,label'];
	for (let i = 0; i < 400_000; i++) slowLines.push(`${i},${(i * 0.37) % 100},row-${i % 1000}`);
	const slow = Buffer.from(slowLines.join('\n') + '\n');
	const server = createServer((req, res) => {
		res.setHeader('Access-Control-Allow-Origin', '*');
		res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
		const name = (req.url ?? '').split('?')[0].slice(1);
		if (name === 'slow.csv') {
			res.writeHead(200, { 'Content-Type': 'text/csv', 'Content-Length': slow.length });
			let offset = 0;
			const timer = setInterval(() => {
				if (offset >= slow.length || res.destroyed) {
					clearInterval(timer);
					res.end();
					return;
				}
				res.write(slow.subarray(offset, (offset += 64 << 10)));
			}, 40);
			res.on('close', () => clearInterval(timer));
			return;
		}
		if (!/^people\.(parquet|csv|arrow|ndjson|json|tsv)$/.test(name)) return void res.writeHead(404).end();
		const body = readFileSync(`${FIXTURES}/${name}`);
		res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length }).end(body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return { url: `http://127.0.0.1:${port}`, slowBytes: slow.length, close: () => new Promise((r) => server.close(r)) };
}

test('URLs on a CORS host load; a load can be cancelled; a load that cannot fit is refused before it starts', async ({ page }) => {
	const host = await corsHost();
	try {
		await page.goto(NOTEBOOK);
		await settled(page);
		await editFields(page, 'dataset', `url: ${host.url}/people.parquet`);
		expect((await status(page, 'dataset'))?.status).toBe('done');
		await expect(page.locator('[data-cell="dataset"] [data-testid=row-count]')).toHaveAttribute('data-rows', String(PEOPLE.length));
		expect(await columnTypes(page, 'dataset')).toEqual(PEOPLE_TYPES);

		// Cancel while the CSV streams in: the cell says so and the previous table is untouched.
		const before = await runs(page, 'dataset');
		if ((await page.locator('[data-cell="dataset"] .cm-content').count()) === 0) await page.getByRole('button', { name: 'Edit dataset' }).click();
		await editAndRun(page, 'dataset', `url: ${host.url}/slow.csv`);
		const progress = page.locator('[data-testid=load-progress][data-load-cell="dataset"]');
		await expect.poll(async () => Number(await progress.getAttribute('data-rows')), { timeout: 60_000 }).toBeGreaterThan(0);
		await expect(progress).toContainText(`of ${(host.slowBytes / 1e6).toFixed(1)} MB`);
		await progress.getByRole('button', { name: 'Cancel loading dataset' }).click();
		await expect.poll(() => runs(page, 'dataset')).toBeGreaterThan(before);
		await expect(page.locator('[data-cell="dataset"] [data-testid=cell-error]')).toContainText('cancelled');
		await expect(progress).toHaveCount(0);
		const leftovers = async () =>
			(await page.evaluate(() => window.driftbook!.query(`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE starts_with(table_name, '__load_')`)))[0].n;
		await expect.poll(leftovers).toBe(0);
		const kept = await page.evaluate(() => window.driftbook!.query('SELECT count(*)::INTEGER AS n FROM dataset'));
		expect(kept[0].n).toBe(PEOPLE.length);

		// With DuckDB limited to 16 MB, a 10 MB file is refused up front, with the numbers.
		await page.evaluate(() => window.driftbook!.query(`SET memory_limit = '16MB'`));
		await page.getByRole('button', { name: 'Run dataset' }).click();
		await expect.poll(async () => (await status(page, 'dataset'))?.status, { timeout: 60_000 }).toBe('error');
		const refusal = page.locator('[data-cell="dataset"] [data-testid=cell-error]');
		await expect(refusal).toContainText(`slow.csv would need about ${(host.slowBytes / 1e6).toFixed(1)} MB in memory`);
		await expect(refusal).toContainText('WebAssembly memory is capped at 4 GiB per tab');
		await expect(refusal).toContainText('Nothing was loaded');
		await page.evaluate(() => window.driftbook!.query('RESET memory_limit'));

		// Parquet brings its own types; an explicit type every value must fit, or its row is named.
		await editFields(page, 'dataset', `url: ${host.url}/people.parquet\ncolumns: city DATE, id INTEGER`);
		await expect(page.locator('[data-cell="dataset"] [data-testid=cell-error]')).toContainText(
			'people.parquet, row 1: column "city": value cannot be read as DATE — "London" (11 rows fail)'
		);
		await editFields(page, 'dataset', `url: ${host.url}/people.parquet\ncolumns: city DATE, id INTEGER\non_error: skip`);
		expect(await columnTypes(page, 'dataset')).toEqual({ ...PEOPLE_TYPES, id: 'INTEGER', city: 'DATE' });
		await expect(page.locator('[data-cell="dataset"] [data-testid=load-report]')).toHaveAttribute('data-rejected', '11');
		const left = await page.evaluate(() => window.driftbook!.query('SELECT id, name FROM dataset'));
		expect(left).toEqual([{ id: 6, name: 'Barbara, "Babs"' }]);
	} finally {
		await host.close();
	}
});

test('a million-row SQL result scrolls to its last row and back, fetching windows from DuckDB', async ({ page }) => {
	await page.goto(NOTEBOOK);
	await settled(page);
	await editAndRun(page, 'summary', 'SELECT i AS id, i * 2 AS twice, md5(i::VARCHAR) AS hash FROM range(1000000) t(i)');
	await expect(page.locator('[data-cell="summary"] [data-testid=row-count]')).toHaveAttribute('data-rows', '1000000', { timeout: 120_000 });
	const grid = page.locator('[data-cell="summary"] [data-testid=data-grid]');
	await expect(grid.locator('[data-row="0"] [data-column="id"]')).toHaveText('0');
	const body = grid.locator('[role=grid]');
	// Past the browser's element height limit, the scroll position maps to rows by ratio.
	expect(await body.evaluate((el) => el.scrollHeight)).toBeLessThan(20_000_000);
	await body.focus();
	await page.keyboard.press('Control+End');
	await expect(grid.locator('[data-row="999999"] [data-column="twice"]')).toHaveText('1999998');
	await expect(grid.locator('[data-row="999999"]')).toBeVisible();
	await body.evaluate((el) => {
		el.scrollTop = el.scrollHeight / 2;
		el.dispatchEvent(new Event('scroll'));
	});
	// The grid re-renders its window after the scroll event (on a later frame): wait for it.
	const firstRow = async () => Number(await grid.locator('[role=row]').first().getAttribute('data-row'));
	await expect.poll(firstRow).toBeGreaterThan(400_000);
	const middle = await firstRow();
	expect(middle).toBeLessThan(600_000);
	await expect(grid.locator(`[data-row="${middle}"] [data-column="id"]`)).toHaveText(String(middle));
	await page.keyboard.press('Control+Home');
	await expect(grid.locator('[data-row="0"] [data-column="id"]')).toBeVisible();

	// Select rows 2–4 (click, then Shift+click on the row numbers) and copy them as TSV.
	await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
	await grid.locator('[data-row="1"] button.gutter').click();
	await grid.locator('[data-row="3"] button.gutter').click({ modifiers: ['Shift'] });
	await expect(grid.locator('.row.selected')).toHaveCount(3);
	await grid.getByRole('button', { name: 'Copy' }).click();
	await expect(grid.getByTestId('grid-message')).toHaveText('Copied 3 rows as tab-separated text.');
	const md5 = (i: number) => createHash('md5').update(String(i)).digest('hex');
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(['id\ttwice\thash', ...[1, 2, 3].map((i) => `${i}\t${i * 2}\t${md5(i)}`)].join('\n'));

	// Drag a column's edge to resize it.
	const header = grid.locator('.th[data-column="hash"]');
	const width = (await header.boundingBox())!.width;
	const edge = (await grid.getByTestId('resize-hash').boundingBox())!;
	await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
	await page.mouse.down();
	await page.mouse.move(edge.x + 120, edge.y + edge.height / 2, { steps: 5 });
	await page.mouse.up();
	expect((await header.boundingBox())!.width).toBeGreaterThan(width + 100);
	expect((await grid.locator('[data-row="0"] [data-column="hash"]').boundingBox())!.width).toBeCloseTo((await header.boundingBox())!.width, 0);
});
