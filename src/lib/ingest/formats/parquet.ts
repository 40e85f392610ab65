/**
 * Parquet through parquet-wasm: a picked file read by Blob slices, a download by HTTP Range
 * requests (footer, then windows of row groups), one Arrow batch per row group.
 */
import { tableFromIPC } from 'apache-arrow';
import initParquet, * as parquet from 'parquet-wasm/esm';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { planOf, type LoadJob, type LoadPlan, type LoadSource, type OpenedFormat } from '#lib/ingest/load-plan.ts';
import { estimateTableBytes } from '#lib/ingest/placement/memory.ts';
import { readAll, urlSource } from '#lib/ingest/sources/byte-source.ts';
import { RangesUnsupportedError, RemoteFile, RowGroupReadAhead, rowGroupSpans } from '#lib/ingest/sources/http-ranges.ts';
import { arrowChunk, duckdbType, previewRows } from './arrow-text';

let parquetReady: Promise<unknown> | undefined;
/** Compiles parquet-wasm once (reading and writing Parquet both need it). */
export const loadParquet = () => (parquetReady ??= initParquet({ module_or_path: parquetWasm }));

/** What parquetJob reads: a picked file, or a download by Range requests (Blob-like for parquet-wasm). */
type ParquetInput = { kind: 'blob'; blob: Blob } | { kind: 'remote'; file: RemoteFile };

/** Row groups fetched together from a download: few big requests; memory holds about two such windows (one read, the next downloading). */
const PARQUET_WINDOW_BYTES = 16 << 20;
/** The tail fetched first from a download: the footer (schema, row groups) of all but huge files. */
const PARQUET_TAIL_BYTES = 64 << 10;

/**
 * Parquet through parquet-wasm's async reader: it reads the footer, then one row group's byte
 * ranges at a time, so the file is never whole in memory. A picked file is read by Blob slices; a
 * download by Range requests, prefetching each window of row groups in one request.
 */
export async function parquetJob(input: ParquetInput): Promise<OpenedFormat> {
	const remote = input.kind === 'remote' ? input.file : undefined;
	const size = remote ? remote.size : (input as { blob: Blob }).blob.size;
	// parquet-wasm compiles while the footer downloads.
	await Promise.all([loadParquet(), remote?.prefetch({ start: size - PARQUET_TAIL_BYTES, end: size })]);
	// parquet-wasm only calls size, slice() and arrayBuffer() on its handle: a RemoteFile serves those.
	const handle = remote ? (remote as unknown as Blob) : (input as { blob: Blob }).blob;
	const file = await parquet.ParquetFile.fromFile(handle).catch((error: unknown) => {
		const message = String((error as Error)?.message ?? error);
		if (remote && /changed on the server|HTTP \d|cut short/.test(message)) throw new Error(message);
		throw new Error(`the Parquet file is damaged or cut short: its footer (schema and row groups) cannot be read (${message})`);
	});
	const meta = file.metadata();
	const groups = meta.numRowGroups();
	const rowsTotal = meta.fileMetadata().numRows();
	let uncompressed = 0;
	const groupBytes: number[] = [];
	const groupRows: number[] = [];
	for (let g = 0; g < groups; g++) {
		const rg = meta.rowGroup(g);
		uncompressed += rg.totalByteSize();
		groupBytes.push(rg.compressedSize());
		groupRows.push(rg.numRows());
	}
	const readAhead = remote && new RowGroupReadAhead(remote, rowGroupSpans(groupBytes, size), PARQUET_WINDOW_BYTES);
	await readAhead?.ready(0);
	const head = tableFromIPC((await file.read({ limit: 50 })).intoIPCStream());
	let group = 0;
	let rowsDone = 0;
	let bytesDone = 0;
	return {
		plan: {
			columns: head.schema.fields.map((f) => ({ name: f.name, type: duckdbType(f.type) })),
			rows: rowsTotal,
			preview: previewRows(head),
			estimatedBytes: estimateTableBytes('parquet', size, uncompressed)
		},
		job: {
			async next() {
				if (group >= groups) {
					file.free();
					return null;
				}
				await readAhead?.ready(group);
				// One Arrow batch per row group: DuckDB appends big batches much faster than parquet-wasm's default 1024 rows.
				const table = await file.read({ rowGroups: [group], batchSize: Math.max(1024, groupRows[group]) });
				const ipc = table.intoIPCStream();
				const rows = groupRows[group];
				rowsDone += rows;
				bytesDone += groupBytes[group];
				group++;
				return arrowChunk(ipc, rows, rowsDone, rowsTotal, remote ? Math.min(remote.stats.bytes, size) : Math.min(bytesDone, size), size);
			}
		}
	};
}

/**
 * A Parquet download by Range requests: a 4-byte probe pins the file's size and version, then
 * the footer, then windows of row groups. A host without ranges (a 200 to the probe) is read
 * whole from that same answer, and the plan says so.
 */
export async function openParquetDownload(
	entry: LoadJob,
	source: Extract<LoadSource, { kind: 'url' }>,
	onProgress?: (done: number, total: number) => void
): Promise<LoadPlan> {
	const signal = entry.controller.signal;
	// parquet-wasm compiles while the first requests go out (a failure shows where it is awaited).
	loadParquet().catch(() => {});
	const base = { format: 'parquet' as const, name: source.name };
	let total = 0;
	let downloaded = 0;
	const onBytes = (n: number) => {
		downloaded += n;
		if (total) onProgress?.(downloaded, total);
	};
	let unsupported: RangesUnsupportedError;
	try {
		const { file } = await RemoteFile.open(source.url, { start: 0, end: 4 }, { headers: source.headers, signal, onBytes });
		total = file.size;
		const made = await parquetJob({ kind: 'remote', file });
		entry.next = () => made.job.next();
		return planOf(made, { ...base, size: file.size, transfer: 'ranges', notes: ['downloaded by HTTP Range requests, row group by row group'] });
	} catch (error) {
		if (!(error instanceof RangesUnsupportedError)) throw error;
		unsupported = error;
	}
	const bytes = await urlSource(source.url, source.headers, signal, unsupported.response);
	entry.source = bytes;
	const whole = await readAll(bytes, (done, size) => onProgress?.(done, size));
	const made = await parquetJob({ kind: 'blob', blob: new Blob([whole as BlobPart]) });
	entry.next = () => made.job.next();
	const note = `${unsupported.message}: the whole file was downloaded before reading (a host with byte ranges lets driftbook read one row group at a time)`;
	return planOf(made, { ...base, size: whole.byteLength, transfer: 'stream', notes: [note] });
}
