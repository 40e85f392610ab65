/**
 * The self-hosted files DuckDB-WASM starts from, as the browser asks for them: the worker shell
 * (duckdb-cached.worker.js, given the bundle's URL), duckdb-wasm's `eh` worker bundle and its
 * 34 MB WASM. Pages that lead to notebooks prefetch them (`DUCKDB_PREFETCH`), so a notebook opened
 * from there finds them in the HTTP cache.
 */
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import cachedWorker from './duckdb-cached.worker.js?url';

/** The URL the DuckDB worker is started from: the shell fetches the WASM while it loads the bundle. */
export const DUCKDB_WORKER_URL = `${cachedWorker}?duckdb=${encodeURIComponent(ehWorker)}&wasm=${encodeURIComponent(ehWasm)}`;

export const DUCKDB_WASM_URL = ehWasm;

/** What a notebook's DuckDB fetches first, in the order it needs them. */
export const DUCKDB_PREFETCH: readonly string[] = [DUCKDB_WORKER_URL, ehWorker, ehWasm];
