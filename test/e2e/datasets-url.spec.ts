/**
 * Datasets streamed from URLs: a Parquet file of many row groups read from the app's own server
 * by HTTP Range requests (seen in the request log) with the values checked against the ones the
 * file was written from; Arrow IPC (stream and file format) and NDJSON read batch by batch from
 * a host that sends them in parts on the test's signal, with progress in rows and bytes; a large download cancelled (the host sees the
 * connection close); and, in team mode, a `server:` dataset read inside the loader worker with
 * the page's bearer token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { APIRequestContext, Page, Request } from '@playwright/test';
import { RecordBatchStreamWriter, Table, tableFromArrays, tableToIPC, type RecordBatch } from 'apache-arrow';
import * as parquet from 'parquet-wasm/node';
import { startApp } from '../support/app-server';
import { runCli } from '../support/cli';
import { expect, test } from './fixtures';
import { editAndRun, settled } from './helpers';
import { SAMPLE_BYTES } from '#lib/ingest/load-plan.ts';

const ROWS = 120_000;
const GROUP_ROWS = 10_000;

/** The rows every file here holds, computed in Node: what DuckDB in the page must end up with. */
function columns(rows: number) {
	const id = Int32Array.from({ length: rows }, (_, i) => i);
	const value = Float64Array.from(id, (i) => ((i * 37) % 1000) / 8);
	const label = Array.from(id, (i) => `label-${(i * 7919) % 997}`);
	return { id, value, label };
}

function expectedSummary(rows: number) {
	const { id, value, label } = columns(rows);
	return {
		n: rows,
		ids: id.reduce((a, b) => a + b, 0),
		values: value.reduce((a, b) => a + b, 0),
		labels: new Set(label).size,
		firstLabel: label[0],
		lastLabel: label[rows - 1]
	};
}

function parquetBytes(rows: number, groupRows: number): Uint8Array {
	const props = new parquet.WriterPropertiesBuilder().setMaxRowGroupSize(groupRows).setCompression(parquet.Compression.SNAPPY).build();
	return parquet.writeParquet(parquet.Table.fromIPCStream(tableToIPC(tableFromArrays(columns(rows)), 'stream')), props);
}

/** Arrow IPC in record batches of `batchRows`: the stream format, or the file format. */
function arrowBytes(rows: number, batchRows: number, format: 'stream' | 'file'): Uint8Array {
	const table = tableFromArrays(columns(rows));
	const batches: RecordBatch[] = [];
	for (let start = 0; start < rows; start += batchRows) batches.push(...table.slice(start, start + batchRows).batches);
	return format === 'stream' ? RecordBatchStreamWriter.writeAll(batches).toUint8Array(true) : tableToIPC(new Table(batches), 'file');
}

function ndjsonBytes(rows: number): Uint8Array {
	const { id, value, label } = columns(rows);
	const lines: string[] = [];
	for (let i = 0; i < rows; i++) lines.push(JSON.stringify({ id: id[i], value: value[i], label: label[i] }));
	return new TextEncoder().encode(lines.join('\n') + '\n');
}

async function summary(page: Page, table: string) {
	const [row] = await page.evaluate(
		(t) =>
			window.driftbook!.query(
				`SELECT count(*)::INTEGER AS n, sum(id)::DOUBLE AS ids, sum(value)::DOUBLE AS "values", count(DISTINCT label)::INTEGER AS labels,
				        arg_min(label, id) AS "firstLabel", arg_max(label, id) AS "lastLabel" FROM "${t}"`
			),
		table
	);
	return row;
}

async function upload(request: APIRequestContext, base: string, name: string, format: string, bytes: Uint8Array, token?: string) {
	const response = await request.post(`${base}/api/datasets?name=${name}&format=${format}`, {
		data: Buffer.from(bytes),
		headers: { 'content-type': 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) }
	});
	expect(response.status(), await response.text()).toBe(201);
	return ((await response.json()) as { dataset: { id: string; sha256: string; size_bytes: number } }).dataset;
}

async function createNotebook(request: APIRequestContext, base: string, source: string, token?: string): Promise<string> {
	const response = await request.post(`${base}/api/notebooks`, {
		data: { title: 'URL datasets', source },
		headers: token ? { authorization: `Bearer ${token}` } : {}
	});
	expect(response.status(), await response.text()).toBe(201);
	return ((await response.json()) as { notebook: { slug: string } }).notebook.slug;
}

const notebook = (cells: Record<string, string>) =>
	`---\ntitle: URL datasets\n---\n\n${Object.entries(cells)
		.map(([name, fields]) => `\`\`\`data name=${name}\n${fields}\n\`\`\`\n`)
		.join('\n')}`;

/**
 * A CORS host on this machine that sends each file in three parts: its first `cuts[0]` bytes, up
 * to `cuts[1]` at the test's first `release()`, the rest at the second. Nothing depends on time:
 * the test releases a part once the page has shown the previous one. It also tells whether a
 * download was cut off.
 */
async function partedHost(files: Record<string, Uint8Array>, cuts: [number, number]) {
	const closedEarly: string[] = [];
	let waiting: Array<() => void> = [];
	const released = () => new Promise<void>((resolve) => waiting.push(resolve));
	const server = createServer(async (req, res) => {
		res.setHeader('Access-Control-Allow-Origin', '*');
		res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
		const name = (req.url ?? '').split('?')[0].slice(1);
		const body = files[name];
		if (!body) return void res.writeHead(404).end();
		res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.byteLength });
		let sent = 0;
		res.on('close', () => {
			if (sent < body.byteLength) closedEarly.push(name);
		});
		for (const [i, end] of [...cuts, body.byteLength].entries()) {
			if (i > 0) await released();
			if (res.destroyed) return;
			res.write(body.subarray(sent, end));
			sent = end;
		}
		res.end();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return {
		url: `http://127.0.0.1:${port}`,
		closedEarly,
		/** Sends the next part of every download waiting for one. */
		release() {
			for (const resolve of waiting) resolve();
			waiting = [];
		},
		close: () => new Promise((r) => server.close(r))
	};
}

/** Every load-progress state the page shows for `cell`, recorded from now on. */
async function watchProgress(page: Page, cell: string) {
	await page.evaluate((name) => {
		const seen: Array<{ bytes: number; rows: number }> = [];
		(window as unknown as { progressSeen: typeof seen }).progressSeen = seen;
		new MutationObserver(() => {
			const panel = document.querySelector(`[data-testid=load-progress][data-load-cell="${name}"]`);
			if (panel) seen.push({ bytes: Number(panel.getAttribute('data-bytes')), rows: Number(panel.getAttribute('data-rows')) });
		}).observe(document.body, { subtree: true, childList: true, attributes: true });
	}, cell);
	return () => page.evaluate(() => (window as unknown as { progressSeen: Array<{ bytes: number; rows: number }> }).progressSeen);
}

/** Waits until the load progress of `cell` shows a state that passes `ok`, and returns it. */
async function shownOnce(page: Page, cell: string, ok: (state: { bytes: number; rows: number }) => boolean) {
	const panel = page.locator(`[data-testid=load-progress][data-load-cell="${cell}"]`);
	let state = { bytes: 0, rows: 0 };
	await expect
		.poll(
			async () => {
				const [bytes, rows] = await panel.evaluateAll((found) => [
					Number(found[0]?.getAttribute('data-bytes') ?? 0),
					Number(found[0]?.getAttribute('data-rows') ?? 0)
				]);
				state = { bytes, rows };
				return ok(state);
			},
			{ message: `load progress of ${cell} (last seen ${JSON.stringify(state)})` }
		)
		.toBe(true);
	return state;
}

async function runs(page: Page, cell: string): Promise<number> {
	return page.evaluate((name) => window.driftbook?.status(name)?.runs ?? 0, cell);
}

/** Sets a data cell's fields (✎ opens its editor) and runs it; resolves once it has run. */
async function editFields(page: Page, cell: string, text: string, wait = true) {
	const before = await runs(page, cell);
	if ((await page.locator(`[data-cell="${cell}"] .cm-content`).count()) === 0) await page.getByRole('button', { name: `Edit ${cell}` }).click();
	await editAndRun(page, cell, text);
	if (!wait) return;
	await expect.poll(() => runs(page, cell), { timeout: 120_000 }).toBeGreaterThan(before);
	await settled(page);
}

test('URL datasets stream: Parquet by Range requests, Arrow IPC and NDJSON batch by batch, cancel, and server: datasets in team mode', async ({
	page,
	request,
	baseURL
}) => {
	// Six loads of 120,000 rows and a second server: on a loaded 2-core machine (load 20+) this took
	// 3.2 minutes. The budget only guards against a hang; nothing here is timed.
	test.slow();
	// The team-mode server (a token made by the CLI, then a fresh PGlite) starts while the other steps run.
	const teamDir = mkdtempSync(join(tmpdir(), 'driftbook-url-team-'));
	const teamReady = (async () => {
		const created = await runCli('token', ['create', '--role', 'write'], false, { ...process.env, DRIFTBOOK_DATA_DIR: teamDir, DATABASE_URL: '' });
		expect(created.code, created.stderr).toBe(0);
		return { token: created.stdout.trim(), ...(await startApp(teamDir, { env: { DRIFTBOOK_AUTH: 'on' } })) };
	})();
	teamReady.catch(() => {});
	try {
		await streamedLoads(page, request, baseURL!);
		await test.step('team mode: a server: dataset is read in the worker with the bearer token', async () => {
			const { token, base } = await teamReady;
			const teamStored = await upload(request, base, 'team_rows', 'parquet', parquetBytes(ROWS, GROUP_ROWS), token);
			const teamSlug = await createNotebook(request, base, notebook({ team: 'url: server:team_rows' }), token);
			const seen: Request[] = [];
			page.on('request', (r) => {
				if (new URL(r.url()).pathname === `/api/datasets/${teamStored.id}/content`) seen.push(r);
			});
			await page.goto(`${base}/login`);
			await page.getByTestId('token-input').fill(token);
			await page.getByRole('button', { name: 'Use this token' }).click();
			await expect(page).not.toHaveURL(/\/login/);
			await page.goto(`${base}/notebooks/${teamSlug}`);
			expect(await settled(page)).toMatchObject({ team: 'done' });
			expect(await summary(page, 'team')).toEqual(expectedSummary(ROWS));
			expect(seen.length).toBeGreaterThanOrEqual(3);
			for (const r of seen) expect(r.headers()['authorization']).toBe(`Bearer ${token}`);
		});
	} finally {
		const team = await teamReady.catch(() => undefined);
		if (team) {
			team.server.kill('SIGTERM');
			await new Promise((r) => team.server.once('exit', r));
		}
		rmSync(teamDir, { recursive: true, force: true });
	}
});

/** The steps on the shared e2e server: Parquet by ranges, streamed Arrow IPC and NDJSON, cancel. */
async function streamedLoads(page: Page, request: APIRequestContext, baseURL: string) {
	const tag = randomUUID().slice(0, 8);
	const expected = expectedSummary(ROWS);
	const parquetFile = parquetBytes(ROWS, GROUP_ROWS);
	const stored = await upload(request, baseURL, `ranged_${tag}`, 'parquet', parquetFile);

	const contentRequests: Request[] = [];
	page.on('request', (r) => {
		if (new URL(r.url()).pathname === `/api/datasets/${stored.id}/content`) contentRequests.push(r);
	});
	const slug = await createNotebook(request, baseURL, notebook({ ranged: `url: server:ranged_${tag}`, stream: `url: server:ranged_${tag}` }));

	await test.step('Parquet of 12 row groups from the app server, by Range requests', async () => {
		await page.goto(`/notebooks/${slug}`);
		expect(await settled(page)).toMatchObject({ ranged: 'done', stream: 'done' });
		expect(await summary(page, 'ranged')).toEqual(expected);
		await expect(page.locator('[data-cell="ranged"] [data-testid=load-report]')).toContainText('downloaded by HTTP Range requests');
		// Two cells, each: a 4-byte probe, the footer's tail, then the row groups (one 16 MB window holds them all).
		const ranges = contentRequests.map((r) => r.headers()['range']);
		expect(
			ranges.every((r) => /^bytes=\d+-\d+$/.test(r ?? '')),
			`Range headers: ${ranges.join(', ')}`
		).toBe(true);
		expect(ranges.filter((r) => r === 'bytes=0-3')).toHaveLength(2);
		expect(contentRequests).toHaveLength(6);
		const statuses = await Promise.all(contentRequests.map(async (r) => (await r.response())?.status()));
		expect(statuses.every((s) => s === 206)).toBe(true);
		// Nothing asked twice: each load fetches the file (the two cells' requests interleave) plus at most the footer's tail again.
		const fetched = contentRequests.reduce((n, r) => {
			const [a, b] = r.headers()['range']!.slice(6).split('-').map(Number);
			return n + b - a + 1;
		}, 0);
		expect(fetched).toBeGreaterThan(2 * parquetFile.byteLength * 0.9);
		expect(fetched).toBeLessThanOrEqual(2 * (parquetFile.byteLength + 64 * 1024));
	});

	const files = {
		'rows.arrows': arrowBytes(ROWS, 5_000, 'stream'),
		'rows.arrow': arrowBytes(ROWS, 5_000, 'file'),
		'rows.ndjson': ndjsonBytes(ROWS),
		'big.ndjson': ndjsonBytes(1_000_000)
	};
	// The first part holds more than the loader's 1 MB sample, so a streamed file is open and its
	// first rows can reach DuckDB while the host holds the rest back.
	const cuts: [number, number] = [SAMPLE_BYTES + (256 << 10), SAMPLE_BYTES + (512 << 10)];
	const host = await partedHost(files, cuts);
	try {
		for (const [file, format, streamed] of [
			['rows.arrows', 'arrow', true],
			['rows.ndjson', 'ndjson', true],
			// Arrow JS writes files whose schema is only in the footer: read whole, with a note.
			['rows.arrow', 'arrow', false]
		] as const) {
			await test.step(`${file} from a host that sends it in parts, ${streamed ? 'batch by batch' : 'whole'}, with progress`, async () => {
				const progress = await watchProgress(page, 'stream');
				const before = await runs(page, 'stream');
				await editFields(page, 'stream', `url: ${host.url}/${file}\nformat: ${format}`, false);
				// Each part shows before the next is sent: bytes count up while the body arrives, and a
				// streamed file's first rows are in DuckDB with the first part.
				const first = await shownOnce(page, 'stream', (s) => s.bytes > 0 && (!streamed || s.rows > 0));
				host.release();
				const second = await shownOnce(page, 'stream', (s) => s.bytes > first.bytes);
				host.release();
				await expect.poll(() => runs(page, 'stream'), { timeout: 120_000 }).toBeGreaterThan(before);
				await settled(page);
				expect(await summary(page, 'stream')).toEqual(expected);
				const size = files[file].byteLength;
				expect(second.bytes).toBeLessThanOrEqual(cuts[1]);
				expect(cuts[1]).toBeLessThan(size);
				const seen = await progress();
				// A file read whole has no rows before its last byte.
				const early = seen.filter((s) => s.rows > 0 && s.rows < ROWS && s.bytes < size);
				if (!streamed) expect(early, `progress while loading ${file} (${size} bytes): ${JSON.stringify(seen.slice(0, 30))}`).toEqual([]);
				const report = page.locator('[data-cell="stream"] [data-testid=load-report]');
				if (!streamed) await expect(report).toContainText('keeps its schema only in its footer');
				if (file === 'rows.ndjson') await expect(report).toContainText('column types come from the first 1 MB');
			});
		}

		await test.step('cancelling a large download stops it', async () => {
			await editFields(page, 'stream', `url: ${host.url}/big.ndjson`, false);
			const progress = page.locator('[data-testid=load-progress][data-load-cell="stream"]');
			await expect.poll(async () => Number(await progress.getAttribute('data-rows')), { timeout: 60_000 }).toBeGreaterThan(0);
			await progress.getByRole('button', { name: 'Cancel loading stream' }).click();
			await expect(page.locator('[data-cell="stream"] [data-testid=cell-error]')).toContainText('cancelled');
			await expect.poll(() => host.closedEarly).toContain('big.ndjson');
			// The previous table is untouched.
			expect((await summary(page, 'stream')).n).toBe(ROWS);
		});
	} finally {
		await host.close();
	}
}
