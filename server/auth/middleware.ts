import type { MiddlewareHandler } from 'hono';
import type { Store } from '../store';
import { LOCAL, roleAllows, runAs, type Role } from './principal';
import { authenticate } from './tokens';

/** Team mode is on when DRIFTBOOK_AUTH=on. */
export function authEnabled(env: string | undefined = process.env.DRIFTBOOK_AUTH): boolean {
	return env?.trim().toLowerCase() === 'on';
}

const MLFLOW = /^\/api\/[23]\.0\/mlflow(-artifacts)?(\/|$)/;
// MLflow calls that read with POST (search bodies): a read token may make them.
const MLFLOW_POST_READS = /\/(search|get-latest-versions|get-history-bulk-interval)$/;

/** The role a request needs. */
export function requiredRole(method: string, path: string): Role {
	if (/^\/api\/tokens(\/|$)/.test(path)) return 'admin';
	if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return 'read';
	if (method === 'POST' && MLFLOW.test(path) && MLFLOW_POST_READS.test(path)) return 'read';
	return 'write';
}

function refusal(path: string, status: 401 | 403, message: string) {
	const body = MLFLOW.test(path)
		? { error_code: status === 401 ? 'UNAUTHENTICATED' : 'PERMISSION_DENIED', message }
		: { error: { code: status === 401 ? 'unauthenticated' : 'permission_denied', message } };
	return { body, status };
}

/**
 * Every /api request runs as a principal. Local mode: 'local', allowed everything. Team mode:
 * `Authorization: Bearer <token>` is required (except /api/health), and its role must suffice.
 */
export function authMiddleware({ store, enabled }: { store: Store; enabled: boolean }): MiddlewareHandler {
	return async (c, next) => {
		const path = c.req.path;
		if (!enabled || path === '/api/health' || path.startsWith('/api/health/')) return runAs(LOCAL, next);
		const header = c.req.header('authorization') ?? '';
		const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
		const principal = m ? await authenticate(store, m[1]) : undefined;
		if (!principal) {
			const r = refusal(path, 401, m ? 'invalid or revoked API token' : 'this API needs an API token: Authorization: Bearer <token>');
			c.header('WWW-Authenticate', 'Bearer realm="driftbook"');
			return c.json(r.body, r.status);
		}
		const need = requiredRole(c.req.method, path);
		if (!roleAllows(principal.role, need)) {
			const r = refusal(path, 403, `token ${principal.name} has role ${principal.role}; ${c.req.method} ${path} needs ${need}`);
			return c.json(r.body, r.status);
		}
		return runAs(principal, next);
	};
}
