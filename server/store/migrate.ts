import type { Migration } from '#server/store/migrations/index.ts';
import type { Store } from './types';

export interface AppliedMigration {
	version: number;
	name: string;
}

function checkOrder(migrations: readonly Migration[]): void {
	migrations.forEach((m, i) => {
		if (i > 0 && m.version <= migrations[i - 1].version) {
			throw new Error(`migration ${m.version} (${m.name}) is out of order: versions must increase`);
		}
	});
}

/**
 * Applies the pending migrations in one transaction and records each in schema_migrations.
 * Returns the ones applied now (none when the database is up to date).
 */
export async function migrate(store: Store, migrations: readonly Migration[], schema?: string): Promise<AppliedMigration[]> {
	checkOrder(migrations);
	return store.transaction(async (tx) => {
		// Two processes starting together on one database (or schema) take turns; the loser then
		// finds everything applied. Released at commit or rollback.
		await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`driftbook.migrate:${schema ?? ''}`]);
		if (schema) await tx.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
		await tx.exec(`
			CREATE TABLE IF NOT EXISTS schema_migrations (
				version integer PRIMARY KEY,
				name text NOT NULL,
				applied_at timestamptz NOT NULL DEFAULT now()
			)`);
		const done = new Set((await tx.query<{ version: number }>(`SELECT version FROM schema_migrations`)).map((r) => r.version));
		const known = new Set(migrations.map((m) => m.version));
		const unknown = [...done].filter((v) => !known.has(v));
		if (unknown.length > 0) {
			// The database was migrated by a newer build: running older code on it risks damage.
			throw new Error(`database has migrations ${unknown.join(', ')} that this build does not know; upgrade driftbook`);
		}
		const applied: AppliedMigration[] = [];
		for (const m of migrations) {
			if (done.has(m.version)) continue;
			try {
				await tx.exec(m.sql);
			} catch (error) {
				throw new Error(`migration ${m.version} (${m.name}) failed: ${(error as Error).message}`, { cause: error });
			}
			await tx.query(`INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
			applied.push({ version: m.version, name: m.name });
		}
		return applied;
	});
}
