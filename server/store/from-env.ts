// The store per the environment, apart from the app (server/context.ts) so that the command line
// opens it without loading the HTTP app.
import { resolve } from 'node:path';
import { openStore, type Store } from './index';

/**
 * The store this deployment uses, per the environment: PostgreSQL when DATABASE_URL is set,
 * else PGlite in DRIFTBOOK_DATA_DIR (default ./data). Shared by the server and the CLI.
 */
export async function openStoreFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<{ store: Store; dataDir: string }> {
	const databaseUrl = env.DATABASE_URL || undefined;
	// Artifact files live under the data directory in PostgreSQL mode too.
	const dataDir = resolve(env.DRIFTBOOK_DATA_DIR || 'data');
	const store = databaseUrl ? await openStore({ databaseUrl }) : await openStore({ dataDir });
	return { store, dataDir };
}
