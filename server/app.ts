import { resolve } from 'node:path';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { authEnabled, authMiddleware, type PrincipalResolver } from '#server/auth/middleware.ts';
import type { RateLimitOptions } from '#server/auth/rate-limit.ts';
import { defaultBlobRoot, removeStaleParts } from '#server/blobs/content-addressed.ts';
import { datasetRoutes } from '#server/datasets/routes.ts';
import { healthRoutes } from '#server/health/routes.ts';
import { corsFromEnv, corsMiddleware, type CorsConfig } from '#server/http/cors.ts';
import { ApiError, errorBody } from '#server/http/errors.ts';
import { idempotencyMiddleware } from '#server/http/idempotency.ts';
import { MAX_JSON_BODY_BYTES } from '#server/http/json-body.ts';
import { urlRefusal } from '#server/http/text-check.ts';
import { lineageRoutes } from '#server/lineage/routes.ts';
import { servingMonitorDeps } from '#server/monitors/evaluate.ts';
import { monitorRoutes } from '#server/monitors/routes.ts';
import { mlflowApi } from '#server/mlflow/api.ts';
import { aliasRoutes } from '#server/model-registry/alias-routes.ts';
import { modelRegistryRoutes } from '#server/model-registry/mlflow-routes.ts';
import { notebookRoutes } from '#server/notebooks/routes.ts';
import { reviewAllows } from '#server/reviews/access.ts';
import { predictionsView } from '#server/serving/prediction-log.ts';
import { metricsRoutes, servingRoutes } from '#server/serving/routes.ts';
import { Serving } from '#server/serving/service.ts';
import { commentRoutes, notebookReviewRoutes, reviewLinkRoutes } from '#server/reviews/routes.ts';
import { authenticateReview } from '#server/reviews/service.ts';
import type { Store } from '#server/store/index.ts';
import { syncRoutes } from '#server/sync/routes.ts';
import { tokenRoutes } from '#server/tokens/routes.ts';
import { authenticate } from '#server/tokens/service.ts';
import { artifactRoutes } from '#server/tracking/artifact-routes.ts';
import { loggedModelRoutes } from '#server/tracking/logged-model-routes.ts';
import { trackingRoutes } from '#server/tracking/routes.ts';
import type { Clock, DeliveryPolicy } from '#server/webhooks/delivery.ts';
import { deliveryLogRoutes, webhookRoutes } from '#server/webhooks/routes.ts';
import { WebhookSecrets } from '#server/webhooks/secrets.ts';

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
	/**
	 * Model serving (sessions, routing rules, prediction log, metrics); the caller closes it. Default:
	 * one over this store, logging to `<DRIFTBOOK_DATA_DIR or ./data>/predictions`.
	 */
	serving?: Serving;
	/** The clock of monitor evaluations and webhook deliveries (tests move it by hand); default the system's. */
	clock?: Clock;
	/**
	 * Webhook URL schemes allowed (default DRIFTBOOK_WEBHOOK_ALLOWED_SCHEMES or https), the test
	 * button's timeout, and the key of their secrets (default DRIFTBOOK_SECRET_KEY or
	 * `<DRIFTBOOK_DATA_DIR or ./data>/secret.key`).
	 */
	webhooks?: { allowedSchemes?: string[]; policy?: Partial<DeliveryPolicy>; secrets?: WebhookSecrets };
}

// Where a request body may be larger than a JSON body: raw uploads, with their own limits.
const UPLOADS = [
	{ method: 'POST', path: /^\/api\/datasets\/?$/ },
	{ method: 'PUT', path: /^\/api\/2\.0\/mlflow-artifacts\/artifacts\// }
];
const MLFLOW_PATH = /^\/api\/[23]\.0\/mlflow/;

/** The API: every route under /api, and every answer JSON, errors included. */
export function createApp(deps: AppDeps): Hono {
	const artifactRoot = deps.artifactRoot ?? defaultBlobRoot();
	// Uploads killed mid-stream by an earlier process left their temporary files behind.
	removeStaleParts(artifactRoot).catch((error: Error) => console.error(`[blobs] removing stale uploads failed: ${error.message}`));
	const serving =
		deps.serving ?? new Serving({ store: deps.store, artifactRoot, log: { dir: resolve(process.env.DRIFTBOOK_DATA_DIR || 'data', 'predictions') } });
	const app = new Hono().basePath('/api');
	app.use('*', corsMiddleware(deps.cors ?? corsFromEnv()));
	app.use('*', async (c, next) => {
		// Refused before anything reads it; routes reading JSON also count while streaming (http/json-body.ts).
		const declared = Number(c.req.header('content-length'));
		if (!(declared > MAX_JSON_BODY_BYTES) || UPLOADS.some((u) => u.method === c.req.method && u.path.test(c.req.path))) return next();
		const message = `the request body (${declared} bytes) is larger than the limit of ${MAX_JSON_BODY_BYTES} bytes for JSON`;
		return c.json(MLFLOW_PATH.test(c.req.path) ? { error_code: 'BAD_REQUEST', message } : errorBody('too_large', message), 413);
	});
	app.use('*', async (c, next) => {
		// Before auth: the URL as sent must decode and be storable (NUL, lone surrogates: text-check.ts).
		// A URL is percent-encoded past printable ASCII, so only one with a `%` can hold either.
		const refusal = c.req.url.includes('%') ? urlRefusal(new URL(c.req.url)) : undefined;
		if (!refusal) return next();
		return c.json(MLFLOW_PATH.test(c.req.path) ? { error_code: 'INVALID_PARAMETER_VALUE', message: refusal } : errorBody('invalid_request', refusal), 400);
	});
	app.use('*', authMiddleware({ resolver: principalResolver(deps.store), enabled: deps.auth ?? authEnabled(), rateLimit: deps.rateLimit }));
	app.use('*', idempotencyMiddleware(deps.store));
	app.route('/health', healthRoutes(deps));
	app.route('/notebooks', notebookRoutes(deps));
	app.route('/notebooks', notebookReviewRoutes(deps));
	app.route('/review-links', reviewLinkRoutes(deps));
	app.route('/comments', commentRoutes(deps));
	app.route('/registry', lineageRoutes(deps));
	app.route('/registry', aliasRoutes(deps));
	app.route('/tokens', tokenRoutes(deps));
	app.route('/sync', syncRoutes({ store: deps.store, artifactRoot }));
	app.route('/datasets', datasetRoutes({ store: deps.store, artifactRoot, maxBytes: deps.maxDatasetBytes, views: [predictionsView(serving.log)] }));
	app.route('/serve', servingRoutes(serving));
	app.route('/metrics', metricsRoutes(serving));
	app.route('/monitors', monitorRoutes({ store: deps.store, artifactRoot, clock: deps.clock, ...servingMonitorDeps(serving) }));
	app.route('/webhooks', deliveryLogRoutes(deps));
	app.route(
		'/',
		mlflowApi([
			['/2.0/mlflow', trackingRoutes(deps)],
			['/2.0/mlflow', modelRegistryRoutes(deps)],
			['/2.0/mlflow', loggedModelRoutes(deps)],
			[
				'/2.0/mlflow',
				webhookRoutes({
					store: deps.store,
					clock: deps.clock,
					...deps.webhooks,
					secrets: deps.webhooks?.secrets ?? new WebhookSecrets({ dataDir: process.env.DRIFTBOOK_DATA_DIR || 'data' })
				})
			],
			['/2.0/mlflow-artifacts', artifactRoutes({ store: deps.store, artifactRoot })]
		])
	); // MLflow REST API: /api/2.0/mlflow/…, /api/2.0/mlflow-artifacts/…

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

/** Tokens and review links, checked against the store, for the auth middleware. */
function principalResolver(store: Store): PrincipalResolver {
	return {
		apiToken: (token) => authenticate(store, token),
		reviewToken: (token) => authenticateReview(store, token),
		reviewAllows: (review, method, path) => reviewAllows(store, review, method, path)
	};
}
