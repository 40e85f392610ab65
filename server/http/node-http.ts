import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { discardRest } from './unread-body.js';

/** What a fetch-style handler learns about the connection besides the request. */
export interface ConnectionInfo {
	/** The peer's address (for per-client limits); never taken from a request header. */
	clientIp: string;
}

export type FetchHandler = (request: Request, env: ConnectionInfo) => Response | Promise<Response>;

/**
 * The request body as a web stream, read as the app asks for it. Cancelling it (the app stops
 * reading a body over its limit) drops the rest as it arrives rather than resetting the
 * connection, so the app's 413 reaches the client (unread-body.js).
 */
function bodyStream(req: http.IncomingMessage): ReadableStream<Uint8Array> {
	let cancelled = false;
	return new ReadableStream<Uint8Array>({
		start(controller) {
			req.on('data', (chunk: Buffer) => {
				if (cancelled) return;
				controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
				if ((controller.desiredSize ?? 0) <= 0) req.pause();
			});
			req.once('end', () => {
				if (!cancelled) controller.close();
			});
			req.once('error', (error) => {
				if (!cancelled) controller.error(error);
			});
		},
		pull() {
			req.resume();
		},
		cancel() {
			cancelled = true;
			discardRest(req);
		}
	});
}

/** A node:http request as a fetch Request; the body is streamed, not buffered. */
function toRequest(req: http.IncomingMessage, origin: string): Request {
	const headers = new Headers();
	for (const [name, value] of Object.entries(req.headers)) {
		if (value === undefined) continue;
		for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
	}
	const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
	const controller = new AbortController();
	req.once('close', () => {
		if (!req.complete) controller.abort();
	});
	return new Request(new URL(req.url ?? '/', origin), {
		method: req.method,
		headers,
		signal: controller.signal,
		...(hasBody ? { body: bodyStream(req), duplex: 'half' } : {})
	} as RequestInit);
}

/**
 * Whether the answer is a JSON body the app made in memory (an API answer, an error, a replayed
 * idempotent answer), not a download streamed from a file: downloads are attachments
 * (Content-Disposition, user-content.ts), whatever their type.
 */
function wholeJson(response: Response): boolean {
	const type = response.headers.get('content-type');
	return type !== null && type.startsWith('application/json') && !response.headers.has('content-disposition');
}

async function send(res: http.ServerResponse, response: Response): Promise<void> {
	const headers: Record<string, string | string[]> = {};
	response.headers.forEach((value, name) => {
		if (name === 'set-cookie') return;
		headers[name] = value;
	});
	const cookies = response.headers.getSetCookie();
	if (cookies.length > 0) headers['set-cookie'] = cookies;
	if (!response.body) {
		res.writeHead(response.status, headers).end();
		return;
	}
	if (wholeJson(response)) {
		// The API's own JSON answers are one string already: read at once and sent with the
		// headers in one write, not through a Node stream adapter and a pipe (most of a small
		// request's send time).
		const body = Buffer.from(await response.arrayBuffer());
		res.writeHead(response.status, headers).end(body);
		return;
	}
	res.writeHead(response.status, headers);
	const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
	res.once('close', () => body.destroy());
	body.pipe(res);
}

/** A node:http server answering every request with `handler` (e.g. a Hono app's fetch). */
export function createNodeServer(handler: FetchHandler, options: { defaultHost?: string } = {}): http.Server {
	return http.createServer(nodeListener(handler, options));
}

/** node:http's request listener answering with `handler`: the request as a fetch Request, the Response written back. */
export function nodeListener(handler: FetchHandler, { defaultHost = 'localhost' } = {}): (req: http.IncomingMessage, res: http.ServerResponse) => void {
	return (req, res) => {
		const origin = `http://${req.headers.host ?? defaultHost}`;
		let request: Request;
		try {
			request = toRequest(req, origin);
		} catch {
			res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'invalid_request', message: 'malformed request' } }));
			return;
		}
		Promise.resolve(handler(request, { clientIp: req.socket.remoteAddress ?? 'unknown' }))
			.then((response) => send(res, response))
			.catch((error: Error) => {
				console.error(`[http] ${req.method} ${req.url} failed:`, error);
				if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: { code: 'internal', message: 'internal server error' } }));
			});
	};
}

/** Listens and resolves with the bound port (pass 0 for a free one). */
export function listen(server: http.Server, port: number, host: string): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve((server.address() as AddressInfo).port);
		});
	});
}
