/**
 * The document of the sandbox iframe, inline so that the Content-Security-Policy allows its one
 * script by hash (`script-src 'sha256-…'` of SANDBOX_FRAME_SCRIPT, computed by server/http/csp.js when
 * the app is built) and the workers it starts with `worker-src blob:`.
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
import { SANDBOX_FRAME_SCRIPT } from './frame-script.js';

export { SANDBOX_FRAME_SCRIPT };

export const SANDBOX_SRCDOC = `<!doctype html><html><head><meta charset="utf-8"><title>driftbook sandbox</title></head><body><script>${SANDBOX_FRAME_SCRIPT}</script></body></html>`;

export const READY_MESSAGE = 'driftbook-sandbox-ready';
export const CONNECT_MESSAGE = 'driftbook-sandbox-connect';
