import * as duckdb from '@duckdb/duckdb-wasm';
import type { RecordBatch, Table } from 'apache-arrow';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import type { SqlConnector } from './connector';
import { watchWorker } from '$lib/workers/spawn';

/** A started DuckDB: the connector, a promise that rejects if its worker dies, and how to stop it. */
export interface DuckDBInstance {
	value: SqlConnector;
	crashed: Promise<never>;
	terminate(): void;
}

/**
 * DuckDB-WASM in its own web worker, self-hosted (only the `eh` bundle: every browser we
 * support has wasm exceptions, and it saves ~39 MB). Results cross as Arrow IPC.
 */
export async function createDuckDB(): Promise<DuckDBInstance> {
	const worker = new Worker(ehWorker);
	const crashed = watchWorker(worker, 'DuckDB');
	const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
	await Promise.race([db.instantiate(ehWasm), crashed]);
	await db.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true, castTimestampToDate: false } });

	async function query(sql: string, signal?: AbortSignal): Promise<Table> {
		signal?.throwIfAborted();
		const conn = await db.connect();
		const onAbort = () => void conn.cancelSent().catch(() => {});
		signal?.addEventListener('abort', onAbort, { once: true });
		try {
			const result = await Promise.race([conn.query(sql), crashed]);
			signal?.throwIfAborted();
			return result;
		} finally {
			signal?.removeEventListener('abort', onAbort);
			await conn.close();
		}
	}

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
		queryBatches,
		async registerFile(name, bytes) {
			await db.registerFileBuffer(name, bytes);
		},
		async dropFile(name) {
			await db.dropFile(name);
		},
		async insertArrowIPC(name, ipc, options = {}) {
			const conn = await db.connect();
			try {
				if (!options.append) await conn.query(`DROP TABLE IF EXISTS "${name.replaceAll('"', '""')}"`);
				await conn.insertArrowFromIPCStream(ipc, { name, create: !options.append });
			} finally {
				await conn.close();
			}
		}
	};
	// A crashed or abandoned instance frees its worker (and the memory DuckDB held).
	return { value, crashed, terminate: () => worker.terminate() };
}
