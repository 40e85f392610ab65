// What becomes of the rest of a request body that the app stopped reading (a JSON body over its
// limit, an upload over its quota). Destroying the request, as adapter-node and Node's
// Readable.toWeb do when such a body is cancelled, resets the connection: a client still sending
// gets ECONNRESET instead of the app's 413 (or the 413, then a reset). Here the rest is read and
// thrown away instead, so the answer arrives and the connection stays usable. A client that goes
// on sending more than DISCARD_LIMIT bytes after that is disconnected.
// Plain JavaScript: server/main.js imports it without a build step.

/** Bytes read and dropped after a cancel before the connection is closed after all. */
export const DISCARD_LIMIT = 64 * 1024 * 1024;

/**
 * Reads the rest of `req`'s body and drops it; past DISCARD_LIMIT bytes calls `destroy`.
 * @param {import('node:http').IncomingMessage} req
 * @param {() => void} destroy
 */
export function discardRest(req, destroy = () => req.destroy()) {
	let discarded = 0;
	req.on('data', (chunk) => {
		discarded += chunk.length;
		if (discarded > DISCARD_LIMIT) destroy();
	});
	req.resume();
}

/**
 * Makes `req.destroy()` while the body is still arriving (the cancel of adapter-node's body
 * stream, or of Node's Readable.toWeb under @hono/node-server) discard the rest of the body
 * instead. Destroys of a finished body or a closed connection (Node's own, when the client goes
 * away) still destroy.
 * @param {import('node:http').IncomingMessage} req
 */
export function discardInsteadOfDestroy(req) {
	const destroy = req.destroy;
	const socket = req.socket;
	req.destroy = function (error) {
		req.destroy = destroy;
		if (req.complete || !socket || socket.destroyed) return destroy.call(req, error);
		// Readable.toWeb's cancel (Node's stream destroyer) lets go of the socket before it destroys,
		// and the cancelled reader would still take the data: the rest is read from the socket here.
		req.socket ??= socket;
		req.removeAllListeners('data');
		discardRest(req, () => destroy.call(req, error));
		return req;
	};
}
