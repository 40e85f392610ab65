/**
 * What loading a dataset produces: where its bytes come from, the plan shown before the load (format,
 * dialect, columns, preview, size), and the chunks DuckDB inserts one by one.
 */
import type { ColumnType, CsvSniff, DataFormat, RejectedRow } from './read-options';

/**
 * Where a dataset's bytes come from: a download, or a File/Blob (it crosses without copying and
 * is read in slices). A download's `headers` go with every request the loader makes for it (the
 * page's bearer token for its own /api/ URLs: see requestHeadersFor in src/lib/api/http.ts).
 */
export type LoadSource = { kind: 'url'; url: string; name: string; headers?: Record<string, string> } | { kind: 'blob'; blob: Blob; name: string };

/** How the loader read a download: byte ranges (Parquet where the host serves them), or the body as it arrived. */
export type LoadTransfer = 'ranges' | 'stream';

export interface LoadPlan {
	format: DataFormat;
	name: string;
	/** Bytes in the source; null when a URL does not say. */
	size: number | null;
	/** CSV and TSV: the detected or given dialect and types. */
	csv?: CsvSniff;
	/** The columns and the DuckDB types they will have. */
	columns: ColumnType[];
	/** Rows in the file when known before reading it all (Parquet metadata, scanned JSON). */
	rows: number | null;
	/** The first rows, as text, for the preview. */
	preview: string[][];
	notes: string[];
	/** The table's approximate size in DuckDB, for the memory check. */
	estimatedBytes: number;
	/** Downloads only: how the bytes are read. */
	transfer?: LoadTransfer;
}

export type LoadChunk =
	| {
			kind: 'csv';
			/** Whole records without the header, for read_csv with header = false. */
			bytes: Uint8Array;
			/** Physical line of the chunk's first record. */
			firstLine: number;
			records: number;
			/** [record index in chunk (1-based), extra lines it spans]: records with quoted newlines. */
			multiline: Array<[number, number]>;
			bytesDone: number;
			bytesTotal: number | null;
			/** Milliseconds the loader spent making this chunk (reading, parsing, decoding). */
			workMs?: number;
	  }
	| {
			kind: 'arrow';
			/** An Arrow IPC stream. */
			ipc: Uint8Array;
			rows: number;
			rejected: RejectedRow[];
			rowsDone: number;
			rowsTotal: number | null;
			bytesDone: number;
			bytesTotal: number | null;
			/** Milliseconds the loader spent making this chunk (reading, parsing, decoding). */
			workMs?: number;
	  };

/** The part of a plan a format's reader knows; the loader adds the source's name, size and notes. */
export type PartialPlan = Partial<LoadPlan>;

/** A format's reader once opened: what it found, and its chunks one by one (null at the end). */
export interface OpenedFormat {
	plan: PartialPlan;
	job: { next(): Promise<LoadChunk | null> };
}

export function planOf(made: { plan: PartialPlan }, base: Pick<LoadPlan, 'format' | 'name' | 'size' | 'notes' | 'transfer'>): LoadPlan {
	return {
		...base,
		columns: made.plan.columns ?? [],
		rows: made.plan.rows ?? null,
		preview: made.plan.preview ?? [],
		notes: [...base.notes, ...(made.plan.notes ?? [])],
		estimatedBytes: made.plan.estimatedBytes ?? base.size ?? 0
	};
}

/** One load in progress: how to stop it, the bytes it is reading, and its next chunk once opened. */
export interface LoadJob {
	controller: AbortController;
	source?: { cancel(): void };
	next?: () => Promise<LoadChunk | null>;
}

/** The first megabyte: what format, dialect and type detection read. */
export const SAMPLE_BYTES = 1 << 20;
/** Rows per Arrow batch sent to DuckDB (it appends big batches much faster). */
export const ARROW_BATCH_ROWS = 100_000;
/** A streamed download's batch goes to DuckDB after this long even when small: progress on a slow host. */
export const STREAM_FLUSH_MS = 500;
