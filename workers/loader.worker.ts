/**
 * Reads datasets off the main thread: downloads with progress, splits a CSV into whole-record
 * chunks for DuckDB's read_csv (so progress, cancellation and line numbers work on files of any
 * size), and turns Parquet (parquet-wasm), Arrow IPC and JSON/NDJSON into Arrow IPC streams for
 * DuckDB. It also encodes downloads (CSV text, Parquet via parquet-wasm).
 */
import * as Comlink from 'comlink';
import {
	DataType,
	Int64,
	makeData,
	makeVector,
	RecordBatchReader,
	RecordBatchStreamWriter,
	Table as ArrowTable,
	tableFromIPC,
	tableToIPC,
	type RecordBatch,
	type Table,
	type Vector
} from 'apache-arrow';
import initParquet, * as parquet from 'parquet-wasm/esm';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { formatFromBytes, formatFromName, type ColumnType, type DataFormat, type LoadRequest } from '$lib/sql/csv-options';
import { sniffCsv } from '$lib/csv/dialect';
import { buildJsonBatch, inferJsonSchema, parseRecord, scanJsonRecords, type JsonRecordSpan, type JsonSchema } from '$lib/sql/json-arrow';
import { estimateTableBytes } from '$lib/sql/memory';
import { csvField } from '$lib/sql/grid';
import { bomBytes, byteQuoting, csvChunkBytes, firstInvalidUtf8, headerExtent, rewriteNewlines, scanCsv, type ByteQuoting } from '$lib/csv/chunks';
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

async function urlSource(url: string, signal: AbortSignal): Promise<ByteSource> {
	const response = await fetch(url, { signal });
	if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`);
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
		headerLines: number
	) {
		const body = sample.subarray(headerBytes);
		if (body.byteLength) this.#pending.push(body);
		this.#pendingBytes = body.byteLength;
		this.#ended = ended;
		this.#bytesDone = headerBytes;
		this.#nextLine = 1 + headerLines;
		this.#chunkBytes = csvChunkBytes(source.size);
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

function arrowChunk(ipc: Uint8Array, rows: number, rowsDone: number, rowsTotal: number | null, bytesDone: number, bytesTotal: number | null, rejected: LoadChunk extends infer C ? (C extends { kind: 'arrow' } ? C['rejected'] : never) : never = []): LoadChunk {
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

/**
 * Parquet through parquet-wasm's async reader over a Blob: it reads the footer, then one row
 * group's byte ranges at a time (Blob slices), so a picked file is never whole in memory.
 */
async function parquetJob(blob: Blob): Promise<{ plan: Partial<LoadPlan>; job: ArrowJob }> {
	await loadParquet();
	const file = await parquet.ParquetFile.fromFile(blob).catch((error: unknown) => {
		throw new Error(`the Parquet file is damaged or cut short: its footer (schema and row groups) cannot be read (${String((error as Error)?.message ?? error)})`);
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
	const head = tableFromIPC((await file.read({ limit: 50 })).intoIPCStream());
	let group = 0;
	let rowsDone = 0;
	let bytesDone = 0;
	return {
		plan: {
			columns: head.schema.fields.map((f) => ({ name: f.name, type: duckdbType(f.type) })),
			rows: rowsTotal,
			preview: previewRows(head),
			estimatedBytes: estimateTableBytes('parquet', blob.size, uncompressed)
		},
		job: {
			async next() {
				if (group >= groups) {
					file.free();
					return null;
				}
				// One Arrow batch per row group: DuckDB appends big batches much faster than parquet-wasm's default 1024 rows.
				const table = await file.read({ rowGroups: [group], batchSize: Math.max(1024, groupRows[group]) });
				const ipc = table.intoIPCStream();
				const rows = groupRows[group];
				rowsDone += rows;
				bytesDone += groupBytes[group];
				group++;
				return arrowChunk(ipc, rows, rowsDone, rowsTotal, Math.min(bytesDone, blob.size), blob.size);
			}
		}
	};
}

async function arrowJob(bytes: Uint8Array): Promise<{ plan: Partial<LoadPlan>; job: ArrowJob }> {
	// File or stream format alike.
	const table = tableFromIPC(bytes);
	const batches: RecordBatch[] = table.batches;
	const schema = table.schema;
	const rowsTotal = table.numRows;
	const head = table.slice(0, 50);
	let index = 0;
	let rowsDone = 0;
	return {
		plan: {
			columns: schema.fields.map((f) => ({ name: f.name, type: duckdbType(f.type) })),
			rows: rowsTotal,
			preview: previewRows(head),
			estimatedBytes: estimateTableBytes('arrow', bytes.byteLength)
		},
		job: {
			async next() {
				if (index >= batches.length) return null;
				const group: RecordBatch[] = [];
				let rows = 0;
				while (index < batches.length && (rows === 0 || rows + batches[index].numRows <= ARROW_BATCH_ROWS)) {
					rows += batches[index].numRows;
					group.push(batches[index++]);
				}
				rowsDone += rows;
				const ipc = RecordBatchStreamWriter.writeAll(group).toUint8Array(true);
				return arrowChunk(ipc, rows, rowsDone, rowsTotal, Math.round((bytes.byteLength * rowsDone) / Math.max(1, rowsTotal)), bytes.byteLength);
			}
		}
	};
}

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
			return urlSource(source.url, signal);
	}
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
		const bytes = await openSource(source, controller.signal);
		entry.source = bytes;
		const { sample, ended } = await readSample(bytes, SAMPLE_BYTES);
		onProgress?.(sample.byteLength, bytes.size ?? sample.byteLength);
		const sniffed = formatFromBytes(sample);
		const format: DataFormat = request.format ?? formatFromName(source.name) ?? sniffed ?? 'csv';
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
			const csvJob = new CsvJob(bytes, quoting, sample, ended, header.bytes, header.lines);
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

		// A picked file's Parquet is read in place; the other formats, and downloads, need the whole file.
		const whole = async () => {
			const rest = ended ? new Uint8Array(0) : await readAll(bytes, (done, total) => onProgress?.(sample.byteLength + done, bytes.size ?? total));
			return concat(rest.byteLength ? [sample, rest] : [sample], sample.byteLength + rest.byteLength);
		};
		const made =
			format === 'parquet'
				? await parquetJob(source.kind === 'blob' ? source.blob : new Blob([(await whole()) as BlobPart]))
				: format === 'arrow'
					? await arrowJob(await whole())
					: await jsonJob(await whole(), format, request);
		entry.next = () => made.job.next();
		const columns: ColumnType[] = made.plan.columns ?? [];
		return {
			...base,
			columns,
			rows: made.plan.rows ?? null,
			preview: made.plan.preview ?? [],
			notes: made.plan.notes ?? [],
			estimatedBytes: made.plan.estimatedBytes ?? bytes.size ?? 0
		};
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
