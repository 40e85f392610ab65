/**
 * CSV on two cores. DuckDB-WASM reads a CSV on one thread (its threaded build cannot be used: see
 * test/bench/duckdb-threads.bench.ts), and for a big file that parse is most of the load. So a second
 * DuckDB-WASM (sql/csv-reader.ts) reads every other chunk, with the same read_csv call (dialect,
 * column types), into Arrow IPC, while the notebook's DuckDB parses the chunks between; appending an
 * Arrow chunk costs it a fraction of parsing one. Chunks are still inserted in file order, one at a
 * time, with the same progress; a chunk the second reader fails on (a malformed row, a crash) is
 * read by the notebook's DuckDB as before, which names the bad rows' lines.
 */
import type { LoadChunk } from '#lib/ingest/load-plan.ts';
import type { CsvDialect } from '#lib/ingest/read-options.ts';

import type { CsvArrowReader } from '#lib/sql/csv-reader.ts';

export type { CsvArrowReader };

/** A chunk ready to insert: CSV bytes for the notebook's DuckDB, or with `ipc`, its rows already read. */
export interface PreparedChunk {
	chunk: LoadChunk;
	ipc?: Uint8Array;
}

/**
 * Column types whose values cross Arrow unchanged both ways (DuckDB writes and reads them as the
 * same Arrow types): a dialect with any other type (given in the cell) is read by one DuckDB.
 */
const ROUND_TRIP_TYPES = new Set(['BOOLEAN', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'FLOAT', 'DOUBLE', 'DATE', 'TIMESTAMP', 'VARCHAR']);

/** Files below this are read by the notebook's DuckDB alone: a second reader would not pay for itself. */
export const TWO_READERS_MIN_BYTES = 16 << 20;

/** Whether a CSV load of `size` bytes (null: a download of unknown size) with `dialect` may use a second reader. */
export function twoReaders(size: number | null, dialect: CsvDialect): boolean {
	return (size === null || size >= TWO_READERS_MIN_BYTES) && dialect.columns.every((c) => ROUND_TRIP_TYPES.has(c.type.toUpperCase()));
}

/**
 * The chunks of a load in file order, `depth` requested ahead of the one being inserted; with a
 * reader, every other chunk goes to it as it arrives. `next` must be called one at a time (the
 * loader reads sequentially); `sqlFor(file)` is the read_csv over a registered file.
 */
export class ChunkPipeline {
	#ahead: Promise<PreparedChunk | null>[] = [];
	#index = 0;
	#reading: Promise<unknown> = Promise.resolve();
	#ended = false;
	/** Chunks handed out, and how many of them the second reader read (for the load report). */
	chunks = 0;
	readByHelper = 0;

	constructor(
		private readonly pull: () => Promise<LoadChunk | null>,
		private readonly depth: number,
		private readonly helper: () => { reader: CsvArrowReader; sqlFor(file: string): string; file(n: number): string } | undefined
	) {}

	#request(): Promise<PreparedChunk | null> {
		const index = this.#index++;
		const raw = this.#reading.then(() => (this.#ended ? null : this.pull()));
		this.#reading = raw.then(
			(chunk) => void (chunk === null && (this.#ended = true)),
			() => {}
		);
		const prepared = raw.then(async (chunk): Promise<PreparedChunk | null> => {
			if (!chunk) return null;
			this.chunks++;
			const helper = index % 2 === 1 ? this.helper() : undefined;
			if (!helper || chunk.kind !== 'csv') return { chunk };
			const file = helper.file(index);
			try {
				// The reader takes its copy (the bytes cross to its worker); the chunk keeps its own for a fallback.
				const ipc = await helper.reader.read(file, chunk.bytes.slice(), helper.sqlFor(file));
				this.readByHelper++;
				return { chunk, ipc };
			} catch {
				return { chunk };
			}
		});
		// Awaited in turn by next(); a failure that comes first is reported there.
		prepared.catch(() => {});
		return prepared;
	}

	/** The next chunk in file order, or null at the end. */
	next(): Promise<PreparedChunk | null> {
		while (this.#ahead.length < this.depth + 1) this.#ahead.push(this.#request());
		return this.#ahead.shift()!;
	}
}
