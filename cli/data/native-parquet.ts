/**
 * Parquet through native DuckDB, giving what the JS reader (parquet-wasm → Arrow →
 * src/lib/stats/arrow-columns.ts) gives: integer and floating-point columns as numbers (null is
 * NaN), text as strings (null kept). A file with any other column type (decimals, dates,
 * booleans, nested…) is left to the JS reader (undefined), as is one DuckDB cannot read, so that
 * the JS reader's message names the problem.
 */
import type { Column } from '#lib/stats/index.ts';
import { duckdbConnection, plainPath, readResultColumns, sqlString, type ResultColumnKind } from './duckdb-columns';

const NUMBER_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'FLOAT', 'DOUBLE']);

const identifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function readParquetNative(path: string): Promise<Record<string, Column> | undefined> {
	if (!plainPath(path)) return undefined;
	const connection = await duckdbConnection();
	try {
		const source = `read_parquet(${sqlString(path)})`;
		const schema = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)).getRowObjects();
		const names = schema.map((row) => String(row.column_name));
		const types = schema.map((row) => String(row.column_type));
		if (new Set(names).size !== names.length || !types.every((t) => t === 'VARCHAR' || NUMBER_TYPES.has(t))) return undefined;
		const kinds: ResultColumnKind[] = types.map((t) => (t === 'VARCHAR' ? 'string' : 'number'));
		const select = names.map((name, c) => (kinds[c] === 'number' ? `CAST(${identifier(name)} AS DOUBLE)` : identifier(name))).join(', ');
		const columns = readResultColumns(await connection.run(`SELECT ${select} FROM ${source}`), kinds);
		return Object.fromEntries(names.map((name, c) => [name, columns[c]!]));
	} catch {
		return undefined;
	} finally {
		connection.closeSync();
	}
}
