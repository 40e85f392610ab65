import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { authEnabled, authMiddleware } from '#server/auth/middleware.ts';
import type { RateLimitOptions } from '#server/auth/rate-limit.ts';
import { tokenRoutes } from '#server/auth/routes.ts';
import { corsFromEnv, corsMiddleware, type CorsConfig } from './cors';
import { ApiError, errorBody } from './errors';
import { MAX_JSON_BODY_BYTES } from './json-body';
import { datasetRoutes } from '#server/routes/datasets.ts';
import { healthRoutes } from '#server/routes/health.ts';
import { defaultArtifactRoot, mlflowRoutes } from '#server/routes/mlflow/index.ts';
import { notebookRoutes } from '#server/routes/notebooks.ts';
import { registryRoutes } from '#server/routes/registry.ts';
import { syncRoutes } from '#server/routes/sync.ts';
import { commentRoutes, notebookReviewRoutes, reviewLinkRoutes } from '#server/routes/reviews.ts';
import { idempotencyMiddleware } from './idempotency';
import type { Store } from '#server/store/index.ts';

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
	/** Failed token checks allowed per client and window; default from DRIFTBOOK_AUTH_MAX_FAILURES / _WINDOW_S. */
	rateLimit?: RateLimitOptions;
	/** Other origins allowed to call the API; default from DRIFTBOOK_CORS_ORIGINS. */
	cors?: CorsConfig;
}

// Where a request body may be larger than a JSON body: raw uploads, with their own limits.
const UPLOADS = [
	{ method: 'POST', path: /^\/api\/datasets\/?$/ },
	{ method: 'PUT', path: /^\/api\/2\.0\/mlflow-artifacts\/artifacts\// }
];
const MLFLOW_PATH = /^\/api\/[23]\.0\/mlflow/;

/** The API: every route under /api, and every answer JSON, errors included. */
export function createApp(deps: AppDeps): Hono {
	const artifactRoot = deps.artifactRoot ?? defaultArtifactRoot();
	const app = new Hono().basePath('/api');
	app.use('*', corsMiddleware(deps.cors ?? corsFromEnv()));
	app.use('*', async (c, next) => {
		// Refused before anything reads it; routes reading JSON also count while streaming (json-body.ts).
		const declared = Number(c.req.header('content-length'));
		if (!(declared > MAX_JSON_BODY_BYTES) || UPLOADS.some((u) => u.method === c.req.method && u.path.test(c.req.path))) return next();
		const message = `the request body (${declared} bytes) is larger than the limit of ${MAX_JSON_BODY_BYTES} bytes for JSON`;
		return c.json(MLFLOW_PATH.test(c.req.path) ? { error_code: 'BAD_REQUEST', message } : errorBody('too_large', message), 413);
	});
	app.use('*', authMiddleware({ store: deps.store, enabled: deps.auth ?? authEnabled(), rateLimit: deps.rateLimit }));
	app.use('*', idempotencyMiddleware(deps.store));
	app.route('/health', healthRoutes(deps));
	app.route('/notebooks', notebookRoutes(deps));
	app.route('/notebooks', notebookReviewRoutes(deps));
	app.route('/review-links', reviewLinkRoutes(deps));
	app.route('/comments', commentRoutes(deps));
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
