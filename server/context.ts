import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { createApp } from './app';
import { seedBundledNotebooks } from './seed';
import { servingMonitorDeps } from '#server/monitors/evaluate.ts';
import { startMonitorScheduler } from '#server/monitors/scheduler.ts';
import type { Store } from '#server/store/index.ts';
import { openStoreFromEnv } from '#server/store/from-env.ts';
import { Serving } from '#server/serving/service.ts';
import { startDeliveryLoop } from '#server/webhooks/delivery.ts';

export interface Server {
	app: Hono;
	store: Store;
	/** Model serving: routing rules, the prediction log and the metrics (monitors use them). */
	serving: Serving;
}

// Process-wide, on globalThis: the dev server re-evaluates modules, and a second store on the
// same PGlite directory (or a second pool) per reload would leak.
const SERVER = Symbol.for('driftbook.server');
type GlobalWithServer = typeof globalThis & { [SERVER]?: Promise<Server> };

export function readVersion(): string {
	const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version?: string };
	return pkg.version ?? '0.0.0';
}

/**
 * The server's background work: sending webhook deliveries (queued in the store, so none is lost
 * across a restart) and scheduled monitor evaluations. Shared by the app and `driftbook serve`.
 */
export function startBackgroundWork(store: Store, artifactRoot: string, serving: Serving): { stop(): void } {
	const deliveries = startDeliveryLoop({ store });
	const monitors = startMonitorScheduler({ store, artifactRoot, ...servingMonitorDeps(serving) });
	return {
		stop() {
			deliveries.stop();
			monitors.stop();
		}
	};
}

async function start(): Promise<Server> {
	const { store, dataDir } = await openStoreFromEnv();
	try {
		await seedBundledNotebooks(store);
	} catch (error) {
		await store.close().catch(() => {});
		throw error;
	}
	const artifactRoot = join(dataDir, 'artifacts');
	const serving = new Serving({ store, artifactRoot, log: { dir: join(dataDir, 'predictions') } });
	const app = createApp({ store, version: readVersion(), artifactRoot, serving });
	const background = startBackgroundWork(store, artifactRoot, serving);
	// adapter-node emits this on SIGINT/SIGTERM once requests have drained.
	process.once('sveltekit:shutdown', () => {
		background.stop();
		delete (globalThis as GlobalWithServer)[SERVER];
		// The buffered prediction log is written before the store goes.
		serving
			.close()
			.catch((error: Error) => console.error('[serving] close failed:', error.message))
			.finally(() => store.close().catch((error: Error) => console.error('[store] close failed:', error.message)));
	});
	return { app, store, serving };
}

/** The API app and its store, opened (migrated, seeded) on first call and shared by the process. */
export function getServer(): Promise<Server> {
	const g = globalThis as GlobalWithServer;
	if (!g[SERVER]) {
		const starting = start();
		g[SERVER] = starting;
		// A failed start is not cached: the next request tries again (and reports again).
		starting.catch(() => {
			if (g[SERVER] === starting) delete g[SERVER];
		});
	}
	return g[SERVER];
}
