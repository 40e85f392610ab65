import pg from 'pg';
import { checkSchemaName } from './schema-name';
import type { Store, Transaction } from './types';

const INT8_OID = 20;

// PGlite hands back int8 (count(*), sums) as numbers and pg as strings; match PGlite so callers
// see one set of types whichever store they run on.
const types: pg.CustomTypesConfig = {
	getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
		oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser']
};

export async function openPostgres(databaseUrl: string, schemaOption?: string): Promise<Store> {
	const schema = schemaOption === undefined ? undefined : checkSchemaName(schemaOption);
	const pool = new pg.Pool({
		connectionString: databaseUrl,
		types,
		// A startup option rather than a SET after connect: every pooled connection has it before
		// its first query, with no window for a race. The schema is created by the migration step.
		...(schema ? { options: `-c search_path=${schema}` } : {}),
		// Without a limit an unreachable server hangs start-up and health checks forever.
		connectionTimeoutMillis: 10_000
	});
	// An idle client losing its connection must not crash the process; the pool replaces it.
	pool.on('error', (error) => console.error('[store] idle PostgreSQL connection failed:', error.message));

	return {
		kind: 'postgres',
		query: async <T>(sql: string, params?: readonly unknown[]) => (await pool.query(sql, params ? [...params] : undefined)).rows as T[],
		transaction: async (fn) => {
			const client = await pool.connect();
			const tx: Transaction = {
				query: async <T>(sql: string, params?: readonly unknown[]) => (await client.query(sql, params ? [...params] : undefined)).rows as T[],
				// Without parameters pg uses the simple protocol, which runs multi-statement scripts.
				exec: async (sql: string) => {
					await client.query(sql);
				}
			};
			let broken: Error | undefined;
			try {
				await client.query('BEGIN');
				const result = await fn(tx);
				await client.query('COMMIT');
				return result;
			} catch (error) {
				await client.query('ROLLBACK').catch((rollbackError: Error) => {
					broken = rollbackError;
				});
				throw error;
			} finally {
				// A connection that could not roll back is in an unknown state: drop it, don't reuse it.
				client.release(broken);
			}
		},
		close: async () => {
			if (!pool.ended && !pool.ending) await pool.end();
		}
	};
}
