import * as duckdb from '@duckdb/duckdb-wasm';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import { arrowFileToStream } from './arrow-file';

/** Reads a CSV chunk registered as `file` with `sql` (a read_csv over it) into an Arrow IPC stream. */
export interface CsvArrowReader {
	read(file: string, bytes: Uint8Array, sql: string): Promise<Uint8Array>;
}

/**
 * A second DuckDB-WASM, in a worker of its own, that reads CSV chunks into Arrow IPC: DuckDB-WASM
 * parses on one thread, so a big CSV is read on two cores when this one parses some chunks while
 * the notebook's DuckDB parses the others and appends these (see ingest/csv/arrow-reader.ts). It
 * holds no tables; its results keep DuckDB's own Arrow types (no casts to double), so the rows
 * appended are the rows read_csv made. `worker` runs duckdb-wasm's browser-eh worker; the same
 * wasm file as the notebook's DuckDB, so the browser compiles it once.
 */
export async function openCsvReader(worker: Worker, crashed: Promise<never>): Promise<{ value: CsvArrowReader; crashed: Promise<never>; terminate(): void }> {
	const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
	await Promise.race([db.instantiate(ehWasm), crashed]);
	await Promise.race([db.open({}), crashed]);
	const conn = await db.connect();
	const value: CsvArrowReader = {
		async read(file, bytes, sql) {
			await Promise.race([db.registerFileBuffer(file, bytes), crashed]);
			try {
				return arrowFileToStream(await Promise.race([conn.useUnsafe((bindings, id) => bindings.runQuery(id, sql)), crashed]));
			} finally {
				await db.dropFile(file).catch(() => {});
			}
		}
	};
	return { value, crashed, terminate: () => worker.terminate() };
}
