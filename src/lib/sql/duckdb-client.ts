import * as duckdb from '@duckdb/duckdb-wasm';
import type { RecordBatch, Table } from 'apache-arrow';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import type { SqlConnector } from './connector';
import { openDiskStorage } from './storage';
import { quoteIdentifier } from './identifiers';

/** A started DuckDB: the connector, a promise that rejects if its worker dies, and how to stop it. */
export interface DuckDBInstance {
	value: SqlConnector;
	crashed: Promise<never>;
	terminate(): void;
}

/**
 * DuckDB-WASM in its own web worker, self-hosted (only the `eh` bundle: every browser we
 * support has wasm exceptions, and it saves ~39 MB). Results cross as Arrow IPC. The main
 * database is in memory; tables too big for it go to OPFS database files (see storage.ts).
 * `worker` runs duckdb-wasm's browser-eh worker (src/lib/workers/duckdb.ts starts it);
 * `crashed` rejects when it dies.
 */
export async function openDuckDB(worker: Worker, crashed: Promise<never>): Promise<DuckDBInstance> {
	const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
	await Promise.race([db.instantiate(ehWasm), crashed]);
	performance.mark('driftbook:duckdb:instantiated');
	await db.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true, castTimestampToDate: false } });
	performance.mark('driftbook:duckdb:opened');

	/** Runs `read` on `conn`; aborting the signal cancels it in DuckDB. */
	async function runOn<T>(
		conn: duckdb.AsyncDuckDBConnection,
		signal: AbortSignal | undefined,
		read: (conn: duckdb.AsyncDuckDBConnection) => Promise<T>
	): Promise<T> {
		signal?.throwIfAborted();
		const onAbort = () => void conn.cancelSent().catch(() => {});
		signal?.addEventListener('abort', onAbort, { once: true });
		try {
			const result = await Promise.race([read(conn), crashed]);
			signal?.throwIfAborted();
			return result;
		} finally {
			signal?.removeEventListener('abort', onAbort);
		}
	}
	/** Runs `sql` on a connection of its own: `query` decodes the result into a table, `queryIPC` keeps DuckDB's IPC bytes. */
	async function run<T>(sql: string, signal: AbortSignal | undefined, read: (conn: duckdb.AsyncDuckDBConnection) => Promise<T>): Promise<T> {
		signal?.throwIfAborted();
		const conn = await db.connect();
		try {
			return await runOn(conn, signal, read);
		} finally {
			await conn.close();
		}
	}
	const query = (sql: string, signal?: AbortSignal): Promise<Table> => run(sql, signal, (conn) => conn.query(sql));
	// What conn.query decodes: the bytes DuckDB's worker transferred to this thread, one buffer.
	const queryIPC = (sql: string, signal?: AbortSignal) =>
		run(sql, signal, (conn) => conn.useUnsafe((bindings, id) => bindings.runQuery(id, sql) as Promise<Uint8Array<ArrayBuffer>>));

	async function* queryBatches(sql: string, signal?: AbortSignal): AsyncGenerator<RecordBatch> {
		signal?.throwIfAborted();
		const conn = await db.connect();
		const onAbort = () => void conn.cancelSent().catch(() => {});
		signal?.addEventListener('abort', onAbort, { once: true });
		let finished = false;
		try {
			const reader = await Promise.race([conn.send(sql, true), crashed]);
			for await (const batch of reader) {
				signal?.throwIfAborted();
				yield batch;
			}
			finished = true;
		} finally {
			signal?.removeEventListener('abort', onAbort);
			// A consumer that stops early leaves the query running in DuckDB: stop it first.
			if (!finished) await conn.cancelSent().catch(() => {});
			await conn.close();
		}
	}

	const value: SqlConnector = {
		query,
		queryIPC,
		queryBatches,
		async registerFile(name, bytes) {
			await db.registerFileBuffer(name, bytes);
		},
		async dropFile(name) {
			await db.dropFile(name);
		},
		async session() {
			const conn = await db.connect();
			return { query: (sql, signal) => runOn(conn, signal, () => conn.query(sql)), close: () => conn.close() };
		},
		async insertArrowIPC(name, ipc, options = {}) {
			const conn = await db.connect();
			try {
				const qualified = [options.catalog, options.schema, name]
					.filter((part) => part !== undefined)
					.map(quoteIdentifier)
					.join('.');
				if (!options.append) await conn.query(`DROP TABLE IF EXISTS ${qualified}`);
				if (options.catalog) {
					// DuckDB-WASM's Arrow insert names no catalog: read the batch into memory, then copy it over.
					const scratch = `__arrow_${crypto.randomUUID().replaceAll('-', '')}`;
					await conn.insertArrowFromIPCStream(ipc, { name: scratch, create: true });
					try {
						await conn.query(
							options.append
								? `INSERT INTO ${qualified} SELECT * FROM ${quoteIdentifier(scratch)}`
								: `CREATE TABLE ${qualified} AS SELECT * FROM ${quoteIdentifier(scratch)}`
						);
					} finally {
						await conn.query(`DROP TABLE IF EXISTS ${quoteIdentifier(scratch)}`);
					}
				} else {
					await conn.insertArrowFromIPCStream(ipc, { name, schema: options.schema, create: !options.append });
				}
			} finally {
				await conn.close();
			}
		},
		storage: await openDiskStorage(db, (sql) => query(sql))
	};
	performance.mark('driftbook:duckdb:ready');
	// A crashed or abandoned instance frees its worker (and the memory DuckDB held), then its OPFS files.
	return {
		value,
		crashed,
		terminate: () => {
			worker.terminate();
			void value.storage?.close();
		}
	};
}
