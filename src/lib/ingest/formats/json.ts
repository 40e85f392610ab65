/**
 * JSON and NDJSON loads: a download's NDJSON batch by batch as it arrives (types from its first
 * megabyte), anything else whole with types over every record (json-arrow.ts builds the batches).
 */
import type { LoadRequest } from '#lib/ingest/read-options.ts';
import { ARROW_BATCH_ROWS, STREAM_FLUSH_MS, type OpenedFormat } from '#lib/ingest/load-plan.ts';
import { estimateTableBytes } from '#lib/ingest/placement/memory.ts';
import type { ByteSource } from '#lib/ingest/sources/byte-source.ts';
import { arrowChunk, textOf } from './arrow-text';
import { beforeFlush, FLUSH } from './stream-flush';
import { buildJsonBatch, inferJsonSchema, parseRecord, scanJsonLines, scanJsonRecords, type JsonRecordSpan, type JsonSchema } from './json-arrow';

/** Column types over the records at `spans` of `text`, and the first 50 well-formed records as preview rows. */
function inferFromRecords(text: string, spans: readonly JsonRecordSpan[], request: LoadRequest): { schema: JsonSchema; preview: string[][] } {
	const valid: Record<string, unknown>[] = [];
	const records = function* () {
		for (const span of spans) {
			const parsed = parseRecord(text.slice(span.start, span.end));
			if ('value' in parsed) {
				if (valid.length < 50) valid.push(parsed.value);
				yield parsed.value;
			}
		}
	};
	const schema = inferJsonSchema(records(), request);
	return { schema, preview: valid.map((r) => schema.columns.map((c) => textOf(r[c.name]))) };
}

/** NDJSON text per batch of a download: big enough for DuckDB, small enough that memory holds a few. */
const NDJSON_BATCH_BYTES = 4 << 20;

/**
 * NDJSON as it arrives, a batch of whole lines at a time. Column types come from the records in
 * the first megabyte (a download cannot be read twice); a later value that does not fit is a
 * rejected row naming its line, and the plan says how the types were found.
 */
export async function ndjsonStreamJob(source: ByteSource, sample: Uint8Array, ended: boolean, request: LoadRequest): Promise<OpenedFormat> {
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
	/** The read in progress, kept across a flush. */
	let reading: Promise<Uint8Array | null> | undefined;
	/**
	 * The next run of whole lines (everything at the end), or null when all is read: a batch's
	 * worth, or the whole lines there are once STREAM_FLUSH_MS passed (a slow or stalled host).
	 */
	const takeLines = async (): Promise<string | null> => {
		const deadline = Date.now() + STREAM_FLUSH_MS;
		for (;;) {
			const cut = pending.lastIndexOf('\n');
			if (!finished && !(cut >= 0 && pending.length >= NDJSON_BATCH_BYTES)) {
				reading ??= source.read(NDJSON_BATCH_BYTES);
				const part = cut >= 0 ? await beforeFlush(reading, deadline) : await reading;
				if (part !== FLUSH) {
					reading = undefined;
					if (!part) {
						pending += decode(new Uint8Array(0), true);
						finished = true;
					} else {
						bytesDone += part.byteLength;
						pending += decode(part, false);
					}
					continue;
				}
			}
			const end = finished ? pending.length : cut + 1;
			if (end === 0) return null;
			const text = pending.slice(0, end);
			pending = pending.slice(end);
			return text;
		}
	};
	pending = decode(sample, ended);
	bytesDone = sample.byteLength;
	finished = ended;
	// The sample's whole lines decide the types.
	const sampleEnd = ended ? pending.length : pending.lastIndexOf('\n') + 1;
	const sampleText = pending.slice(0, sampleEnd);
	const sampleSpans = scanJsonRecords(sampleText, 'ndjson');
	const { schema, preview } = inferFromRecords(sampleText, sampleSpans, request);
	const notes = [...schema.notes];
	if (!ended)
		notes.push(
			`column types come from the first ${formatMiB(sample.byteLength)} (${sampleSpans.length.toLocaleString('en-US')} records) of the download; give columns: to set them`
		);
	let rowsDone = 0;
	return {
		plan: {
			columns: schema.columns.map(({ name, type }) => ({ name, type })),
			rows: ended ? sampleSpans.length : null,
			preview,
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
export async function jsonJob(bytes: Uint8Array, format: 'json' | 'ndjson', request: LoadRequest): Promise<OpenedFormat> {
	const text = new TextDecoder().decode(bytes);
	const spans = scanJsonRecords(text, format);
	const { schema, preview } = inferFromRecords(text, spans, request);
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
				return arrowChunk(
					batch.ipc,
					batch.rows,
					rowsDone,
					spans.length,
					Math.round((bytes.byteLength * end) / Math.max(1, text.length)),
					bytes.byteLength,
					batch.rejected
				);
			}
		}
	};
}
