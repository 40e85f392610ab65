import type { RecordBatch, Table } from 'apache-arrow';
import type { DiskStorage } from './storage';

/** Where SQL runs. One interface, so cells never know whether DuckDB is in a worker or native. */
export interface SqlConnector {
	/** Runs a query; aborting the signal interrupts it in DuckDB. */
	query(sql: string, signal?: AbortSignal): Promise<Table>;
	/**
	 * Runs a query and returns its result as DuckDB sends it: Arrow IPC bytes (file format), not
	 * decoded here, for handing on (transferred) to a worker that decodes them itself.
	 */
	queryIPC(sql: string, signal?: AbortSignal): Promise<Uint8Array<ArrayBuffer>>;
	/** Streams a query's result as Arrow record batches, for work over tables too big to hold twice; aborting interrupts it. */
	queryBatches?(sql: string, signal?: AbortSignal): AsyncIterable<RecordBatch>;
	/** Makes bytes readable by SQL under `name` (e.g. `read_csv('name')`). */
	registerFile(name: string, bytes: Uint8Array): Promise<void>;
	/** Forgets a registered file and frees its bytes. */
	dropFile(name: string): Promise<void>;
	/** Creates or replaces table `name` (in `catalog`.`schema` when given) from an Arrow IPC stream, or appends to it with `append`. */
	insertArrowIPC(name: string, ipc: Uint8Array, options?: { append?: boolean; catalog?: string; schema?: string }): Promise<void>;
	/**
	 * A connection of its own, for statements that share a transaction (BEGIN … COMMIT); closing
	 * it rolls back what is not committed. Absent where the connector has no such connections.
	 */
	session?(): Promise<SqlSession>;
	/** Disk (OPFS) storage for tables too big for memory; absent where there is none. */
	storage?: DiskStorage;
}

/** One connection: its statements run in order, in its transaction when one is open. */
export interface SqlSession {
	/** Runs a query; aborting the signal interrupts it in DuckDB. */
	query(sql: string, signal?: AbortSignal): Promise<Table>;
	close(): Promise<void>;
}

export interface ColumnInfo {
	name: string;
	type: string;
}

/** A table in DuckDB that a cell produced: what downstream cells read by name. */
export interface TableRef {
	name: string;
	rowCount: number;
	columns: ColumnInfo[];
	/** The first rows, for display. */
	preview: Table;
}
