/**
 * The document of the sandbox iframe, inline so that a future Content-Security-Policy can allow
 * its one script by hash (`script-src 'sha256-…'` of SANDBOX_FRAME_SCRIPT) and the workers it
 * starts with `worker-src blob:`. Keep this text byte-stable: it is a literal string, not a
 * function's `.toString()`, so bundling and minifying never change the hash.
 *
 * The iframe is `sandbox="allow-scripts"` without `allow-same-origin`: an opaque origin, so code
 * in it (and in the workers it starts, which inherit that origin) cannot read the app's cookies,
 * localStorage, IndexedDB or Cache Storage, and requests it makes carry origin `null`.
 *
 * Protocol. The frame posts `{ type: 'driftbook-sandbox-ready' }` to its parent; the parent,
 * after checking the message came from this iframe's window, answers with
 * `{ type: 'driftbook-sandbox-connect' }` and a MessagePort. Everything else travels over that
 * private port: `{ type: 'run', id, script, inputs }` starts a fresh worker from a blob: URL of
 * `script` and posts it `inputs`; `{ type: 'cancel', id }` terminates it. The frame answers each
 * run once, `{ id, type: 'value', value }` or `{ id, type: 'error' | 'unclonable', … }`, and
 * terminates the worker as soon as it has answered.
 */
export const SANDBOX_FRAME_SCRIPT = `(() => {
	'use strict';
	let port = null;
	const runs = new Map();
	const finish = (id, reply) => {
		const run = runs.get(id);
		if (!run) return;
		runs.delete(id);
		run.worker.terminate();
		URL.revokeObjectURL(run.url);
		if (reply) port.postMessage(reply);
	};
	const start = (id, script, inputs) => {
		let url = null;
		let worker;
		try {
			url = URL.createObjectURL(new Blob([script], { type: 'text/javascript' }));
			worker = new Worker(url, { name: 'driftbook-js-cell' });
		} catch (error) {
			if (url) URL.revokeObjectURL(url);
			port.postMessage({ id, type: 'error', phase: 'start', name: 'Error', message: 'could not start a worker: ' + String(error && error.message) });
			return;
		}
		runs.set(id, { worker, url });
		worker.onmessage = (event) => {
			const data = event.data;
			if (data === null || typeof data !== 'object') return;
			if (data.type === 'value') finish(id, { id, type: 'value', value: data.value });
			else if (data.type === 'error') finish(id, { id, type: 'error', phase: 'run', name: String(data.name), message: String(data.message), line: data.line, column: data.column });
			else if (data.type === 'unclonable') finish(id, { id, type: 'unclonable', message: String(data.message) });
		};
		worker.onerror = (event) => {
			event.preventDefault();
			if (!event.message) {
				// No message: the worker never ran (blocked by a Content-Security-Policy, or out of memory).
				finish(id, { id, type: 'error', phase: 'start', name: 'Error', message: 'the worker for this cell could not start (does a Content-Security-Policy lack worker-src blob:?)' });
				return;
			}
			finish(id, { id, type: 'error', phase: 'uncaught', name: '', message: String(event.message), line: event.lineno, column: event.colno });
		};
		worker.onmessageerror = () => finish(id, { id, type: 'unclonable', message: 'the value could not be read back from the worker' });
		worker.postMessage(inputs);
	};
	addEventListener('message', (event) => {
		const data = event.data;
		if (event.source !== parent || port !== null || data === null || typeof data !== 'object') return;
		if (data.type !== 'driftbook-sandbox-connect' || !event.ports[0]) return;
		port = event.ports[0];
		port.onmessage = ({ data }) => {
			if (data === null || typeof data !== 'object') return;
			if (data.type === 'run') start(data.id, String(data.script), data.inputs);
			else if (data.type === 'cancel') finish(data.id, null);
		};
	});
	parent.postMessage({ type: 'driftbook-sandbox-ready' }, '*');
})();`;

export const SANDBOX_SRCDOC = `<!doctype html><html><head><meta charset="utf-8"><title>driftbook sandbox</title></head><body><script>${SANDBOX_FRAME_SCRIPT}</script></body></html>`;

export const READY_MESSAGE = 'driftbook-sandbox-ready';
export const CONNECT_MESSAGE = 'driftbook-sandbox-connect';
