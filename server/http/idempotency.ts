import type { MiddlewareHandler } from 'hono';
import { currentPrincipal } from '#server/auth/principal.ts';
import { errorBody } from './errors';
import type { Store } from '#server/store/index.ts';

/**
 * The `Idempotency-Key` header on any API write (POST, PUT, PATCH, DELETE): the first request
 * with a key runs and its answer is stored; a repeat with the same method and path gets that
 * answer back (`Idempotent-Replayed: true`) without running again. Guarantees, honestly:
 *
 * - While the first request runs, a repeat (from any process sharing the store) gets 409
 *   `idempotency_in_progress` with Retry-After, never a second execution.
 * - The answer is stored after the route's own transaction commits. If the server dies between
 *   the two, the key's reservation expires after RESERVATION_TTL_MS and a retry runs again:
 *   at-least-once for that window. POST /api/sync/runs keeps its key inside its own
 *   transaction and is exactly-once even then.
 * - Stored: answers below 500 except 401, 403, 408 and 429 (they say nothing about the write);
 *   bodies up to 1 MB. Others release the key, so a retry runs again. Keys live 24 hours.
 */

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY = /^[\x21-\x7e]{1,255}$/;
const RESERVATION_TTL_MS = 5 * 60_000;
const KEEP_HOURS = 24;
const MAX_STORED_BODY = 1024 * 1024;
const NOT_STORED = new Set([401, 403, 408, 429]);

interface StoredRow {
	method: string;
	path: string;
	status: number | null;
	content_type: string | null;
	body: string | null;
	age_ms: number;
}

export function idempotencyMiddleware(store: Store): MiddlewareHandler {
	let lastSweep = 0;
	return async (c, next) => {
		const key = c.req.header('idempotency-key');
		if (key === undefined || !WRITES.has(c.req.method)) return next();
		if (!KEY.test(key)) {
			return c.json(errorBody('invalid_request', 'invalid Idempotency-Key header: expected 1 to 255 printable ASCII characters without spaces'), 400);
		}
		const principal = currentPrincipal();
		const scope = principal.tokenId ?? principal.name;
		const method = c.req.method;
		const path = c.req.path;

		const [reserved] = await store.query<{ key: string }>(
			`INSERT INTO idempotent_requests (scope, key, method, path) VALUES ($1, $2, $3, $4) ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
			[scope, key, method, path]
		);
		if (!reserved) {
			const [row] = await store.query<StoredRow>(
				`SELECT method, path, status, content_type, body, (extract(epoch FROM now() - created_at) * 1000)::float8 AS age_ms
				 FROM idempotent_requests WHERE scope = $1 AND key = $2`,
				[scope, key]
			);
			if (!row) return c.json(errorBody('idempotency_in_progress', 'a request with this Idempotency-Key just finished; retry'), 409, { 'Retry-After': '1' });
			if (row.method !== method || row.path !== path) {
				return c.json(
					errorBody('idempotency_key_reused', `Idempotency-Key ${key} was used for ${row.method} ${row.path}, not ${method} ${path}; use a new key`),
					422
				);
			}
			if (row.status !== null) {
				return new Response(row.body, {
					status: row.status,
					headers: { ...(row.content_type ? { 'Content-Type': row.content_type } : {}), 'Idempotent-Replayed': 'true' }
				});
			}
			// Still running, or its server died: a stale reservation is taken over, once.
			const takenOver =
				Number(row.age_ms) > RESERVATION_TTL_MS &&
				(
					await store.query(
						`UPDATE idempotent_requests SET created_at = now() WHERE scope = $1 AND key = $2 AND status IS NULL
						 AND created_at < now() - make_interval(secs => $3::float8 / 1000) RETURNING key`,
						[scope, key, RESERVATION_TTL_MS]
					)
				).length > 0;
			if (!takenOver) {
				return c.json(errorBody('idempotency_in_progress', `a request with Idempotency-Key ${key} is still running; retry later`), 409, {
					'Retry-After': '1'
				});
			}
		}

		let stored = false;
		try {
			await next();
			const res = c.res;
			const length = Number(res.headers.get('content-length') ?? 0);
			if (res.status < 500 && !NOT_STORED.has(res.status) && length <= MAX_STORED_BODY && !res.headers.has('content-range')) {
				const body = await res.clone().text();
				if (Buffer.byteLength(body) <= MAX_STORED_BODY) {
					await store.query(`UPDATE idempotent_requests SET status = $3, content_type = $4, body = $5 WHERE scope = $1 AND key = $2`, [
						scope,
						key,
						res.status,
						res.headers.get('content-type'),
						body
					]);
					stored = true;
				}
			}
		} finally {
			if (!stored) await store.query(`DELETE FROM idempotent_requests WHERE scope = $1 AND key = $2 AND status IS NULL`, [scope, key]).catch(() => {});
		}
		if (Date.now() - lastSweep > 3_600_000) {
			lastSweep = Date.now();
			await store.query(`DELETE FROM idempotent_requests WHERE created_at < now() - make_interval(hours => $1)`, [KEEP_HOURS]).catch(() => {});
		}
	};
}
