/** A real DuckDB (native, @duckdb/node-api) for the SQL builders' tests. */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface NativeDb {
	conn: DuckDBConnection;
	/** Rows as JSON-safe objects (BIGINT as strings, lists as arrays). */
	rows(sql: string): Promise<Record<string, unknown>[]>;
	run(sql: string): Promise<void>;
	close(): void;
}

export async function nativeDb(): Promise<NativeDb> {
	const instance = await DuckDBInstance.create(':memory:');
	const conn = await instance.connect();
	return {
		conn,
		async rows(sql) {
			return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
		},
		async run(sql) {
			await conn.run(sql);
		},
		close() {
			conn.closeSync();
			instance.closeSync();
		}
	};
}
