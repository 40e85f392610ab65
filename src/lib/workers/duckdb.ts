/** Starts DuckDB-WASM's own worker (the `eh` bundle, self-hosted) and opens the client on it. */
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import { openDuckDB, type DuckDBInstance } from '#lib/sql/duckdb-client.ts';
import { watchWorker } from './spawn';

export function createDuckDB(): Promise<DuckDBInstance> {
	const worker = new Worker(ehWorker);
	return openDuckDB(worker, watchWorker(worker, 'DuckDB'));
}

/** A DuckDB started on the way to a notebook page, not yet taken by that page's services. */
let ahead: Promise<DuckDBInstance> | undefined;

/**
 * Starts DuckDB as a notebook page is navigated to, before the page's code and the notebook's
 * text have loaded: its start (worker, WASM compile, open) is what a notebook's first result
 * waits on longest. The notebook's services take it as their first instance (`takeDuckDB`).
 */
export function startDuckDBAhead(): void {
	if (ahead) return;
	ahead = createDuckDB();
	// A failure to start reaches the notebook that takes this instance.
	ahead.catch(() => {});
}

/** The instance started ahead, if one waits, or a new one. */
export function takeDuckDB(): Promise<DuckDBInstance> {
	const started = ahead ?? createDuckDB();
	ahead = undefined;
	return started;
}
