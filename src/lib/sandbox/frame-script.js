// Plain JavaScript (not TypeScript) so that svelte.config.js can hash it in Node at build time
// for the Content-Security-Policy (server/http/csp.js). Documented in ./frame.ts.

/**
 * The one script of the sandbox iframe. Keep this text byte-stable: it is a literal string, not a
 * function's `.toString()`, so bundling and minifying never change its hash.
 * @type {string}
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
