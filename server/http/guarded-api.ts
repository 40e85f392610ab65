import type { Hono } from 'hono';
import { fromAjaxApi } from './ajax-api';
import { allowedHosts, misdirectedRefusal, misdirectedResponse } from './host-check';
import type { FetchHandler } from './node-http';
import { allowedOrigins, crossSiteWriteRefusal } from './origin-check';

/**
 * The API as every request reaches it, outside SvelteKit too (`driftbook serve`, and the app's
 * `/api` requests that server/main.js hands over before SvelteKit): a Host it does not answer to
 * is refused (421, DNS rebinding), a write from another site too (403), and MLflow UI paths
 * (`/ajax-api/2.0/mlflow…`, `/metrics`) become the API's own. Hosts and origins are read once.
 */
export function guardedApi(app: Hono, hosts: Set<string> | 'any' = allowedHosts(), origins: ReadonlySet<string> = allowedOrigins()): FetchHandler {
	return (request, connection) => {
		const misdirected = misdirectedRefusal(request, hosts);
		if (misdirected) return misdirectedResponse(misdirected);
		const refusal = crossSiteWriteRefusal(request, origins);
		if (refusal) return Response.json({ error: { code: 'forbidden', message: refusal } }, { status: 403 });
		return app.fetch(fromAjaxApi(request), connection);
	};
}
