import { resolve } from 'node:path';
import { migrate } from './migrate';
import { migrations } from '#server/store/migrations/index.ts';
import { openPglite } from './pglite';
import { openPostgres } from './postgres';
import type { Store, StoreOptions } from './types';

export type { Queryable, Store, StoreKind, StoreOptions, Transaction } from './types';

/**
 * Opens the store and brings its schema up to date: PostgreSQL when `databaseUrl` is given,
 * otherwise the embedded PGlite in `dataDir`. Fails (and closes what it opened) if a migration fails.
 */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
	const store = options.databaseUrl
		? await openPostgres(options.databaseUrl, options.schema)
		: await openPglite(options.dataDir ?? resolve('data'), options.schema);
	try {
		await migrate(store, migrations, options.schema);
	} catch (error) {
		await store.close().catch(() => {});
		throw error;
	}
	return store;
}
