import type { MiddlewareHandler } from 'hono';

/**
 * CORS for other origins' pages calling this API (DRIFTBOOK_CORS_ORIGINS, comma-separated).
 * A listed origin may do everything its credentials allow; `*` in the list lets any origin
 * read (GET, HEAD) but never write. Disallowed origins get no CORS headers at all, so the
 * browser keeps the answer from them. Writes from other sites are refused separately
 * (origin-check.ts), with the same list.
 */

export interface CorsConfig {
	origins: ReadonlySet<string>;
	anyOriginMayRead: boolean;
}

export function corsFromEnv(env: string | undefined = process.env.DRIFTBOOK_CORS_ORIGINS): CorsConfig {
	const list = (env ?? '')
		.split(',')
		.map((o) => o.trim().replace(/\/+$/, ''))
		.filter(Boolean);
	return { origins: new Set(list.filter((o) => o !== '*')), anyOriginMayRead: list.includes('*') };
}

const ALL_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
const READ_METHODS = new Set(['GET', 'HEAD']);
const CORS_ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key, Range, If-None-Match, If-Range, X-Request-Id, X-Routing-Key';
const EXPOSED_HEADERS =
	'ETag, Content-Length, Content-Range, Content-Disposition, Accept-Ranges, Retry-After, Idempotent-Replayed, WWW-Authenticate, X-Request-Id, X-Driftbook-Model-Version, X-Driftbook-Route';

/** The Access-Control-Allow-Origin value for this origin and method, or undefined: no CORS. */
function allowOrigin(config: CorsConfig, origin: string, method: string): string | undefined {
	if (config.origins.has(origin)) return origin;
	if (config.anyOriginMayRead && READ_METHODS.has(method)) return '*';
	return undefined;
}

export function corsMiddleware(config: CorsConfig = corsFromEnv()): MiddlewareHandler {
	return async (c, next) => {
		const origin = c.req.header('origin');
		if (origin === undefined) return next();
		const requested = c.req.header('access-control-request-method');
		if (c.req.method === 'OPTIONS' && requested !== undefined) {
			// A preflight: answered here, before authentication (browsers send no credentials with it).
			const allowed = allowOrigin(config, origin, requested.toUpperCase());
			const headers: Record<string, string> = { Vary: 'Origin' };
			if (allowed) {
				headers['Access-Control-Allow-Origin'] = allowed;
				headers['Access-Control-Allow-Methods'] = config.origins.has(origin) ? ALL_METHODS : 'GET, HEAD';
				headers['Access-Control-Allow-Headers'] = CORS_ALLOWED_HEADERS;
				headers['Access-Control-Max-Age'] = '600';
			}
			return c.body(null, 204, headers);
		}
		await next();
		c.res.headers.append('Vary', 'Origin');
		const allowed = allowOrigin(config, origin, c.req.method);
		if (allowed) {
			c.res.headers.set('Access-Control-Allow-Origin', allowed);
			c.res.headers.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
		}
	};
}
