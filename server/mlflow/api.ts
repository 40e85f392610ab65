import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { MlflowError, type MlflowErrorBody } from './errors';

const body = (error_code: MlflowErrorBody['error_code'], message: string): MlflowErrorBody => ({ error_code, message });

/**
 * MLflow's REST API (the subset the Python client uses for tracking, the registry, MLflow 3
 * logged models and proxied artifacts), so `MLFLOW_TRACKING_URI=http://host:port` works.
 * Mounted at the API root, `mounts` being the domains' routes under MLflow's prefixes
 * (/2.0/mlflow, /2.0/mlflow-artifacts). Every answer is JSON in MLflow's shapes, errors as
 * `{error_code, message}`.
 */
export function mlflowApi(mounts: readonly (readonly [prefix: string, routes: Hono])[]): Hono {
	const app = new Hono();
	app.onError((error, c) => {
		if (error instanceof MlflowError) return c.json(error.toJSON(), error.status);
		if (error instanceof HTTPException && error.status < 500) {
			return c.json(body('BAD_REQUEST', error.message || 'bad request'), 400);
		}
		console.error(`[mlflow] ${c.req.method} ${c.req.path} failed:`, error);
		return c.json(body('INTERNAL_ERROR', 'internal server error'), 500);
	});

	for (const [prefix, routes] of mounts) app.route(prefix, routes);

	// Anything else under MLflow's prefixes is MLflow's 404 (a non-JSON or differently shaped body
	// would read as a crash to the client). Registered last: the routes above answer first.
	const endpointNotFound = (c: Context) => c.json(body('ENDPOINT_NOT_FOUND', `No API endpoint ${c.req.method} ${new URL(c.req.url).pathname}`), 404);
	app.all('/2.0/mlflow/*', endpointNotFound);
	app.all('/2.0/mlflow-artifacts/*', endpointNotFound);
	app.all('/3.0/mlflow/*', endpointNotFound);
	return app;
}
