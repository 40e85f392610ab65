/**
 * What the statistics kinds (drift, A/B, champion, the per-chunk kinds) share: a table's columns
 * checked and read for the stats worker as the Arrow IPC bytes DuckDB sends, the worker call tied to
 * the cell, and clean numbers for the result tables they write back.
 */
import { DataType, MessageReader, type Table as ArrowTable } from 'apache-arrow';
import type { SqlConnector } from '#lib/sql/connector.ts';
import { quoteIdentifier } from '#lib/sql/identifiers.ts';
import type { CellServices } from './types';

export async function schemaOf(db: SqlConnector, table: string, signal: AbortSignal): Promise<ArrowTable> {
	return db.query(`SELECT * FROM ${quoteIdentifier(table)} LIMIT 0`, signal);
}

/** A column checked against the table, and the SQL that reads it (booleans as 0/1). */
export function columnExpression(schema: ArrowTable, column: string, table: string, cell: string, field: string): string {
	const f = schema.schema.fields.find((x) => x.name === column);
	if (!f) throw new Error(`cell ${cell}, field "${field}": no column "${column}" in ${table} (columns: ${schema.schema.fields.map((x) => x.name).join(', ')})`);
	const q = quoteIdentifier(column);
	return DataType.isBool(f.type) ? `CAST(${q} AS INTEGER)` : q;
}

/** SQL for the time column and the unit it arrives in: epoch ms for dates and times, numbers as they are. */
export function timeExpression(schema: ArrowTable, column: string, table: string, cell: string): { sql: string; unit: 'ms' | 'number' } {
	const f = schema.schema.fields.find((x) => x.name === column);
	if (!f) throw new Error(`cell ${cell}, field "time": no column "${column}" in ${table}`);
	const q = quoteIdentifier(column);
	if (DataType.isInt(f.type) || DataType.isFloat(f.type) || DataType.isDecimal(f.type)) return { sql: `CAST(${q} AS DOUBLE)`, unit: 'number' };
	if (DataType.isTimestamp(f.type) && f.type.timezone) return { sql: `epoch_ms(${q})::DOUBLE`, unit: 'ms' };
	return { sql: `epoch_ms(CAST(${q} AS TIMESTAMP))::DOUBLE`, unit: 'ms' };
}

/** Runs `work` on the stats worker, cancelling it with the cell and naming the cell in errors. */
export async function onStatsWorker<T>(
	services: CellServices,
	signal: AbortSignal,
	cell: string,
	jobId: string,
	work: (api: Awaited<ReturnType<CellServices['stats']>>['api']) => Promise<T>
): Promise<T> {
	const { api, crashed } = await services.stats();
	const onAbort = () => void api.cancel(jobId);
	signal.addEventListener('abort', onAbort, { once: true });
	try {
		return await Promise.race([work(api), crashed]);
	} catch (error) {
		if (signal.aborted) throw error;
		throw new Error(`cell ${cell}: ${(error as Error).message}`, { cause: error });
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}

/**
 * A query's result for the stats worker: the Arrow IPC bytes DuckDB's worker sent, neither decoded
 * nor copied on this thread (hand them on with `Comlink.transfer(ipc, [ipc.buffer])`); no rows is
 * the cell's error `empty`.
 */
export async function statsInput(db: SqlConnector, sql: string, empty: string, signal: AbortSignal): Promise<Uint8Array<ArrayBuffer>> {
	const ipc = await db.queryIPC(sql, signal);
	if (ipcRowCount(ipc) === 0) throw new Error(empty);
	return ipc;
}

/** The selected columns of a table as Arrow IPC, for the stats worker; an empty table is the cell's error. */
export function selectedRows(db: SqlConnector, table: string, select: readonly string[], cell: string, signal: AbortSignal): Promise<Uint8Array<ArrayBuffer>> {
	return statsInput(db, `SELECT ${select.join(', ')} FROM ${quoteIdentifier(table)}`, `cell ${cell}: ${table} has no rows`, signal);
}

const ARROW_MAGIC = 'ARROW1';

/**
 * Rows in Arrow IPC bytes (file or stream format), summed from the record batches' headers: no
 * column is decoded and no value copied.
 */
export function ipcRowCount(ipc: Uint8Array): number {
	let messages = ipc;
	const magic = (at: number) => String.fromCharCode(...ipc.subarray(at, at + ARROW_MAGIC.length)) === ARROW_MAGIC;
	if (ipc.length >= 2 * ARROW_MAGIC.length + 4 && magic(0) && magic(ipc.length - ARROW_MAGIC.length)) {
		// File format: magic and padding (8 bytes), the messages, the footer, its length (int32), magic.
		const footerLength = new DataView(ipc.buffer, ipc.byteOffset, ipc.byteLength).getInt32(ipc.length - ARROW_MAGIC.length - 4, true);
		messages = ipc.subarray(8, ipc.length - ARROW_MAGIC.length - 4 - footerLength);
	}
	const reader = new MessageReader(messages);
	let rows = 0;
	for (let message = reader.readMessage(); message; message = reader.readMessage()) {
		if (message.isRecordBatch()) rows += message.header().length;
		reader.readMessageBody(message.bodyLength);
	}
	return rows;
}

/** A statistic as a result table stores it: NaN and infinities become null. */
export function finite(x: number | null | undefined): number | null {
	return x === null || x === undefined || !Number.isFinite(x) ? null : x;
}
