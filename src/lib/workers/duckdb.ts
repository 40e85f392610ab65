/** Starts DuckDB-WASM's own worker (the `eh` bundle, self-hosted) and opens the client on it. */
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import { openDuckDB, type DuckDBInstance } from '#lib/sql/duckdb-client.ts';
import { watchWorker } from './spawn';

export function createDuckDB(): Promise<DuckDBInstance> {
	const worker = new Worker(ehWorker);
	return openDuckDB(worker, watchWorker(worker, 'DuckDB'));
}
