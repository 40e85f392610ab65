/**
 * Parquet from a URL: HTTP Range requests (what the loader worker does for a download: a probe,
 * the footer's tail, then 16 MB windows of row groups read by parquet-wasm's async reader) against
 * downloading the whole file first, both from sirv (the production static server) on loopback,
 * and native DuckDB's read_parquet of the same file on disk as the reference. Reports time, HTTP
 * requests, and the most bytes of the file held in memory at once.
 *
 * Writes $BENCH_OUT/url-parquet.json. BENCH_URL_PARQUET_ROWS changes the row count.
 * Run: npm run bench url-parquet
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sirv from 'sirv';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import * as parquet from 'parquet-wasm/node';
import { DuckDBInstance } from '@duckdb/node-api';
import { prefetchGroups, RemoteFile, rowGroupSpans } from '#lib/ingest/sources/http-ranges.ts';

const ROWS = Number(process.env.BENCH_URL_PARQUET_ROWS ?? 2_000_000);
const GROUP_ROWS = 100_000;
const WINDOW = 16 << 20;
const TAIL = 64 << 10;
const REPEATS = 3;

function file(): Uint8Array {
	const id = Int32Array.from({ length: ROWS }, (_, i) => i);
	const value = Float64Array.from(id, (i) => Math.sin(i) * 1000);
	const label = Array.from(id, (i) => `segment-${(i * 7919) % 5000}`);
	const props = new parquet.WriterPropertiesBuilder().setMaxRowGroupSize(GROUP_ROWS).setCompression(parquet.Compression.SNAPPY).build();
	return parquet.writeParquet(parquet.Table.fromIPCStream(tableToIPC(tableFromArrays({ id, value, label }), 'stream')), props);
}

async function readGroups(
	handle: Blob,
	onGroup?: (g: number, spans: ReturnType<typeof rowGroupSpans>) => Promise<void>,
	afterGroup?: (g: number, spans: ReturnType<typeof rowGroupSpans>) => void
) {
	const pf = await parquet.ParquetFile.fromFile(handle);
	const meta = pf.metadata();
	const groups = meta.numRowGroups();
	const spans = rowGroupSpans(
		Array.from({ length: groups }, (_, g) => meta.rowGroup(g).compressedSize()),
		handle.size
	);
	let rows = 0;
	for (let g = 0; g < groups; g++) {
		await onGroup?.(g, spans);
		const table = await pf.read({ rowGroups: [g], batchSize: GROUP_ROWS });
		for (const batch of table.recordBatches()) rows += batch.numRows;
		afterGroup?.(g, spans);
		table.free();
	}
	pf.free();
	return { rows, groups };
}

async function byRanges(url: string) {
	const t0 = performance.now();
	const { file: remote } = await RemoteFile.open(url, { start: 0, end: 4 });
	await remote.prefetch({ start: remote.size - TAIL, end: remote.size });
	let peak = remote.cachedBytes;
	let prefetchedTo = -1;
	let prefetching: Promise<void> = Promise.resolve();
	// As the worker does: a window is fetched in one request, the next one as soon as the last group of this one is read.
	const start = (g: number, spans: ReturnType<typeof rowGroupSpans>) => {
		const { last, span } = prefetchGroups(spans, g, WINDOW);
		remote.release(span.start);
		prefetchedTo = last;
		prefetching = remote.prefetch(span).then(() => void (peak = Math.max(peak, remote.cachedBytes)));
	};
	const result = await readGroups(
		remote as unknown as Blob,
		async (g, spans) => {
			if (g > prefetchedTo) start(g, spans);
			await prefetching;
		},
		(g, spans) => {
			if (g === prefetchedTo && g + 1 < spans.length) start(g + 1, spans);
		}
	);
	return {
		seconds: (performance.now() - t0) / 1000,
		...result,
		requests: remote.stats.requests,
		misses: remote.stats.misses,
		bytes: remote.stats.bytes,
		peak_held_bytes: peak
	};
}

async function whole(url: string) {
	const t0 = performance.now();
	const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
	const result = await readGroups(new Blob([bytes]));
	return { seconds: (performance.now() - t0) / 1000, ...result, requests: 1, bytes: bytes.byteLength, peak_held_bytes: bytes.byteLength };
}

async function main() {
	const dir = mkdtempSync(join(tmpdir(), 'driftbook-bench-url-'));
	const serve = sirv(dir, { etag: true, dev: true });
	const server = createServer((req, res) => serve(req, res, () => void res.writeHead(404).end()));
	try {
		const bytes = file();
		writeFileSync(join(dir, 'bench.parquet'), bytes);
		const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
		const url = `http://127.0.0.1:${port}/bench.parquet`;
		const db = await (await DuckDBInstance.create(':memory:')).connect();
		const n0 = performance.now();
		await db.run(`CREATE TABLE t AS SELECT * FROM read_parquet('${join(dir, 'bench.parquet')}')`);
		const native = (performance.now() - n0) / 1000;
		// Alternating runs, the median of each: neither way gets the warm-up alone.
		const runs: { ranges: Awaited<ReturnType<typeof byRanges>>[]; whole: Awaited<ReturnType<typeof whole>>[] } = { ranges: [], whole: [] };
		for (let i = 0; i < REPEATS; i++) {
			runs.ranges.push(await byRanges(url));
			runs.whole.push(await whole(url));
		}
		const median = <T extends { seconds: number }>(list: T[]) => [...list].sort((a, b) => a.seconds - b.seconds)[Math.floor(list.length / 2)];
		const ranges = median(runs.ranges);
		const download = median(runs.whole);
		const result = {
			rows: ROWS,
			file_bytes: bytes.byteLength,
			row_groups: ranges.groups,
			native_read_parquet_s: native,
			ranges,
			whole_download: download,
			ratio_ranges_vs_native: ranges.seconds / native,
			ratio_whole_vs_native: download.seconds / native,
			memory_ratio_ranges_vs_whole: ranges.peak_held_bytes / download.peak_held_bytes,
			notes: 'Node (parquet-wasm/node), not the browser: the HTTP and reading path of the loader worker, without DuckDB-WASM inserts'
		};
		console.log(JSON.stringify(result, null, 2));
		const out = process.env.BENCH_OUT ?? 'bench/results';
		mkdirSync(out, { recursive: true });
		writeFileSync(join(out, 'url-parquet.json'), JSON.stringify(result, null, 2));
	} finally {
		server.close();
		rmSync(dir, { recursive: true, force: true });
	}
}

await main();
