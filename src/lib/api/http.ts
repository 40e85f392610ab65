/**
 * The one request helper every API client module uses: JSON in and out, driftbook's and
 * MLflow's error shapes turned into ApiRequestError, the team token as a bearer header, and an
 * optional Idempotency-Key so a retried write is applied once.
 */
import { currentToken, reviewToken } from './auth-token';
import type { ApiErrorBody, MlflowErrorBody } from '#lib/contracts/errors.ts';
import type { NotebookConflictState } from '#lib/contracts/notebooks.ts';

export type Fetch = typeof globalThis.fetch;

/** A refused or failed API call: its status, message, error code and, for a notebook conflict, the newest saved state. */
export class ApiRequestError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly code?: string,
		/** Set on a 409 notebook conflict: what is saved now. */
		readonly current?: NotebookConflictState
	) {
		super(message);
		this.name = 'ApiRequestError';
	}

	/** The server refused the credentials (team mode without a valid token). */
	get unauthenticated(): boolean {
		return this.status === 401;
	}
}

export interface RequestOptions {
	method?: string;
	/** Sent as JSON. */
	body?: unknown;
	/** Sent as they are (artifact uploads). */
	bytes?: BodyInit;
	contentType?: string;
	/** Query parameters; undefined values are left out, arrays repeat the key. */
	query?: Record<string, string | number | boolean | readonly string[] | undefined>;
	/** The server applies a write with a key it has seen once, and answers the first result again. */
	idempotencyKey?: string;
	signal?: AbortSignal;
}

export function withQuery(path: string, query: RequestOptions['query']): string {
	if (!query) return path;
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query)) {
		if (value === undefined) continue;
		if (Array.isArray(value)) for (const item of value) params.append(key, item);
		else params.append(key, String(value));
	}
	const text = params.toString();
	return text === '' ? path : `${path}${path.includes('?') ? '&' : '?'}${text}`;
}

/** The credentials header of this page's API calls, or none: a review link's token, else the team token. */
function authorizationHeader(): Record<string, string> {
	// A review link's token wins while its page is open: it is what that page was shared with.
	const token = reviewToken() ?? currentToken();
	return token ? { authorization: `Bearer ${token}` } : {};
}

/**
 * The headers a fetch of `url` made outside this module (in a worker: a data cell's download, a
 * model file) needs to pass the server's auth: the page's bearer token, but only for this origin's
 * own /api/ paths; any other URL gets none, so the token never leaves for another host.
 * `base` resolves a relative URL (the page's address by default).
 */
export function requestHeadersFor(url: string, base: string | undefined = typeof location === 'undefined' ? undefined : location.href): Record<string, string> {
	if (!base) return {};
	let target: URL;
	try {
		target = new URL(url, base);
	} catch {
		return {};
	}
	const origin = new URL(base).origin;
	if (target.origin !== origin || !target.pathname.startsWith('/api/')) return {};
	return authorizationHeader();
}

/** The request as fetch takes it, with the token (when one is set) as a bearer header. */
export function requestInit(options: RequestOptions = {}): RequestInit {
	const headers: Record<string, string> = { ...authorizationHeader() };
	if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
	let body: BodyInit | undefined;
	if (options.bytes !== undefined) {
		body = options.bytes;
		headers['content-type'] = options.contentType ?? 'application/octet-stream';
	} else if (options.body !== undefined) {
		body = JSON.stringify(options.body);
		headers['content-type'] = 'application/json';
	}
	return { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, signal: options.signal };
}

/** Reads an error answer in either shape; falls back to the status line. */
export async function errorFrom(response: Response, path: string): Promise<ApiRequestError> {
	const body = (await response.json().catch(() => undefined)) as Partial<ApiErrorBody & MlflowErrorBody> | undefined;
	if (body?.error && typeof body.error === 'object') {
		return new ApiRequestError(response.status, body.error.message ?? `${path}: HTTP ${response.status}`, body.error.code, body.error.current);
	}
	if (body?.error_code) return new ApiRequestError(response.status, body.message ?? `${path}: HTTP ${response.status}`, body.error_code);
	return new ApiRequestError(response.status, `${path}: HTTP ${response.status} ${response.statusText}`.trim());
}

/** Sends a request and returns the raw response when it succeeded. */
export async function apiResponse(fetch: Fetch, path: string, options: RequestOptions = {}): Promise<Response> {
	const url = withQuery(path, options.query);
	const response = await fetch(url, requestInit(options));
	if (!response.ok) throw await errorFrom(response, path);
	return response;
}

/** Sends a request and returns its JSON answer. */
export async function apiRequest<T>(fetch: Fetch, path: string, options: RequestOptions = {}): Promise<T> {
	const response = await apiResponse(fetch, path, options);
	const text = await response.text();
	return (text === '' ? {} : JSON.parse(text)) as T;
}

/** A network failure (server down, offline), as opposed to an answer. */
export function isNetworkError(error: unknown): boolean {
	return error instanceof TypeError || (error instanceof DOMException && error.name === 'NetworkError');
}
