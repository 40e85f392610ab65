// `driftbook serve`: the API alone (no web pages) on node:http, for headless team servers,
// MLflow clients and tests. Same store rules as the app: DATABASE_URL, else PGlite.
import { join, resolve } from 'node:path';
import { createApp } from '#server/app.ts';
import { openWebhookSecrets, readVersion, startBackgroundWork } from '#server/context.ts';
import { openStoreFromEnv } from '#server/store/from-env.ts';
import { createNodeServer, listen } from '#server/http/node-http.ts';
import { guardedApi } from '#server/http/guarded-api.ts';
import { allowedHosts } from '#server/http/host-check.ts';
import { seedBundledNotebooks } from '#server/seed.ts';
import { Serving } from '#server/serving/service.ts';
import { UsageError, parseOptions } from './command';

export const usage = `usage: driftbook serve [--port N] [--host H] [--data-dir DIR]

Serves the HTTP API (/api/…: notebooks, datasets, sync, registry, the MLflow REST API,
model serving; /metrics for Prometheus) without the web app.

  --port N        port to listen on (default $PORT or 5000; 0 picks a free one)
  --host H        address to bind (default $HOST or 127.0.0.1; 0.0.0.0 for every interface)
  --data-dir DIR  PGlite data and artifact files (default $DRIFTBOOK_DATA_DIR or ./data)

The store is PostgreSQL when DATABASE_URL is set (artifacts and datasets still go to the data
directory), else PGlite in the data directory (one process per directory). Honours
DRIFTBOOK_AUTH=on, DRIFTBOOK_CORS_ORIGINS, DRIFTBOOK_ALLOWED_HOSTS (host names besides
localhost, 127.0.0.1, [::1] and --host that requests may name) and the DRIFTBOOK_MAX_* limits like the app.
Prints "driftbook API listening on http://HOST:PORT" once it accepts requests; SIGTERM or
SIGINT closes it cleanly.`;

export async function run(args: string[]): Promise<number> {
	const { values } = parseOptions(args, { values: ['port', 'host', 'data-dir'] });
	const port = Number(values.port ?? (process.env.PORT || 5000));
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number (0-65535), not "${values.port}"`);
	const host = values.host ?? (process.env.HOST || '127.0.0.1');
	const env = { ...process.env, ...(values['data-dir'] ? { DRIFTBOOK_DATA_DIR: resolve(values['data-dir']) } : {}) };
	const { store, dataDir } = await openStoreFromEnv(env);
	await seedBundledNotebooks(store);
	const secrets = await openWebhookSecrets(store, dataDir, env);
	const artifactRoot = join(dataDir, 'artifacts');
	const serving = new Serving({ store, artifactRoot, log: { dir: join(dataDir, 'predictions') } });
	const app = createApp({ store, version: readVersion(), artifactRoot, serving, webhooks: { secrets } });
	const background = startBackgroundWork(store, artifactRoot, serving, secrets);
	const server = createNodeServer(guardedApi(app, allowedHosts({ ...env, HOST: host })));
	const bound = await listen(server, port, host);
	console.log(`driftbook API listening on http://${host}:${bound} (store: ${store.kind === 'pglite' ? `PGlite in ${dataDir}` : 'PostgreSQL'})`);
	return new Promise<number>((done) => {
		const stop = (signal: string) => {
			console.error(`driftbook: ${signal}, closing`);
			background.stop();
			server.close();
			server.closeIdleConnections();
			// The buffered prediction log is written before the store closes.
			const servingClosed = serving.close().catch((error: Error) => console.error(`driftbook: writing the prediction log failed: ${error.message}`));
			servingClosed
				.then(() => store.close())
				.then(
					() => done(0),
					(error: Error) => {
						console.error(`driftbook: closing the store failed: ${error.message}`);
						done(1);
					}
				);
		};
		process.once('SIGTERM', () => stop('SIGTERM'));
		process.once('SIGINT', () => stop('SIGINT'));
	});
}
