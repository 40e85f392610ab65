/**
 * MLflow's own web UI, and some clients, call the tracking API under `/ajax-api/2.0/mlflow/…`
 * (and `/ajax-api/2.0/mlflow-artifacts/…`); it is the same API as `/api/2.0/…`. Prometheus
 * scrapes `/metrics`, which is `/api/metrics`.
 */
const AJAX_API = /^\/ajax-api(?=\/2\.0\/mlflow(-artifacts)?(\/|$))/;
const METRICS = /^(?=\/metrics$)/;

/** The request with its `/ajax-api/2.0/mlflow…` path moved to `/api/2.0/mlflow…` (and `/metrics` to `/api/metrics`); other requests as they are. */
export function fromAjaxApi(request: Request): Request {
	const url = new URL(request.url);
	const prefix = [AJAX_API, METRICS].find((p) => p.test(url.pathname));
	if (!prefix) return request;
	url.pathname = url.pathname.replace(prefix, '/api');
	return new Request(url, {
		method: request.method,
		headers: request.headers,
		body: request.body,
		signal: request.signal,
		duplex: 'half'
	} as RequestInit);
}
