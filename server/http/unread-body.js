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
 * Makes `req.destroy()` while the body is still arriving (adapter-node's cancel) discard the rest
 * of the body instead. Destroys of a finished body or a closed connection (Node's own, when the
 * client goes away) still destroy.
 * @param {import('node:http').IncomingMessage} req
 */
export function discardInsteadOfDestroy(req) {
	const destroy = req.destroy;
	req.destroy = function (error) {
		req.destroy = destroy;
		if (req.complete || !req.socket || req.socket.destroyed) return destroy.call(req, error);
		discardRest(req, () => destroy.call(req, error));
		return req;
	};
}
