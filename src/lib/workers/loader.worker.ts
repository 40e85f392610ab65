/**
 * Reads datasets off the main thread: downloads with progress, splits a CSV into whole-record
 * chunks for DuckDB's read_csv (so progress, cancellation and line numbers work on files of any
 * size), and turns Parquet (parquet-wasm), Arrow IPC and JSON/NDJSON into Arrow IPC streams for
 * DuckDB, batch by batch: a Parquet download by HTTP Range requests (footer, then row groups), an
 * Arrow IPC or NDJSON download record batch by record batch as its body arrives. It also encodes
 * downloads (CSV text, Parquet via parquet-wasm).
 */
import * as Comlink from 'comlink';
import {
	DataType,
	Int64,
	makeData,
	makeVector,
	MessageReader,
	RecordBatchReader,
	RecordBatchStreamWriter,
	Table as ArrowTable,
	tableFromIPC,
	tableToIPC,
	type RecordBatch,
	type Schema,
	type Table,
	type Vector
} from 'apache-arrow';
import initParquet, * as parquet from 'parquet-wasm/esm';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { formatFromBytes, formatFromName, type DataFormat, type LoadRequest } from '#lib/sql/csv-options.ts';
import { sniffCsv } from '#lib/csv/dialect.ts';
import { buildJsonBatch, inferJsonSchema, parseRecord, scanJsonLines, scanJsonRecords, type JsonRecordSpan, type JsonSchema } from '#lib/sql/json-arrow.ts';
import { estimateTableBytes } from '#lib/sql/memory.ts';
import { csvField } from '#lib/sql/grid.ts';
import { bomBytes, byteQuoting, csvChunkBytes, firstInvalidUtf8, headerExtent, rewriteNewlines, scanCsv, type ByteQuoting } from '#lib/csv/chunks.ts';
import { prefetchGroups, RangesUnsupportedError, RemoteFile, rowGroupSpans } from '#lib/sql/ranges.ts';
import type { LoadChunk, LoaderApi, LoadPlan, LoadSource } from './protocol';

const SAMPLE_BYTES = 1 << 20;
const ARROW_BATCH_ROWS = 100_000;

let parquetReady: Promise<unknown> | undefined;
const loadParquet = () => (parquetReady ??= initParquet({ module_or_path: parquetWasm }));

// ————— Sources —————

interface ByteSource {
	size: number | null;
	/** Up to `max` more bytes (at least one byte unless at the end); null at the end. */
	read(max: number): Promise<Uint8Array | null>;
	cancel(): void;
}

function blobSource(blob: Blob): ByteSource {
	let offset = 0;
	return {
		size: blob.size,
		async read(max) {
			if (offset >= blob.size) return null;
			const part = new Uint8Array(await blob.slice(offset, Math.min(blob.size, offset + max)).arrayBuffer());
			offset += part.byteLength;
			return part;
		},
		cancel() {}
	};
}

/** A download's body as it arrives; `answered` reads on from a response already received (a 200 to a Range probe). */
async function urlSource(url: string, headers: Record<string, string> | undefined, signal: AbortSignal, answered?: Response): Promise<ByteSource> {
	const response = answered ?? (await fetch(url, { headers, signal }));
	if (!response.ok || !response.body) {
		const hint = response.status === 401 ? ' (the server wants a token: sign in on this page first)' : '';
		throw new Error(`${url}: HTTP ${response.status} ${response.statusText}${hint}`);
	}
	const length = response.headers.get('content-length');
	// A compressed response's Content-Length counts compressed bytes: the total is then unknown.
	const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
	const reader = response.body.getReader();
	let pending: Uint8Array | undefined;
	return {
		size: length && !encoded ? Number(length) : null,
		async read(max) {
			if (!pending) {
				const { done, value } = await reader.read();
				if (done) return null;
				pending = value;
			}
			const part = pending.subarray(0, max);
			pending = part.byteLength < pending.byteLength ? pending.subarray(part.byteLength) : undefined;
			return part;
		},
		cancel() {
			void reader.cancel().catch(() => {});
		}
	};
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
	if (parts.length === 1 && parts[0].byteLength === total) return parts[0];
	const out = new Uint8Array(total);
	let offset = 0;
	for (const p of parts) {
		out.set(p, offset);
		offset += p.byteLength;
	}
	return out;
}

async function readAll(source: ByteSource, onProgress?: (done: number, total: number) => void): Promise<Uint8Array> {
	const parts: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const part = await source.read(8 << 20);
		if (!part) break;
		parts.push(part);
		total += part.byteLength;
		onProgress?.(total, source.size ?? total);
	}
	return concat(parts, total);
}

// ————— CSV chunks —————

class CsvJob {
	#pending: Uint8Array[] = [];
	#pendingBytes = 0;
	#ended = false;
	#bytesDone = 0;
	#nextLine = 1;
	#chunkBytes: number;

	constructor(
		readonly source: ByteSource,
		readonly quoting: ByteQuoting,
		sample: Uint8Array,
		ended: boolean,
		headerBytes: number,
		headerLines: number,
		columns: number
	) {
		const body = sample.subarray(headerBytes);
		if (body.byteLength) this.#pending.push(body);
		this.#pendingBytes = body.byteLength;
		this.#ended = ended;
		this.#bytesDone = headerBytes;
		this.#nextLine = 1 + headerLines;
		this.#chunkBytes = csvChunkBytes(source.size, columns);
	}

	async next(): Promise<LoadChunk | null> {
		while (!this.#ended && this.#pendingBytes < this.#chunkBytes) {
			const part = await this.source.read(this.#chunkBytes - this.#pendingBytes);
			if (!part) this.#ended = true;
			else {
				// No copy: parts are only read, and the chunk sent on is a copy (`records`).
				this.#pending.push(part);
				this.#pendingBytes += part.byteLength;
			}
		}
		if (this.#pendingBytes === 0) return null;
		let buf = concat(this.#pending, this.#pendingBytes);
		let scan = scanCsv(buf, this.quoting, this.#ended);
		while (scan.boundary === 0 && !this.#ended) {
			// One record longer than a chunk: read on until it ends.
			const part = await this.source.read(this.#chunkBytes);
			if (!part) this.#ended = true;
			else buf = concat([buf, part], buf.byteLength + part.byteLength);
			scan = scanCsv(buf, this.quoting, this.#ended);
		}
		const records = buf.slice(0, scan.boundary);
		const rest = buf.subarray(scan.boundary);
		this.#pending = rest.byteLength ? [rest] : [];
		this.#pendingBytes = rest.byteLength;
		this.#bytesDone += scan.boundary;
		const firstLine = this.#nextLine;
		this.#nextLine += scan.physical;
		const bytes = scan.newlines ? rewriteNewlines(records, this.quoting, scan.newlines) : records;
		const chunk: LoadChunk = {
			kind: 'csv',
			bytes,
			firstLine,
			records: scan.lines,
			multiline: scan.multiline,
			bytesDone: this.#bytesDone,
			bytesTotal: this.source.size
		};
		return Comlink.transfer(chunk, [bytes.buffer as ArrayBuffer]);
	}
}

// ————— Arrow chunks (Parquet, Arrow IPC, JSON) —————

interface ArrowJob {
	next(): Promise<LoadChunk | null>;
}

function arrowChunk(ipc: Uint8Array, rows: number, rowsDone: number, rowsTotal: number | null, bytesDone: number, bytesTotal: number | null, rejected: Extract<LoadChunk, { kind: 'arrow' }>['rejected'] = []): LoadChunk {
	const chunk: LoadChunk = { kind: 'arrow', ipc, rows, rejected, rowsDone, rowsTotal, bytesDone, bytesTotal };
	return Comlink.transfer(chunk, [ipc.buffer as ArrayBuffer]);
}

/** DuckDB type names for the Arrow types it will create (for the preview). */
function duckdbType(type: DataType): string {
	const t = String(type);
	if (DataType.isInt(type)) return ({ 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' } as Record<number, string>)[type.bitWidth] ?? t;
	if (DataType.isFloat(type)) return type.precision === 2 ? 'DOUBLE' : 'FLOAT';
	if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return 'VARCHAR';
	if (DataType.isBool(type)) return 'BOOLEAN';
	if (DataType.isDate(type)) return 'DATE';
	if (DataType.isTimestamp(type)) return type.timezone ? 'TIMESTAMPTZ' : 'TIMESTAMP';
	if (DataType.isDecimal(type)) return `DECIMAL(${type.precision},${type.scale})`;
	if (DataType.isDictionary(type)) return duckdbType(type.dictionary);
	return t.toUpperCase();
}

function previewRows(table: Table, limit = 50): string[][] {
	const rows: string[][] = [];
	const n = Math.min(limit, table.numRows);
	const columns = table.schema.fields.map((f) => table.getChild(f.name)!);
	for (let i = 0; i < n; i++) rows.push(columns.map((c) => textOf(c.get(i), c.type)));
	return rows;
}

function textOf(value: unknown, type?: DataType): string {
	if (value === null || value === undefined) return '';
	if (type && (DataType.isTimestamp(type) || DataType.isDate(type))) {
		const ms = typeof value === 'bigint' ? Number(value) : (value as number);
		return new Date(ms).toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '').replace(/ 00:00:00$/, DataType.isDate(type) ? '' : ' 00:00:00');
	}
	if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
	if (typeof value === 'object') {
		const v = value as { toJSON?: () => unknown };
		return JSON.stringify(v.toJSON ? v.toJSON() : value, (_, x) => (typeof x === 'bigint' ? x.toString() : x));
	}
	return String(value);
}

/** What parquetJob reads: a picked file, or a download by Range requests (Blob-like for parquet-wasm). */
type ParquetInput = { kind: 'blob'; blob: Blob } | { kind: 'remote'; file: RemoteFile };

/** Row groups fetched together from a download: few big requests, and memory for about this much. */
const PARQUET_WINDOW_BYTES = 16 << 20;
/** The tail fetched first from a download: the footer (schema, row groups) of all but huge files. */
const PARQUET_TAIL_BYTES = 64 << 10;

/**
 * Parquet through parquet-wasm's async reader: it reads the footer, then one row group's byte
 * ranges at a time, so the file is never whole in memory. A picked file is read by Blob slices; a
 * download by Range requests, prefetching each window of row groups in one request.
 */
async function parquetJob(input: ParquetInput): Promise<{ plan: Partial<LoadPlan>; job: ArrowJob }> {
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
	const spans = rowGroupSpans(groupBytes, size);
	let prefetchedTo = -1;
	let prefetching: Promise<void> | undefined;
	/** Fetches row group `g`'s window (with the next groups that fit) unless it is already in memory. */
	const prefetch = (g: number): Promise<void> => {
		if (!remote || g >= groups || g <= prefetchedTo) return prefetching ?? Promise.resolve();
		const { last, span } = prefetchGroups(spans, g, PARQUET_WINDOW_BYTES);
		// The previous window is read to its end: only the new one is held.
		remote.release(span.start);
		prefetchedTo = last;
		prefetching = remote.prefetch(span);
		return prefetching;
	};
	await prefetch(0);
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
				await prefetch(group);
				// One Arrow batch per row group: DuckDB appends big batches much faster than parquet-wasm's default 1024 rows.
				const table = await file.read({ rowGroups: [group], batchSize: Math.max(1024, groupRows[group]) });
				const ipc = table.intoIPCStream();
				const rows = groupRows[group];
				rowsDone += rows;
				bytesDone += groupBytes[group];
				group++;
				// The window is read: the next one downloads while DuckDB appends this batch.
				if (remote && group === prefetchedTo + 1 && group < groups) void prefetch(group).catch(() => {});
				return arrowChunk(ipc, rows, rowsDone, rowsTotal, remote ? Math.min(remote.stats.bytes, size) : Math.min(bytesDone, size), size);
			}
		}
	};
}

/** The bytes of a source from its start: the sample already read, then the rest as it arrives; `counted` adds up what went by. */
async function* sourceBytes(source: ByteSource, sample: Uint8Array, ended: boolean, counted: { bytes: number }): AsyncGenerator<Uint8Array> {
	counted.bytes = sample.byteLength;
	if (sample.byteLength) yield sample;
	if (ended) return;
	for (;;) {
		const part = await source.read(8 << 20);
		if (!part) return;
		counted.bytes += part.byteLength;
		// A download's chunk is its own buffer; a Blob slice too: no copy needed.
		yield part;
	}
}

const ARROW_FILE_MAGIC = 'ARROW1';

/** Whether IPC messages start with the schema (Arrow JS writes files whose schema is only in the footer). */
function startsWithSchema(messages: Uint8Array): boolean {
	try {
		return new MessageReader(messages).readMessage()?.isSchema() ?? false;
	} catch {
		return false;
	}
}

/**
 * Arrow IPC, stream or file format, record batch by record batch as the bytes arrive. A file is
 * its magic, then a stream (ended by its end-of-stream marker), then the footer: read as a
 * stream after the magic, it needs no seeking and the footer is never reached. A file whose
 * stream part lacks the schema message (as Arrow JS writes them) needs its footer: it is read whole.
 */
async function arrowJob(source: ByteSource, sample: Uint8Array, ended: boolean, whole: () => Promise<Uint8Array>): Promise<{ plan: Partial<LoadPlan>; job: ArrowJob }> {
	const isFile = new TextDecoder().decode(sample.subarray(0, 6)) === ARROW_FILE_MAGIC;
	const counted = { bytes: 0 };
	/** Bytes before the stream that the reader is not given (a file's magic). */
	let skipped = 0;
	let schema: Schema;
	let batches: AsyncIterator<RecordBatch> | Iterator<RecordBatch>;
	const notes: string[] = [];
	if (isFile && !startsWithSchema(sample.subarray(8))) {
		const all = await whole();
		counted.bytes = all.byteLength;
		const table = tableFromIPC(all);
		schema = table.schema;
		batches = table.batches[Symbol.iterator]();
		if (source.size === null || source.size > SAMPLE_BYTES) notes.push('this Arrow IPC file keeps its schema only in its footer: it was read whole (the stream format, or a file with the schema up front, streams)');
	} else {
		skipped = isFile ? 8 : 0;
		const reader = await RecordBatchReader.from(sourceBytes(source, sample.subarray(skipped), ended, counted));
		await reader.open();
		if (!reader.schema) throw new Error('the Arrow IPC data has no schema message: it is empty or not Arrow IPC');
		schema = reader.schema;
		batches = reader;
	}
	const pending: RecordBatch[] = [];
	const pull = async (): Promise<RecordBatch | undefined> => {
		const result = await batches.next();
		return result.done ? undefined : result.value;
	};
	const first = await pull();
	if (first) pending.push(first);
	const head = new ArrowTable(schema, first ? [first.slice(0, 50)] : []);
	const size = source.size;
	let rowsDone = 0;
	let done = !first;
	return {
		plan: {
			columns: schema.fields.map((f) => ({ name: f.name, type: duckdbType(f.type) })),
			rows: done ? 0 : null,
			preview: previewRows(head),
			notes,
			estimatedBytes: estimateTableBytes('arrow', size ?? sample.byteLength)
		},
		job: {
			async next() {
				// Small batches are sent together (DuckDB appends big ones much faster), but a slow
				// download still shows rows every STREAM_FLUSH_MS.
				let rows = pending.reduce((n, b) => n + b.numRows, 0);
				const started = Date.now();
				while (!done && rows < ARROW_BATCH_ROWS && (rows === 0 || Date.now() - started < STREAM_FLUSH_MS)) {
					const batch = await pull();
					if (!batch) done = true;
					else {
						pending.push(batch);
						rows += batch.numRows;
					}
				}
				if (pending.length === 0) return null;
				const group = pending.splice(0, pending.length);
				rowsDone += rows;
				const ipc = RecordBatchStreamWriter.writeAll(group).toUint8Array(true);
				const bytesDone = skipped + counted.bytes;
				return arrowChunk(ipc, rows, rowsDone, done ? rowsDone : null, size === null ? bytesDone : Math.min(bytesDone, size), size);
			}
		}
	};
}

/** NDJSON text per batch of a download: big enough for DuckDB, small enough that memory holds a few. */
const NDJSON_BATCH_BYTES = 4 << 20;
/** A streamed download's batch goes to DuckDB after this long even when small: progress on a slow host. */
const STREAM_FLUSH_MS = 500;

/**
 * NDJSON as it arrives, a batch of whole lines at a time. Column types come from the records in
 * the first megabyte (a download cannot be read twice); a later value that does not fit is a
 * rejected row naming its line, and the plan says how the types were found.
 */
async function ndjsonStreamJob(source: ByteSource, sample: Uint8Array, ended: boolean, request: LoadRequest): Promise<{ plan: Partial<LoadPlan>; job: ArrowJob }> {
	const decoder = new TextDecoder('utf-8', { fatal: true });
	let nextLine = 1;
	let bytesDone = 0;
	let pending = '';
	let finished = false;
	const decode = (bytes: Uint8Array, last: boolean) => {
		try {
			return decoder.decode(bytes, { stream: !last });
		} catch {
			throw new Error(`after line ${nextLine}: the text is not UTF-8; NDJSON files must be UTF-8`);
		}
	};
	/** The next run of whole lines (everything at the end), or null when all is read. */
	const takeLines = async (): Promise<string | null> => {
		const started = Date.now();
		for (;;) {
			const cut = pending.lastIndexOf('\n');
			if ((cut >= 0 && (pending.length >= NDJSON_BATCH_BYTES || Date.now() - started >= STREAM_FLUSH_MS)) || finished) {
				const end = finished ? pending.length : cut + 1;
				if (end === 0) return null;
				const text = pending.slice(0, end);
				pending = pending.slice(end);
				return text;
			}
			const part = await source.read(NDJSON_BATCH_BYTES);
			if (!part) {
				pending += decode(new Uint8Array(0), true);
				finished = true;
			} else {
				bytesDone += part.byteLength;
				pending += decode(part, false);
			}
		}
	};
	pending = decode(sample, ended);
	bytesDone = sample.byteLength;
	finished = ended;
	// The sample's whole lines decide the types.
	const sampleEnd = ended ? pending.length : pending.lastIndexOf('\n') + 1;
	const sampleText = pending.slice(0, sampleEnd);
	const sampleSpans = scanJsonRecords(sampleText, 'ndjson');
	const valid: Record<string, unknown>[] = [];
	const sampleRecords = function* () {
		for (const span of sampleSpans) {
			const parsed = parseRecord(sampleText.slice(span.start, span.end));
			if ('value' in parsed) {
				if (valid.length < 50) valid.push(parsed.value);
				yield parsed.value;
			}
		}
	};
	const schema: JsonSchema = inferJsonSchema(sampleRecords(), request);
	const notes = [...schema.notes];
	if (!ended) notes.push(`column types come from the first ${formatMiB(sample.byteLength)} (${sampleSpans.length.toLocaleString('en-US')} records) of the download; give columns: to set them`);
	let rowsDone = 0;
	return {
		plan: {
			columns: schema.columns.map(({ name, type }) => ({ name, type })),
			rows: ended ? sampleSpans.length : null,
			preview: valid.map((r) => schema.columns.map((c) => textOf(r[c.name]))),
			notes,
			estimatedBytes: estimateTableBytes('ndjson', source.size ?? sample.byteLength)
		},
		job: {
			async next() {
				const text = await takeLines();
				if (text === null) return null;
				const spans = scanJsonLines(text, nextLine);
				for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) nextLine++;
				const batch = buildJsonBatch(text, spans, schema);
				rowsDone += batch.rows;
				const last = finished && pending.length === 0;
				return arrowChunk(batch.ipc, batch.rows, rowsDone, last ? rowsDone : null, bytesDone, source.size, batch.rejected);
			}
		}
	};
}

function formatMiB(bytes: number): string {
	return bytes >= 1 << 20 ? `${Math.round(bytes / (1 << 20))} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** JSON (an array, one object, or NDJSON saved as .json), and NDJSON of a picked file: whole, types over every record. */
async function jsonJob(bytes: Uint8Array, format: 'json' | 'ndjson', request: LoadRequest): Promise<{ plan: Partial<LoadPlan>; job: ArrowJob }> {
	const text = new TextDecoder().decode(bytes);
	const spans = scanJsonRecords(text, format);
	const valid: Record<string, unknown>[] = [];
	const sampleRecords = function* () {
		for (const span of spans) {
			const parsed = parseRecord(text.slice(span.start, span.end));
			if ('value' in parsed) {
				if (valid.length < 50) valid.push(parsed.value);
				yield parsed.value;
			}
		}
	};
	const schema: JsonSchema = inferJsonSchema(sampleRecords(), request);
	const preview = valid.map((r) => schema.columns.map((c) => textOf(r[c.name])));
	let offset = 0;
	let rowsDone = 0;
	return {
		plan: {
			columns: schema.columns.map(({ name, type }) => ({ name, type })),
			rows: spans.length,
			preview,
			notes: schema.notes,
			estimatedBytes: estimateTableBytes(format, bytes.byteLength)
		},
		job: {
			async next() {
				if (offset >= spans.length) return null;
				const slice: JsonRecordSpan[] = spans.slice(offset, offset + ARROW_BATCH_ROWS);
				offset += slice.length;
				const batch = buildJsonBatch(text, slice, schema);
				rowsDone += slice.length;
				const end = offset < spans.length ? spans[offset].start : text.length;
				return arrowChunk(batch.ipc, batch.rows, rowsDone, spans.length, Math.round((bytes.byteLength * end) / Math.max(1, text.length)), bytes.byteLength, batch.rejected);
			}
		}
	};
}

// ————— Jobs —————

interface Job {
	controller: AbortController;
	source?: ByteSource;
	next?: () => Promise<LoadChunk | null>;
}

const jobs = new Map<string, Job>();

function job(jobId: string): Job {
	const found = jobs.get(jobId);
	if (!found) throw new Error('the load was cancelled');
	return found;
}

async function openSource(source: LoadSource, signal: AbortSignal): Promise<ByteSource> {
	switch (source.kind) {
		case 'blob':
			return blobSource(source.blob);
		case 'url':
			return urlSource(source.url, source.headers, signal);
	}
}

function planOf(made: { plan: Partial<LoadPlan> }, base: Pick<LoadPlan, 'format' | 'name' | 'size' | 'notes' | 'transfer'>): LoadPlan {
	return {
		...base,
		columns: made.plan.columns ?? [],
		rows: made.plan.rows ?? null,
		preview: made.plan.preview ?? [],
		notes: [...base.notes, ...(made.plan.notes ?? [])],
		estimatedBytes: made.plan.estimatedBytes ?? base.size ?? 0
	};
}

/**
 * A Parquet download by Range requests: a 4-byte probe pins the file's size and version, then
 * the footer, then windows of row groups. A host without ranges (a 200 to the probe) is read
 * whole from that same answer, and the plan says so.
 */
async function openParquetDownload(entry: Job, source: Extract<LoadSource, { kind: 'url' }>, onProgress?: (done: number, total: number) => void): Promise<LoadPlan> {
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

/** Reads at least `want` bytes (or to the end) for detection. */
async function readSample(source: ByteSource, want: number): Promise<{ sample: Uint8Array; ended: boolean }> {
	const parts: Uint8Array[] = [];
	let total = 0;
	while (total < want) {
		const part = await source.read(want - total);
		if (!part) return { sample: concat(parts, total), ended: source.size === null || total >= source.size };
		parts.push(part.slice());
		total += part.byteLength;
	}
	const ended = source.size !== null && total >= source.size;
	return { sample: concat(parts, total), ended };
}

function csvToText(ipc: Uint8Array): Uint8Array {
	const encoder = new TextEncoder();
	const parts: Uint8Array[] = [];
	let total = 0;
	let header = false;
	for (const batch of RecordBatchReader.from(ipc)) {
		const fields = batch.schema.fields;
		const lines: string[] = [];
		if (!header) {
			lines.push(fields.map((f) => csvField(f.name)).join(','));
			header = true;
		}
		const columns = fields.map((f) => batch.getChild(f.name)!);
		for (let i = 0; i < batch.numRows; i++) {
			lines.push(columns.map((c, k) => csvField(textOf(c.get(i), fields[k].type))).join(','));
		}
		const bytes = encoder.encode(lines.join('\n') + '\n');
		parts.push(bytes);
		total += bytes.byteLength;
	}
	return concat(parts, total);
}

/** Text columns of 64-bit integers become Int64 columns again. */
function withInt64(ipc: Uint8Array, names: string[]): Uint8Array {
	const table = tableFromIPC(ipc);
	const columns: Record<string, Vector> = {};
	for (const field of table.schema.fields) {
		const vector = table.getChild(field.name)!;
		if (!names.includes(field.name)) {
			columns[field.name] = vector;
			continue;
		}
		const n = vector.length;
		const values = new BigInt64Array(n);
		const validity = new Uint8Array((n + 7) >> 3);
		let nulls = 0;
		for (let i = 0; i < n; i++) {
			const v = vector.get(i) as string | null;
			if (v === null) nulls++;
			else {
				values[i] = BigInt(v);
				validity[i >> 3] |= 1 << (i & 7);
			}
		}
		columns[field.name] = makeVector(makeData({ type: new Int64(), length: n, nullCount: nulls, nullBitmap: validity, data: values }));
	}
	return tableToIPC(new ArrowTable(columns), 'stream');
}

const api: LoaderApi = {
	async open(jobId, source, request, onProgress) {
		const controller = new AbortController();
		const entry: Job = { controller };
		jobs.set(jobId, entry);
		const named = request.format ?? formatFromName(source.name);
		if (source.kind === 'url' && named === 'parquet') return openParquetDownload(entry, source, onProgress);
		const bytes = await openSource(source, controller.signal);
		entry.source = bytes;
		const { sample, ended } = await readSample(bytes, SAMPLE_BYTES);
		onProgress?.(sample.byteLength, bytes.size ?? sample.byteLength);
		const sniffed = formatFromBytes(sample);
		const format: DataFormat = named ?? sniffed ?? 'csv';
		if (format === 'parquet' && source.kind === 'url') {
			// Found by its bytes: start again by ranges (only the first megabyte was read).
			bytes.cancel();
			entry.source = undefined;
			return openParquetDownload(entry, source, onProgress);
		}
		if ((format === 'csv' || format === 'tsv') && (sniffed === 'parquet' || sniffed === 'arrow')) {
			throw new Error(`the file is ${sniffed === 'parquet' ? 'Parquet' : 'Arrow IPC'}, not ${format.toUpperCase()}: set format: ${sniffed} (or leave format out)`);
		}
		if ((format === 'csv' || format === 'tsv') && sample.subarray(0, 8192).includes(0)) {
			throw new Error(`the file holds NUL bytes: it is binary, or UTF-16 text; ${format.toUpperCase()} files must be UTF-8`);
		}
		if (format === 'csv' || format === 'tsv' || format === 'json' || format === 'ndjson') {
			const bad = firstInvalidUtf8(sample, ended);
			if (bad) {
				throw new Error(
					`line ${bad.line}: byte 0x${bad.byte.toString(16).toUpperCase().padStart(2, '0')} (offset ${bad.offset}) is not UTF-8; ${format.toUpperCase()} files must be UTF-8 ` +
						`(this looks like Latin-1 or Windows-1252 text: save it again as UTF-8)`
				);
			}
		}
		const base = { format, name: source.name, size: bytes.size, notes: [] as string[] };

		if (format === 'csv' || format === 'tsv') {
			const text = new TextDecoder().decode(sample);
			const csv = sniffCsv(text, { ...request, format }, ended);
			const quoting = byteQuoting(csv.dialect);
			const header = csv.dialect.header ? headerExtent(sample, quoting) : { bytes: bomBytes(sample), lines: 0 };
			const csvJob = new CsvJob(bytes, quoting, sample, ended, header.bytes, header.lines, csv.dialect.columns.length);
			entry.next = () => csvJob.next();
			const plan: LoadPlan = {
				...base,
				csv,
				columns: csv.dialect.columns,
				rows: null,
				preview: csv.rows,
				notes: csv.notes,
				estimatedBytes: estimateTableBytes(format, bytes.size ?? sample.byteLength)
			};
			return plan;
		}

		// Parquet (a picked file; downloads went by ranges above) is read in place, Arrow IPC and a
		// download's NDJSON batch by batch as they arrive; a JSON array or object, and a picked
		// file's NDJSON (types over every record), need the whole text.
		const whole = async () => {
			const rest = ended ? new Uint8Array(0) : await readAll(bytes, (done, total) => onProgress?.(sample.byteLength + done, bytes.size ?? total));
			return concat(rest.byteLength ? [sample, rest] : [sample], sample.byteLength + rest.byteLength);
		};
		const made =
			format === 'parquet' && source.kind === 'blob'
				? await parquetJob({ kind: 'blob', blob: source.blob })
				: format === 'arrow'
					? await arrowJob(bytes, sample, ended, whole)
					: format === 'ndjson' && source.kind === 'url'
						? await ndjsonStreamJob(bytes, sample, ended, request)
						: await jsonJob(await whole(), format as 'json' | 'ndjson', request);
		entry.next = () => made.job.next();
		return planOf(made, { ...base, transfer: source.kind === 'url' ? 'stream' : undefined });
	},

	async next(jobId) {
		const entry = job(jobId);
		if (!entry.next) throw new Error('the load was not opened');
		try {
			return await entry.next();
		} catch (error) {
			api.close(jobId);
			throw error;
		}
	},

	close(jobId) {
		const entry = jobs.get(jobId);
		if (!entry) return;
		entry.controller.abort();
		entry.source?.cancel();
		jobs.delete(jobId);
	},

	async encode(ipc, format, options = {}) {
		if (format === 'csv') {
			const text = csvToText(ipc);
			return Comlink.transfer(text, [text.buffer as ArrayBuffer]);
		}
		await loadParquet();
		const table = parquet.Table.fromIPCStream(options.int64?.length ? withInt64(ipc, options.int64) : ipc);
		const props = new parquet.WriterPropertiesBuilder().setCompression(parquet.Compression.SNAPPY).build();
		const out = parquet.writeParquet(table, props);
		return Comlink.transfer(out, [out.buffer as ArrayBuffer]);
	}
};

Comlink.expose(api);
