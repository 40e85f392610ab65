// The production entry: one Node process serving the built SvelteKit app and /api.
// It replaces adapter-node's index.js because adapter-node serves static and immutable files
// before `handle` runs, so they would miss the cross-origin isolation headers.
import http from 'node:http';
import { isolationHeaders } from '#server/http/isolation.js';
import { discardInsteadOfDestroy } from '#server/http/unread-body.js';

// adapter-node refuses bodies over 512 KB by default; artifact and dataset uploads are far larger.
// The API enforces its own limits per route while it streams (JSON 10 MB, artifacts, datasets
// DRIFTBOOK_MAX_DATASET_BYTES), so the adapter must not cut them shorter.
process.env.BODY_SIZE_LIMIT ??= 'Infinity';
const { handler } = await import('../build/handler.js');

// The API's own listener (server/context.ts, started by the app's `init` hook), shared through
// the same process-wide slot as the store, so /api requests reach Hono without SvelteKit's
// routing and request/response conversions (half of a small API request's CPU time).
const SERVER = Symbol.for('driftbook.server');
// adapter-node takes the client's address from this header when set (behind a proxy): such
// requests keep going through SvelteKit, which reads it for the rate limit of failed token checks.
const addressFromHeader = Boolean(process.env.ADDRESS_HEADER);

/**
 * Whether SvelteKit would route this request to the API (src/routes/api, ajax-api, metrics)
 * with nothing of its own to do first: the path as the URL parser normalises it (dot segments,
 * backslashes), without a trailing slash (SvelteKit redirects those) or a SvelteKit data suffix.
 */
function directApi(req) {
	if (addressFromHeader) return false;
	let path;
	try {
		path = new URL(req.url ?? '/', 'http://localhost').pathname;
	} catch {
		return false;
	}
	if (path.endsWith('/') || path.includes('__data.json') || path.includes('__route.js')) return false;
	if (path === '/metrics') return req.method === 'GET' || req.method === 'HEAD';
	return path === '/api' || path.startsWith('/api/') || path === '/ajax-api' || path.startsWith('/ajax-api/');
}

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

/**
 * SvelteKit's node adapter hands a request without Content-Type to the app with no body at all,
 * so `curl -T file` would store an empty artifact and a JSON body sent bare would be ignored,
 * both answered 200. Each API route knows what it reads (uploads: raw bytes; the rest: JSON), so
 * a body arrives as bytes whatever its declared type.
 */
function keepUntypedBody(req) {
	const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
	if (hasBody && req.headers['content-type'] === undefined) req.headers['content-type'] = 'application/octet-stream';
}

/** Whether the path is valid percent-encoded UTF-8 (SvelteKit answers others with a plain-text 400). */
function decodablePath(url) {
	try {
		decodeURI((url ?? '/').split('?')[0]);
		return true;
	} catch {
		return false;
	}
}

const server = http.createServer((req, res) => {
	keepUntypedBody(req);
	for (const [name, value] of Object.entries(isolationHeaders)) res.setHeader(name, value);
	if (!decodablePath(req.url)) {
		res.writeHead(400, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ error: { code: 'invalid_request', message: 'the request path is not valid percent-encoded UTF-8' } }));
		return;
	}
	const api = globalThis[SERVER];
	if (api && directApi(req)) {
		// Started (or starting): the API answers. A failed start falls back to SvelteKit, whose
		// hook starts it again and reports why.
		// (The listener drops the rest of a body it stopped reading itself: node-http.ts.)
		api.then(
			(server) => server.listener(req, res),
			() => sveltekit(req, res)
		);
		return;
	}
	sveltekit(req, res);
});

function sveltekit(req, res) {
	discardInsteadOfDestroy(req);
	handler(req, res, () => notFound(res));
}

function notFound(res) {
	res.statusCode = 404;
	res.setHeader('content-type', 'text/plain; charset=utf-8');
	res.end('Not found');
}

server.listen(port, host, () => {
	const address = server.address();
	const actual = typeof address === 'object' && address ? address.port : port;
	const shown = host === '0.0.0.0' || host === '127.0.0.1' ? 'localhost' : host;
	console.log(`driftbook listening on http://${shown}:${actual}`);
});

function shutdown(signal) {
	server.close();
	server.closeIdleConnections();
	// Lets hooks close the store (PGlite flushes to its data directory).
	process.emit('sveltekit:shutdown', signal);
	setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
