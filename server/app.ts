import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { authEnabled, authMiddleware } from './auth/middleware';
import { tokenRoutes } from './auth/routes';
import { ApiError, errorBody } from './errors';
import { datasetRoutes } from './routes/datasets';
import { healthRoutes } from './routes/health';
import { defaultArtifactRoot, mlflowRoutes } from './routes/mlflow';
import { notebookRoutes } from './routes/notebooks';
import { registryRoutes } from './routes/registry';
import { syncRoutes } from './routes/sync';
import { idempotencyMiddleware } from './idempotency';
import type { Store } from './store';

export interface AppDeps {
	store: Store;
	/** package.json version, reported by /api/health. */
	version: string;
	/** MLflow artifact files (content-addressed); default `<DRIFTBOOK_DATA_DIR or ./data>/artifacts`. */
	artifactRoot?: string;
	/** Largest dataset upload in bytes; default DRIFTBOOK_MAX_DATASET_BYTES or 1 GiB. */
	maxDatasetBytes?: number;
	/** Team mode: every request but /api/health needs a bearer token. Default: DRIFTBOOK_AUTH=on. */
	auth?: boolean;
}

/** The API: every route under /api, and every answer JSON, errors included. */
export function createApp(deps: AppDeps): Hono {
	const artifactRoot = deps.artifactRoot ?? defaultArtifactRoot();
	const app = new Hono().basePath('/api');
	app.use('*', authMiddleware({ store: deps.store, enabled: deps.auth ?? authEnabled() }));
	app.use('*', idempotencyMiddleware(deps.store));
	app.route('/health', healthRoutes(deps));
	app.route('/notebooks', notebookRoutes(deps));
	app.route('/registry', registryRoutes(deps));
	app.route('/tokens', tokenRoutes(deps));
	app.route('/sync', syncRoutes({ store: deps.store, artifactRoot }));
	app.route('/datasets', datasetRoutes({ store: deps.store, artifactRoot, maxBytes: deps.maxDatasetBytes }));
	app.route('/', mlflowRoutes({ ...deps, artifactRoot })); // MLflow REST API: /api/2.0/mlflow/…, /api/2.0/mlflow-artifacts/…

	app.notFound((c) => c.json(errorBody('not_found', `no API route ${c.req.method} ${c.req.path}`), 404));
	app.onError((error, c) => {
		if (error instanceof ApiError) return c.json(errorBody(error.code, error.message), error.status);
		if (error instanceof HTTPException) {
			// Hono's own (e.g. a malformed JSON body): keep its status, but answer in our shape.
			return c.json(errorBody('http_error', error.message || 'request failed'), error.status);
		}
		console.error(`[api] ${c.req.method} ${c.req.path} failed:`, error);
		return c.json(errorBody('internal', 'internal server error'), 500);
	});
	return app;
}
