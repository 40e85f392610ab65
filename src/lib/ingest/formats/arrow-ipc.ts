/**
 * Arrow IPC (stream or file format) into batches for DuckDB, record batch by record batch as the
 * bytes arrive.
 */
import { MessageReader, RecordBatchReader, RecordBatchStreamWriter, Table as ArrowTable, tableFromIPC, type RecordBatch, type Schema } from 'apache-arrow';
import { ARROW_BATCH_ROWS, SAMPLE_BYTES, STREAM_FLUSH_MS, type OpenedFormat } from '#lib/ingest/load-plan.ts';
import { estimateTableBytes } from '#lib/ingest/placement/memory.ts';
import { sourceBytes, type ByteSource } from '#lib/ingest/sources/byte-source.ts';
import { arrowChunk, duckdbType, previewRows } from './arrow-text';
import { beforeFlush, FLUSH } from './stream-flush';

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
export async function arrowJob(source: ByteSource, sample: Uint8Array, ended: boolean, whole: () => Promise<Uint8Array>): Promise<OpenedFormat> {
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
		if (source.size === null || source.size > SAMPLE_BYTES)
			notes.push('this Arrow IPC file keeps its schema only in its footer: it was read whole (the stream format, or a file with the schema up front, streams)');
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
	/** The batch being read, kept across a flush. */
	let reading: Promise<RecordBatch | undefined> | undefined;
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
				// or stalled download still shows its rows after STREAM_FLUSH_MS.
				let rows = pending.reduce((n, b) => n + b.numRows, 0);
				const deadline = Date.now() + STREAM_FLUSH_MS;
				while (!done && rows < ARROW_BATCH_ROWS) {
					reading ??= pull();
					const batch = rows === 0 ? await reading : await beforeFlush(reading, deadline);
					if (batch === FLUSH) break;
					reading = undefined;
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
