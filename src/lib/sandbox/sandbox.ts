/**
 * Runs JavaScript cells away from the app: in a dedicated worker started inside a hidden
 * `<iframe sandbox="allow-scripts" srcdoc=…>`.
 *
 * - The iframe has an opaque origin (no `allow-same-origin`), and so do the workers it starts
 *   from blob: URLs. User code cannot read the app's cookies, localStorage, IndexedDB or Cache
 *   Storage, and its requests go out with origin `null`: the app's API answers them with neither
 *   CORS headers nor, thanks to `Cross-Origin-Resource-Policy: same-origin`, a readable body.
 * - Under the app's `Cross-Origin-Embedder-Policy: require-corp` this arrangement works because
 *   an about:srcdoc document and a blob: worker have no response of their own: both inherit the
 *   policy container (COEP included) of the document that creates them, so neither needs headers.
 *   Checked in Chromium: see the e2e test `test/e2e/sandbox.spec.ts`.
 * - Code runs in a worker, not in the iframe, so an endless loop never blocks the page and is
 *   stopped with `terminate()`: on abort, on timeout, and after every run (one worker per run).
 *
 * One iframe per page, created on the first run. Values cross by structured clone.
 */
import { CONNECT_MESSAGE, READY_MESSAGE, SANDBOX_SRCDOC } from './frame';
import { SCRIPT_LINE_OFFSET, workerScript } from './script';

export const DEFAULT_TIMEOUT_MS = 30_000;
const START_TIMEOUT_MS = 15_000;

export type SandboxFailure = 'syntax' | 'runtime' | 'timeout' | 'input' | 'value' | 'unavailable';

/** A failure of sandboxed code. `line` and `column` point into the cell's own source (1-based). */
export class SandboxError extends Error {
	constructor(
		/** The message without the `line N: ` prefix. */
		readonly detail: string,
		readonly reason: SandboxFailure,
		readonly line?: number,
		readonly column?: number
	) {
		super(line === undefined ? detail : `line ${line}: ${detail}`);
		this.name = 'SandboxError';
	}
}

export interface SandboxOptions {
	signal: AbortSignal;
	/** Stops the code after this long; 30 s when not given. */
	timeoutMs?: number;
}

type Reply =
	| { id: number; type: 'value'; value: unknown }
	| { id: number; type: 'error'; phase: 'start' | 'run' | 'uncaught'; name: string; message: string; line?: number; column?: number }
	| { id: number; type: 'unclonable'; message: string };

interface Frame {
	iframe: HTMLIFrameElement;
	port: MessagePort;
	pending: Map<number, (reply: Reply) => void>;
}

let frame: Promise<Frame> | undefined;
let connected: Frame | undefined;
let nextId = 1;

function startFrame(): Promise<Frame> {
	return new Promise<Frame>((resolve, reject) => {
		const iframe = document.createElement('iframe');
		iframe.setAttribute('sandbox', 'allow-scripts');
		iframe.setAttribute('aria-hidden', 'true');
		iframe.tabIndex = -1;
		iframe.title = 'JavaScript cell sandbox';
		iframe.style.cssText = 'position:absolute;width:0;height:0;border:0;visibility:hidden';
		iframe.srcdoc = SANDBOX_SRCDOC;
		const onMessage = (event: MessageEvent) => {
			// Only this iframe's window, whose origin is opaque ("null"), may say it is ready.
			const target = iframe.contentWindow;
			if (target === null || event.source !== target || event.origin !== 'null') return;
			if ((event.data as { type?: unknown } | null)?.type !== READY_MESSAGE) return;
			done();
			const channel = new MessageChannel();
			const connection: Frame = { iframe, port: channel.port1, pending: new Map() };
			channel.port1.onmessage = ({ data }: MessageEvent<Reply>) => connection.pending.get(data?.id)?.(data);
			// An opaque origin cannot be named as a target; the port makes every later message private.
			target.postMessage({ type: CONNECT_MESSAGE }, '*', [channel.port2]);
			connected = connection;
			resolve(connection);
		};
		const timer = setTimeout(() => {
			done();
			iframe.remove();
			reject(new SandboxError('the JavaScript sandbox did not start (a Content-Security-Policy may block its inline script or blob: workers)', 'unavailable'));
		}, START_TIMEOUT_MS);
		const done = () => {
			clearTimeout(timer);
			window.removeEventListener('message', onMessage);
		};
		window.addEventListener('message', onMessage);
		document.body.append(iframe);
	});
}

function sandboxFrame(): Promise<Frame> {
	if (typeof document === 'undefined') {
		return Promise.reject(new SandboxError('JavaScript cells run only in a browser', 'unavailable'));
	}
	// Someone removed the iframe (or a test reset the page body): start a new one.
	if (connected && !connected.iframe.isConnected) {
		for (const settle of connected.pending.values())
			settle({ id: 0, type: 'error', phase: 'start', name: 'Error', message: 'the sandbox was removed from the page' });
		connected.port.close();
		connected = undefined;
		frame = undefined;
	}
	frame ??= startFrame().catch((error: unknown) => {
		frame = undefined;
		throw error;
	});
	return frame;
}

/** Which input cannot be structured-cloned, and why. */
function unclonableInput(inputs: Record<string, unknown>): SandboxError | undefined {
	for (const [name, value] of Object.entries(inputs)) {
		try {
			structuredClone(value);
		} catch (error) {
			const why = typeof value === 'function' ? 'it is a function' : String((error as Error).message);
			return new SandboxError(`input "${name}" cannot be sent to the sandbox: ${why}`, 'input');
		}
	}
	return undefined;
}

function toError(reply: Exclude<Reply, { type: 'value' }>, lines: number): SandboxError {
	if (reply.type === 'unclonable') return new SandboxError(reply.message, 'value');
	if (reply.phase === 'start') return new SandboxError(reply.message, 'unavailable');
	let { name, message } = reply;
	let line = reply.line;
	if (reply.phase === 'uncaught') {
		// An ErrorEvent from the worker: "Uncaught SyntaxError: Unexpected token ')'", its line in the script.
		const m = /^(?:Uncaught )?(?:([A-Za-z]*Error): )?([\s\S]*)$/.exec(message);
		name = m?.[1] ?? 'Error';
		message = m?.[2] ?? message;
		line = typeof line === 'number' ? line - SCRIPT_LINE_OFFSET : undefined;
	}
	if (typeof line !== 'number' || line < 1 || line > lines) line = undefined;
	const column = line === undefined || typeof reply.column !== 'number' ? undefined : reply.column;
	return new SandboxError(`${name}: ${message}`, name === 'SyntaxError' ? 'syntax' : 'runtime', line, column);
}

/**
 * Runs a JavaScript cell's `source` (an expression, or a function body with `return`; `await`
 * allowed) with `inputs` as variables, in a fresh worker inside the sandbox iframe, and resolves
 * to its value. Inputs and the value must be structured-cloneable. Rejects with a SandboxError
 * (line numbers in `source`), or with `signal.reason` once the signal aborts.
 */
export async function runSandboxed(source: string, inputs: Record<string, unknown>, options: SandboxOptions): Promise<unknown> {
	const { signal, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
	signal.throwIfAborted();
	let script: string;
	try {
		script = workerScript(source, Object.keys(inputs));
	} catch (error) {
		throw new SandboxError((error as Error).message, 'input');
	}
	const lines = source.split('\n').length;
	const sandbox = await sandboxFrame();
	signal.throwIfAborted();

	const id = nextId++;
	return new Promise<unknown>((resolve, reject) => {
		const cleanUp = () => {
			clearTimeout(timer);
			signal.removeEventListener('abort', onAbort);
			sandbox.pending.delete(id);
		};
		const stop = () => sandbox.port.postMessage({ type: 'cancel', id });
		const onAbort = () => {
			stop();
			cleanUp();
			reject(signal.reason);
		};
		const timer = setTimeout(() => {
			stop();
			cleanUp();
			const seconds = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 100) / 10} s` : `${timeoutMs} ms`;
			reject(new SandboxError(`timed out after ${seconds}; the code was stopped (an endless loop, or an await that never settles?)`, 'timeout'));
		}, timeoutMs);
		signal.addEventListener('abort', onAbort, { once: true });
		sandbox.pending.set(id, (reply) => {
			cleanUp();
			if (reply.type === 'value') resolve(reply.value);
			else reject(toError(reply, lines));
		});
		try {
			sandbox.port.postMessage({ type: 'run', id, script, inputs });
		} catch (error) {
			cleanUp();
			reject(unclonableInput(inputs) ?? new SandboxError(`the inputs cannot be sent to the sandbox: ${(error as Error).message}`, 'input'));
		}
	});
}
