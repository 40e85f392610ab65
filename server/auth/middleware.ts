import type { Context, MiddlewareHandler } from 'hono';
import { REVIEW_TOKEN_PREFIX } from '#lib/contracts/reviews.ts';
import { LOCAL, roleAllows, runAs, type Principal } from './principal';
import { FailureLimiter, rateLimitFromEnv, type RateLimitOptions } from './rate-limit';
import type { Role } from '#lib/contracts/tokens.ts';

/** Team mode is on when DRIFTBOOK_AUTH=on. */
export function authEnabled(env: string | undefined = process.env.DRIFTBOOK_AUTH): boolean {
	return env?.trim().toLowerCase() === 'on';
}

const MLFLOW = /^\/api\/[23]\.0\/mlflow(-artifacts)?(\/|$)/;
// MLflow calls that read with POST (search bodies): a read token may make them.
const MLFLOW_POST_READS = /\/(search|get-latest-versions|get-history-bulk-interval)$/;
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Scoring reads a model (its log is the server's record, not the caller's write): a read token may score.
const SCORING = /^\/api\/serve\/models\/[^/]+(\/[^/]+)?\/invocations$/;

/** The role a request needs. */
export function requiredRole(method: string, path: string): Role {
	if (/^\/api\/tokens(\/|$)/.test(path)) return 'admin';
	if (READS.has(method)) return 'read';
	if (method === 'POST' && MLFLOW.test(path) && MLFLOW_POST_READS.test(path)) return 'read';
	if (method === 'POST' && SCORING.test(path)) return 'read';
	return 'write';
}

type Refusal = 401 | 403 | 429;
const CODES: Record<Refusal, [string, string]> = {
	401: ['unauthenticated', 'UNAUTHENTICATED'],
	403: ['permission_denied', 'PERMISSION_DENIED'],
	429: ['rate_limited', 'REQUEST_LIMIT_EXCEEDED']
};

function refuse(c: Context, status: Refusal, message: string): Response {
	const [code, mlflowCode] = CODES[status];
	const body = MLFLOW.test(c.req.path) ? { error_code: mlflowCode, message } : { error: { code, message } };
	return c.json(body, status);
}

/**
 * Who presents a token, and what a review link may reach: given by the app's composition, so
 * that auth knows no domain (tokens, reviews, notebooks).
 */
export interface PrincipalResolver {
	/** The principal an API token stands for, or undefined (unknown, revoked, malformed). */
	apiToken(token: string): Promise<Principal | undefined>;
	/** The principal a review link's token stands for, or undefined (unknown, expired). */
	reviewToken(token: string): Promise<Principal | undefined>;
	/** Whether a review link's principal may make this request. */
	reviewAllows(review: NonNullable<Principal['review']>, method: string, path: string): Promise<boolean>;
}

/**
 * Every /api request runs as a principal. Local mode: 'local', allowed everything. Team mode:
 * `Authorization: Bearer <token>` is required (except /api/health), and its role must suffice.
 * In both, a review link's token (Bearer, or `?review=` on a GET) confines the request to its
 * notebook. Failed token checks are rate limited per client address; valid tokens always pass.
 */
export function authMiddleware({
	resolver,
	enabled,
	rateLimit
}: {
	resolver: PrincipalResolver;
	enabled: boolean;
	rateLimit?: RateLimitOptions;
}): MiddlewareHandler {
	const limiter = new FailureLimiter(rateLimit ?? rateLimitFromEnv());
	return async (c, next) => {
		const path = c.req.path;
		const header = c.req.header('authorization');
		const bearer = header === undefined ? undefined : (/^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? null);
		const queryReview = bearer === undefined && READS.has(c.req.method) ? c.req.query('review') : undefined;
		const review = bearer?.startsWith(REVIEW_TOKEN_PREFIX) ? bearer : queryReview;
		const presented = review ?? (enabled ? bearer : undefined);

		let principal: Principal | undefined;
		if (presented) {
			// A presented token is always checked: a valid one is never refused by the limiter,
			// which only turns further failures from the same client address into 429s. (Not
			// keyed on the token's text: a guesser chooses that, and could lock out its owner.)
			principal = review ? await resolver.reviewToken(review) : await resolver.apiToken(presented);
			if (!principal) {
				const env = c.env as { clientIp?: string } | undefined;
				const keys = [`ip:${env?.clientIp ?? 'unknown'}`];
				const wait = limiter.retryAfter(keys);
				if (wait !== undefined) {
					c.header('Retry-After', String(wait));
					return refuse(c, 429, `too many failed token checks; retry in ${wait} s`);
				}
				limiter.fail(keys);
				c.header('WWW-Authenticate', 'Bearer realm="driftbook"');
				return refuse(c, 401, review ? 'invalid or expired review link' : 'invalid or revoked API token');
			}
		}
		if (principal?.review) {
			if (!(await resolver.reviewAllows(principal.review, c.req.method, path))) {
				return refuse(c, 403, `a ${principal.review.role} review link only opens its own notebook; ${c.req.method} ${path} is outside it`);
			}
			return runAs(principal, next);
		}
		if (!enabled || path === '/api/health' || path.startsWith('/api/health/')) return runAs(LOCAL, next);
		if (!principal) {
			c.header('WWW-Authenticate', 'Bearer realm="driftbook"');
			return refuse(
				c,
				401,
				bearer === null ? 'malformed Authorization header: expected Bearer <token>' : 'this API needs an API token: Authorization: Bearer <token>'
			);
		}
		const need = requiredRole(c.req.method, path);
		if (!roleAllows(principal.role, need)) {
			return refuse(c, 403, `token ${principal.name} has role ${principal.role}; ${c.req.method} ${path} needs ${need}`);
		}
		return runAs(principal, next);
	};
}
