/**
 * Arrow values and types as the loader shows them: DuckDB type names for the preview's columns,
 * and values as text (the preview, and CSV downloads).
 */
import { DataType, type Table } from 'apache-arrow';
import type { LoadChunk } from '#lib/ingest/load-plan.ts';

/** An Arrow chunk of a load (the IPC bytes cross to DuckDB's side). */
export function arrowChunk(
	ipc: Uint8Array,
	rows: number,
	rowsDone: number,
	rowsTotal: number | null,
	bytesDone: number,
	bytesTotal: number | null,
	rejected: Extract<LoadChunk, { kind: 'arrow' }>['rejected'] = []
): LoadChunk {
	return { kind: 'arrow', ipc, rows, rejected, rowsDone, rowsTotal, bytesDone, bytesTotal };
}

/** DuckDB type names for the Arrow types it will create (for the preview). */
export function duckdbType(type: DataType): string {
	const t = String(type);
	if (DataType.isInt(type)) return ({ 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' } as Record<number, string>)[type.bitWidth] ?? t;
	if (DataType.isFloat(type)) return type.precision === 2 ? 'DOUBLE' : 'FLOAT';
	if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return 'VARCHAR';
	if (DataType.isBool(type)) return 'BOOLEAN';
	if (DataType.isDate(type)) return 'DATE';
	if (DataType.isTimestamp(type)) return type.timezone ? 'TIMESTAMPTZ' : 'TIMESTAMP';
	if (DataType.isDecimal(type)) return `DECIMAL(${type.precision},${type.scale})`;
	if (DataType.isDictionary(type)) return duckdbType(type.dictionary);
	return t.toUpperCase();
}

export function previewRows(table: Table, limit = 50): string[][] {
	const rows: string[][] = [];
	const n = Math.min(limit, table.numRows);
	const columns = table.schema.fields.map((f) => table.getChild(f.name)!);
	for (let i = 0; i < n; i++) rows.push(columns.map((c) => textOf(c.get(i), c.type)));
	return rows;
}

export function textOf(value: unknown, type?: DataType): string {
	if (value === null || value === undefined) return '';
	if (type && (DataType.isTimestamp(type) || DataType.isDate(type))) {
		const ms = typeof value === 'bigint' ? Number(value) : (value as number);
		return new Date(ms)
			.toISOString()
			.replace('T', ' ')
			.replace(/\.000Z$|Z$/, '')
			.replace(/ 00:00:00$/, DataType.isDate(type) ? '' : ' 00:00:00');
	}
	if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
	if (typeof value === 'object') {
		const v = value as { toJSON?: () => unknown };
		return JSON.stringify(v.toJSON ? v.toJSON() : value, (_, x) => (typeof x === 'bigint' ? x.toString() : x));
	}
	return String(value);
}
