// What becomes of the rest of a request body that the app stopped reading (a JSON body over its
// limit, an upload over its quota). adapter-node cancels such a body by destroying the request,
// which resets the connection: a client still sending gets ECONNRESET instead of the app's 413.
// Here the rest is read and thrown away instead, so the answer arrives and the connection stays
// usable. A client that goes on sending more than DISCARD_LIMIT bytes after that is disconnected.
// Plain JavaScript: server/main.js imports it without a build step.

/** Bytes read and dropped after a cancel before the connection is closed after all. */
export const DISCARD_LIMIT = 64 * 1024 * 1024;

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
		let discarded = 0;
		req.on('data', (chunk) => {
			discarded += chunk.length;
			if (discarded > DISCARD_LIMIT) destroy.call(req, error);
		});
		req.resume();
		return req;
	};
}
