import type { RequestHandler } from '@sveltejs/kit';
import { getServer } from './context';
import { fromAjaxApi } from '#server/http/ajax-api.ts';

// Every /api/* request (and /ajax-api/2.0/mlflow/…, MLflow's UI path for the same API) goes to
// the one Hono app, so dev, build and tests share one router. The client's address keys the rate
// limit on failed token checks.
const forward: RequestHandler = async ({ request, getClientAddress }) => (await getServer()).app.fetch(fromAjaxApi(request), { clientIp: getClientAddress() });

/** The handlers of the SvelteKit routes src/routes/api/[...path] and src/routes/ajax-api/[...path]. */
export const apiRoute = { GET: forward, POST: forward, PUT: forward, PATCH: forward, DELETE: forward, HEAD: forward, OPTIONS: forward };
