import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { createApp } from './app';
import { seedBundledNotebooks } from './seed';
import { parseConnectSources, withConnectSources } from '#server/http/csp.js';
import { guardedApi } from '#server/http/guarded-api.ts';
import { nodeListener } from '#server/http/node-http.ts';
import { servingMonitorDeps } from '#server/monitors/evaluate.ts';
import { startMonitorScheduler } from '#server/monitors/scheduler.ts';
import type { Store } from '#server/store/index.ts';
import { openStoreFromEnv } from '#server/store/from-env.ts';
import { Serving } from '#server/serving/service.ts';
import { startDeliveryLoop } from '#server/webhooks/delivery.ts';
import { WebhookSecrets, sealPlainSecrets } from '#server/webhooks/secrets.ts';

export interface Server {
	app: Hono;
	store: Store;
	/** Model serving: routing rules, the prediction log and the metrics (monitors use them). */
	serving: Serving;
	/**
	 * The API as a node:http listener, with the checks the app's `handle` hook makes (Host, cross-site
	 * writes, the Content-Security-Policy's extra connect sources): server/main.js hands it `/api`
	 * requests before SvelteKit, which would add its own request and response conversions and routing.
	 */
	listener: (req: IncomingMessage, res: ServerResponse) => void;
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
 * The key of webhook secrets for this data directory, once secrets stored in plain text by an
 * older version are encrypted with it (before anything sends). Shared by the app and `driftbook serve`.
 */
export async function openWebhookSecrets(store: Store, dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<WebhookSecrets> {
	const secrets = new WebhookSecrets({ dataDir, env });
	const sealed = await sealPlainSecrets(store, secrets);
	if (sealed > 0) console.log(`[webhooks] encrypted ${sealed} secret(s) stored in plain text, with the key from ${secrets.source}`);
	return secrets;
}

/**
 * The server's background work: sending webhook deliveries (queued in the store, so none is lost
 * across a restart) and scheduled monitor evaluations. Shared by the app and `driftbook serve`.
 */
export function startBackgroundWork(store: Store, artifactRoot: string, serving: Serving, secrets: WebhookSecrets): { stop(): void } {
	const deliveries = startDeliveryLoop({ store, secrets });
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
	let secrets: WebhookSecrets;
	try {
		await seedBundledNotebooks(store);
		secrets = await openWebhookSecrets(store, dataDir);
	} catch (error) {
		await store.close().catch(() => {});
		throw error;
	}
	const artifactRoot = join(dataDir, 'artifacts');
	const serving = new Serving({ store, artifactRoot, log: { dir: join(dataDir, 'predictions') } });
	const app = createApp({ store, version: readVersion(), artifactRoot, serving, webhooks: { secrets } });
	const background = startBackgroundWork(store, artifactRoot, serving, secrets);
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
	const api = guardedApi(app);
	const connectSources = parseConnectSources(process.env.DRIFTBOOK_CONNECT_SRC);
	// Without extra connect sources a policy stays as it is, and answers go out without their
	// headers being read (the node adapter then writes a plain header object as it is).
	const listener = nodeListener(
		connectSources.length === 0
			? api
			: async (request, connection) => {
					const response = await api(request, connection);
					const policy = response.headers.get('content-security-policy');
					if (policy) response.headers.set('content-security-policy', withConnectSources(policy, connectSources));
					return response;
				}
	);
	return { app, store, serving, listener };
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
