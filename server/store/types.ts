/** The store's contract: one PostgreSQL dialect, whether embedded (PGlite) or a server (pg). */

export type StoreKind = 'pglite' | 'postgres';

/** Anything that runs one parameterised statement and hands back its rows. */
export interface Queryable {
	query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface Transaction extends Queryable {
	/** Runs a script of several statements, without parameters (migrations). */
	exec(sql: string): Promise<void>;
}

export interface Store extends Queryable {
	readonly kind: StoreKind;
	/** Every write goes through here: commits when `fn` resolves, rolls back when it throws. */
	transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
	close(): Promise<void>;
}

export interface StoreOptions {
	/** PGlite data directory (created if missing); used when no `databaseUrl`. Default `<cwd>/data`. */
	dataDir?: string;
	/** `postgres://…`: use a PostgreSQL server instead of the embedded PGlite. */
	databaseUrl?: string;
	/** Keep every table in this schema (created if missing); tests use a fresh one per run. */
	schema?: string;
}
