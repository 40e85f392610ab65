import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { discardInsteadOfDestroy } from './unread-body.js';

/** What a fetch-style handler learns about the connection besides the request. */
export interface ConnectionInfo {
	/** The peer's address (for per-client limits); never taken from a request header. */
	clientIp: string;
}

export type FetchHandler = (request: Request, env: ConnectionInfo) => Response | Promise<Response>;

const errorResponse = (status: number, code: string, message: string) => Response.json({ error: { code, message } }, { status });

/** A node:http server answering every request with `handler` (e.g. a Hono app's fetch). */
export function createNodeServer(handler: FetchHandler, options: { defaultHost?: string } = {}): http.Server {
	return http.createServer(nodeListener(handler, options));
}

/**
 * node:http's request listener answering with `handler`, through @hono/node-server: the Request
 * is a light object over the IncomingMessage that reads headers, URL and body from it only when
 * asked (a real Request is made only for code that needs one), and a Response made with a string
 * or bytes (Hono's `c.json`, `c.body`) is written straight to the socket. That adapter sets the
 * process's global Request and Response to its light versions, which are still instances of
 * the real ones; without them every answer went through a real Response and a web stream, and
 * every request through a real Request, Headers and URL (about a third of a small request's CPU).
 *
 * Its own clean-up of unread bodies is off: a body the app stops reading (a JSON body over its
 * limit, an upload over its quota: the stream is cancelled, which destroys the request) drops
 * the rest as it arrives instead of resetting the connection, so the app's 413 reaches the client
 * and the connection stays usable (unread-body.js); a body never read is discarded by node:http.
 */
export function nodeListener(handler: FetchHandler, { defaultHost = 'localhost' } = {}): (req: http.IncomingMessage, res: http.ServerResponse) => void {
	const failed = (request: Request, error: unknown) => {
		console.error(`[http] ${request.method} ${request.url} failed:`, error);
		return errorResponse(500, 'internal', 'internal server error');
	};
	const listener = getRequestListener(
		(request, { incoming }) => {
			try {
				const response = handler(request, { clientIp: incoming.socket.remoteAddress ?? 'unknown' });
				return response instanceof Promise ? response.catch((error: unknown) => failed(request, error)) : response;
			} catch (error) {
				return failed(request, error);
			}
		},
		{
			hostname: defaultHost,
			autoCleanupIncoming: false,
			// Only requests that cannot be made (a request line or Host header that makes no URL) get here.
			errorHandler: () => errorResponse(400, 'invalid_request', 'malformed request')
		}
	);
	return (req, res) => {
		discardInsteadOfDestroy(req);
		void listener(req, res);
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
