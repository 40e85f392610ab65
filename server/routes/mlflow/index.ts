import { resolve } from 'node:path';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { MlflowError, type MlflowErrorBody } from '#server/mlflow/errors.ts';
import type { Store } from '#server/store/index.ts';
import { artifactRoutes } from './artifacts';
import { loggedModelRoutes } from './logged-models';
import { registryRoutes } from './registry';
import { trackingRoutes } from './tracking';

export interface MlflowDeps {
	store: Store;
	/** Where artifact files live; default `<DRIFTBOOK_DATA_DIR or ./data>/artifacts`. */
	artifactRoot?: string;
}

export function defaultArtifactRoot(): string {
	return resolve(process.env.DRIFTBOOK_DATA_DIR || 'data', 'artifacts');
}

const body = (error_code: MlflowErrorBody['error_code'], message: string): MlflowErrorBody => ({ error_code, message });

/**
 * MLflow's REST API (the subset the Python client uses for tracking, the registry, MLflow 3
 * logged models and proxied artifacts), so `MLFLOW_TRACKING_URI=http://host:port` works.
 * Mounted at the API root: routes are /2.0/mlflow/… and /2.0/mlflow-artifacts/…. Every answer
 * is JSON in MLflow's shapes, errors as `{error_code, message}`.
 */
export function mlflowRoutes(deps: MlflowDeps): Hono {
	const artifactRoot = deps.artifactRoot ?? defaultArtifactRoot();
	const app = new Hono();
	app.onError((error, c) => {
		if (error instanceof MlflowError) return c.json(error.toJSON(), error.status);
		if (error instanceof HTTPException && error.status < 500) {
			return c.json(body('BAD_REQUEST', error.message || 'bad request'), 400);
		}
		console.error(`[mlflow] ${c.req.method} ${c.req.path} failed:`, error);
		return c.json(body('INTERNAL_ERROR', 'internal server error'), 500);
	});

	app.route('/2.0/mlflow', trackingRoutes(deps));
	app.route('/2.0/mlflow', registryRoutes(deps));
	app.route('/2.0/mlflow', loggedModelRoutes(deps));
	app.route('/2.0/mlflow-artifacts', artifactRoutes({ store: deps.store, artifactRoot }));

	// Anything else under MLflow's prefixes is MLflow's 404 (a non-JSON or differently shaped body
	// would read as a crash to the client). Registered last: the routes above answer first.
	const endpointNotFound = (c: Context) =>
		c.json(body('ENDPOINT_NOT_FOUND', `No API endpoint ${c.req.method} ${new URL(c.req.url).pathname}`), 404);
	app.all('/2.0/mlflow/*', endpointNotFound);
	app.all('/2.0/mlflow-artifacts/*', endpointNotFound);
	app.all('/3.0/mlflow/*', endpointNotFound);
	return app;
}
