/**
 * Range reading of downloads: the pure planning and response checks, then RemoteFile against
 * real HTTP servers — the driftbook API's dataset content route (team mode, bearer token) read by
 * parquet-wasm's async reader exactly as the loader worker does it, sirv (the production static
 * server) with a file changed between requests, and a host that ignores Range.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sirv from 'sirv';
import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import * as parquet from 'parquet-wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '#server/app.ts';
import { createToken } from '#server/tokens/service.ts';
import { openStore, type Store } from '#server/store/index.ts';
import { serverDatasetContentUrl } from '#lib/api/datasets.ts';
import { requestHeadersFor } from '#lib/api/http.ts';
import { clearToken, setToken } from '#lib/api/auth-token.ts';
import {
	checkRangeResponse,
	coalesceSpans,
	ifRangeHeader,
	parseContentRange,
	prefetchGroups,
	RangesUnsupportedError,
	RemoteFile,
	RowGroupReadAhead,
	rowGroupSpans,
	versionFromProbe
} from '#lib/ingest/sources/http-ranges.ts';
import { targets, type StoreTarget } from '../../server/targets';

const pglite = targets.find((t) => t.kind === 'pglite')!;

describe('range planning', () => {
	it('parses Content-Range into an exclusive span', () => {
		expect(parseContentRange('bytes 0-99/1234')).toEqual({ start: 0, end: 100, size: 1234 });
		expect(parseContentRange('bytes 10-10/*')).toEqual({ start: 10, end: 11, size: null });
		expect(parseContentRange('bytes 9-3/20')).toBeNull();
		expect(parseContentRange('items 0-1/2')).toBeNull();
		expect(parseContentRange(null)).toBeNull();
	});

	it('coalesces near spans up to a request size, keeping a big span whole', () => {
		const spans = [
			{ start: 300, end: 400 },
			{ start: 0, end: 100 },
			{ start: 110, end: 200 },
			{ start: 1000, end: 5000 },
			{ start: 250, end: 260 }
		];
		expect(coalesceSpans(spans, 16, 1 << 20)).toEqual([
			{ start: 0, end: 200 },
			{ start: 250, end: 260 },
			{ start: 300, end: 400 },
			{ start: 1000, end: 5000 }
		]);
		expect(coalesceSpans(spans, 100, 1 << 20)).toEqual([
			{ start: 0, end: 400 },
			{ start: 1000, end: 5000 }
		]);
		// The size cap wins over the gap: 0–400 would exceed 300 bytes.
		expect(coalesceSpans(spans, 100, 300)).toEqual([
			{ start: 0, end: 260 },
			{ start: 300, end: 400 },
			{ start: 1000, end: 5000 }
		]);
		expect(coalesceSpans([{ start: 5, end: 5 }], 0, 10)).toEqual([]);
	});

	it('lays row groups out after the magic and prefetches as many as fit a window', () => {
		const spans = rowGroupSpans([100, 100, 300, 50], 1000);
		expect(spans).toEqual([
			{ start: 4, end: 104 },
			{ start: 104, end: 204 },
			{ start: 204, end: 504 },
			{ start: 504, end: 554 }
		]);
		expect(prefetchGroups(spans, 0, 250)).toEqual({ last: 1, span: { start: 4, end: 204 } });
		// A group bigger than the window is fetched alone.
		expect(prefetchGroups(spans, 2, 250)).toEqual({ last: 2, span: { start: 204, end: 504 } });
		expect(prefetchGroups(spans, 2, 10_000)).toEqual({ last: 3, span: { start: 204, end: 554 } });
		// Sizes that run past the file (a damaged footer) are clipped.
		expect(rowGroupSpans([600, 600], 1000)[1]).toEqual({ start: 604, end: 1000 });
	});

	it('reads the probe answer: a 206 pins size and validators; 200 means no ranges', () => {
		const probe = { start: 0, end: 4 };
		const h = (init: Record<string, string>) => new Headers(init);
		expect(
			versionFromProbe('/d', probe, 206, h({ 'content-range': 'bytes 0-3/2048', etag: '"abc"', 'last-modified': 'Wed, 25 Nov 2026 10:00:00 GMT' }))
		).toEqual({
			size: 2048,
			etag: '"abc"',
			lastModified: 'Wed, 25 Nov 2026 10:00:00 GMT'
		});
		expect(versionFromProbe('/d', probe, 416, h({ 'content-range': 'bytes */0' }))).toMatchObject({ size: 0 });
		expect(() => versionFromProbe('/d', probe, 200, h({}))).toThrow(RangesUnsupportedError);
		expect(() => versionFromProbe('/d', probe, 206, h({ 'content-range': 'bytes 0-3/9', 'content-encoding': 'gzip' }))).toThrow(/compresses/);
		expect(() => versionFromProbe('/d', probe, 206, h({ 'content-range': 'bytes 4-7/9' }))).toThrow(/answered bytes 4–7/);
		expect(() => versionFromProbe('/d', probe, 401, h({}))).toThrow(/HTTP 401/);
	});

	it('sends If-Range only with a strong ETag, and refuses any answer from another version', () => {
		expect(ifRangeHeader({ size: 1, etag: '"x"' })).toBe('"x"');
		expect(ifRangeHeader({ size: 1, etag: 'W/"x"' })).toBeUndefined();
		expect(ifRangeHeader({ size: 1 })).toBeUndefined();
		const span = { start: 10, end: 20 };
		const ok = new Headers({ 'content-range': 'bytes 10-19/100', etag: '"x"' });
		expect(() => checkRangeResponse('/d', span, { size: 100, etag: '"x"' }, 206, ok)).not.toThrow();
		// If-Range with a changed ETag: the server answers the whole new file.
		expect(() => checkRangeResponse('/d', span, { size: 100, etag: '"x"' }, 200, new Headers())).toThrow(/changed on the server/);
		expect(() => checkRangeResponse('/d', span, { size: 100, etag: 'W/"x"' }, 206, new Headers({ 'content-range': 'bytes 10-19/100', etag: 'W/"y"' }))).toThrow(
			/ETag W\/"x" → W\/"y"/
		);
		expect(() =>
			checkRangeResponse('/d', span, { size: 100, lastModified: 'a' }, 206, new Headers({ 'content-range': 'bytes 10-19/100', 'last-modified': 'b' }))
		).toThrow(/Last-Modified a → b/);
		expect(() => checkRangeResponse('/d', span, { size: 100 }, 206, new Headers({ 'content-range': 'bytes 10-19/120' }))).toThrow(/size 100 → 120/);
		expect(() => checkRangeResponse('/d', span, { size: 100 }, 206, new Headers({ 'content-range': 'bytes 10-15/100' }))).toThrow(/answered bytes 10–15/);
	});
});

describe('the bearer token for downloads', () => {
	afterAll(() => clearToken());
	it('goes to this origin’s /api/ URLs only', () => {
		(globalThis as { sessionStorage?: Storage }).sessionStorage ??= memoryStorage();
		const page = 'http://127.0.0.1:5173/notebooks/x';
		expect(requestHeadersFor('/api/datasets/1/content', page)).toEqual({});
		setToken('dbk_secret');
		expect(requestHeadersFor('/api/datasets/1/content', page)).toEqual({ authorization: 'Bearer dbk_secret' });
		expect(requestHeadersFor('http://127.0.0.1:5173/api/models/m.onnx', page)).toEqual({ authorization: 'Bearer dbk_secret' });
		expect(requestHeadersFor('/samples/people.csv', page)).toEqual({});
		expect(requestHeadersFor('http://example.org/api/datasets/1/content', page)).toEqual({});
		expect(requestHeadersFor('http://127.0.0.1:8080/api/datasets/1/content', page)).toEqual({});
		expect(requestHeadersFor('/api/x', undefined)).toEqual({});
	});
});

function memoryStorage(): Storage {
	const items = new Map<string, string>();
	return {
		get length() {
			return items.size;
		},
		clear: () => items.clear(),
		getItem: (k) => items.get(k) ?? null,
		key: (i) => [...items.keys()][i] ?? null,
		removeItem: (k) => void items.delete(k),
		setItem: (k, v) => void items.set(k, v)
	};
}

/** A Parquet file of `rows` rows in row groups of `groupRows`, and its expected column values. */
function parquetFile(rows: number, groupRows: number): { bytes: Uint8Array; ids: number[]; labels: string[] } {
	const ids = Array.from({ length: rows }, (_, i) => i * 3 + 1);
	const labels = ids.map((id) => `label-${(id * 7919) % 1000}`);
	const table = tableFromArrays({ id: Float64Array.from(ids), label: labels });
	const props = new parquet.WriterPropertiesBuilder().setMaxRowGroupSize(groupRows).setCompression(parquet.Compression.SNAPPY).build();
	const bytes = parquet.writeParquet(parquet.Table.fromIPCStream(tableToIPC(table, 'stream')), props);
	return { bytes, ids, labels };
}

describe('RemoteFile against the driftbook dataset route (team mode)', () => {
	let target: StoreTarget;
	let store: Store;
	let app: ReturnType<typeof createApp>;
	let token: string;
	const requests: Array<{ range: string | null; ifRange: string | null; auth: boolean }> = [];
	const fetchApp: typeof fetch = (input, init) => {
		const headers = new Headers(init?.headers);
		requests.push({ range: headers.get('range'), ifRange: headers.get('if-range'), auth: headers.has('authorization') });
		return Promise.resolve(app.request(String(input), init));
	};

	beforeAll(async () => {
		target = await pglite.create();
		store = await openStore(target.options);
		app = createApp({ store, version: 'test', auth: true, artifactRoot: join(target.dir, 'artifacts') });
		({ token } = await store.transaction((tx) => createToken(tx, { role: 'write' })));
	});
	afterAll(async () => {
		await store?.close();
		await target?.dispose();
	});

	it('reads a Parquet file row group by row group in one request per window, the next window downloading ahead, with the token', async () => {
		const { bytes, ids, labels } = parquetFile(40_000, 5_000);
		const auth = { authorization: `Bearer ${token}` };
		const upload = await app.request('/api/datasets?name=ranged&format=parquet', {
			method: 'POST',
			headers: { ...auth, 'content-type': 'application/octet-stream' },
			body: bytes as Uint8Array<ArrayBuffer>
		});
		expect(upload.status).toBe(201);
		const { dataset } = (await upload.json()) as { dataset: { id: string; sha256: string } };
		const url = `http://127.0.0.1${serverDatasetContentUrl(dataset.id)}`;

		// Without the token the server refuses: the error names the status.
		await expect(RemoteFile.open(url, { start: 0, end: 4 }, { fetch: fetchApp })).rejects.toThrow(/HTTP 401/);

		requests.length = 0;
		let seen = 0;
		const { file, head } = await RemoteFile.open(url, { start: 0, end: 4 }, { fetch: fetchApp, headers: auth, onBytes: (n) => (seen += n) });
		expect(new TextDecoder().decode(head)).toBe('PAR1');
		expect(file.version).toEqual({ size: bytes.byteLength, etag: `"${dataset.sha256}"`, lastModified: undefined });
		await file.prefetch({ start: file.size - 64 * 1024, end: file.size });
		const pf = await parquet.ParquetFile.fromFile(file as unknown as Blob);
		const meta = pf.metadata();
		const groups = meta.numRowGroups();
		expect(groups).toBe(8);
		const sizes = Array.from({ length: groups }, (_, g) => meta.rowGroup(g).compressedSize());
		const spans = rowGroupSpans(sizes, file.size);
		const got: { id: number[]; label: string[] } = { id: [], label: [] };
		// A window of ~3 groups: the loader's prefetch, scaled down to this small file.
		const window = Math.ceil((sizes[0] + sizes[1] + sizes[2]) * 1.01);
		const windowStarts = [0, 3, 6].map((g) => spans[g].start);
		const requested = () => requests.map((r) => Number(/^bytes=(\d+)-/.exec(r.range ?? '')?.[1]));
		const readAhead = new RowGroupReadAhead(file, spans, window);
		for (let g = 0; g < groups; g++) {
			await readAhead.ready(g);
			// The window after this group's is already downloading while this group is read.
			const next = windowStarts.find((start) => start > spans[g].start);
			if (next !== undefined) expect(requested()).toContain(next);
			// Read windows are let go: at most this one and the next are held.
			expect(file.cachedBytes).toBeLessThanOrEqual(2 * window + 64 * 1024);
			const part = tableFromIPC((await pf.read({ rowGroups: [g], batchSize: 5_000 })).intoIPCStream());
			got.id.push(...(part.getChild('id')!.toArray() as Float64Array));
			got.label.push(...(part.getChild('label')!.toArray() as string[]));
		}
		pf.free();
		expect(got.id).toEqual(ids);
		expect(got.label).toEqual(labels);
		// Every read inside a prefetched span: probe + tail + 3 windows, no request per column chunk.
		expect(file.stats.misses).toBe(0);
		expect(file.stats.requests).toBe(2 + Math.ceil(groups / 3));
		expect(seen).toBe(file.stats.bytes);
		expect(file.stats.bytes).toBeLessThanOrEqual(bytes.byteLength + 64 * 1024);
		expect(requests.every((r) => r.auth && r.range !== null)).toBe(true);
		// The sha256 ETag is strong: every request after the probe carries If-Range.
		expect(requests.slice(1).every((r) => r.ifRange === `"${dataset.sha256}"`)).toBe(true);
		// Reading past the window asks for just those bytes.
		expect(Array.from(await file.read(0, 4))).toEqual(Array.from(bytes.subarray(0, 4)));
		expect(file.stats.misses).toBe(1);
	});
});

describe('RemoteFile against other hosts', () => {
	let dir: string;
	let server: Server;
	let base: string;
	let plain: Server;
	let plainBase: string;
	const listen = (s: Server) =>
		new Promise<string>((resolve) => s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as { port: number }).port}`)));

	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'driftbook-ranges-'));
		writeFileSync(join(dir, 'data.bin'), Buffer.alloc(10_000, 1));
		// As the production static server serves files: sirv with weak ETags and Last-Modified.
		const serve = sirv(dir, { etag: true, dev: true });
		server = createServer((req, res) => serve(req, res, () => void res.writeHead(404).end()));
		base = await listen(server);
		// A host that ignores Range and always answers the whole body.
		plain = createServer((_req, res) => res.writeHead(200, { 'content-length': '6' }).end('abcdef'));
		plainBase = await listen(plain);
	});
	afterAll(() => {
		server?.close();
		plain?.close();
		rmSync(dir, { recursive: true, force: true });
	});

	it('fails clearly when the file changes between requests, instead of mixing versions', async () => {
		const { file } = await RemoteFile.open(`${base}/data.bin`, { start: 0, end: 4 });
		expect(file.size).toBe(10_000);
		expect(file.version.etag).toMatch(/^W\//);
		expect(Array.from(await file.read(100, 104))).toEqual([1, 1, 1, 1]);
		writeFileSync(join(dir, 'data.bin'), Buffer.alloc(12_000, 2));
		utimesSync(join(dir, 'data.bin'), new Date(Date.now() + 5_000), new Date(Date.now() + 5_000));
		await expect(file.read(200, 300)).rejects.toThrow(/data\.bin \(bytes=200-299\): the file changed on the server while it was being read/);
	});

	it('hands back the 200 answer of a host without ranges, to be read whole from there', async () => {
		const error = await RemoteFile.open(`${plainBase}/x.parquet`, { start: 0, end: 4 }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(RangesUnsupportedError);
		expect((error as RangesUnsupportedError).message).toMatch(/answered the whole file \(HTTP 200\)/);
		expect(await (error as RangesUnsupportedError).response!.text()).toBe('abcdef');
	});
});
