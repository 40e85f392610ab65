import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Hono } from 'hono';
import { createApp } from '#server/app.ts';
import { openStore, type Store } from '#server/store/index.ts';
import type { StoreTarget, TargetFactory } from '../targets';

/** One fresh database (of the factory's kind), an artifact root beside it, and the app on both. */
export interface MlflowHarness {
	target: StoreTarget;
	store: Store;
	app: Hono;
	artifactRoot: string;
	close(): Promise<void>;
}

export async function openHarness(factory: TargetFactory): Promise<MlflowHarness> {
	const target = await factory.create();
	const store = await openStore(target.options);
	const artifactRoot = join(target.dir, 'artifacts');
	await mkdir(artifactRoot, { recursive: true });
	const app = createApp({ store, version: '0.0.0-test', artifactRoot });
	return {
		target,
		store,
		app,
		artifactRoot,
		async close() {
			await store.close();
			await target.dispose();
		}
	};
}

/** A parsed JSON answer, read field by field in the assertions. */
export type Json = any;

export interface Answer {
	status: number;
	type: string | null;
	body: Json;
}

/**
 * A query string the way Python's requests builds one from `params=`: lists as repeated keys,
 * None left out, booleans as True/False.
 */
export function queryString(params: Record<string, unknown>): string {
	const search = new URLSearchParams();
	for (const [key, value] of Object.entries(params)) {
		if (value === undefined || value === null) continue;
		for (const item of Array.isArray(value) ? value : [value]) {
			search.append(key, typeof item === 'boolean' ? (item ? 'True' : 'False') : String(item));
		}
	}
	const text = search.toString();
	return text ? `?${text}` : '';
}

/** `/api/2.0/mlflow/<endpoint>` unless the endpoint is already a path. */
export function mlflowPath(endpoint: string): string {
	return endpoint.startsWith('/') ? endpoint : `/api/2.0/mlflow/${endpoint}`;
}

/** One MLflow call as the Python client makes it: GET with a query string, others with JSON. */
export async function call(app: Hono, method: string, endpoint: string, payload?: Record<string, unknown>): Promise<Answer> {
	const path = mlflowPath(endpoint);
	const init: RequestInit = { method };
	let url = path;
	if (method === 'GET') url += queryString(payload ?? {});
	else if (payload !== undefined) {
		init.body = JSON.stringify(payload);
		init.headers = { 'Content-Type': 'application/json' };
	}
	const res = await app.request(url, init);
	const type = res.headers.get('content-type');
	const text = await res.text();
	let body: Json = text;
	if (type?.startsWith('application/json')) body = JSON.parse(text);
	return { status: res.status, type, body };
}

/** Binds a harness's app: `api('POST', 'runs/create', {...})`. */
export function client(app: Hono) {
	return (method: string, endpoint: string, payload?: Record<string, unknown>) => call(app, method, endpoint, payload);
}

export type Api = ReturnType<typeof client>;

/** What a suite (*.suite.ts) runs against: the harness mlflow.test.ts opened for one store. */
export interface SuiteContext {
	h: MlflowHarness;
	api: Api;
}

/** Expects an MLflow error answer and returns its message. */
export function errorOf(answer: Answer): { status: number; error_code: string; message: string } {
	return { status: answer.status, error_code: answer.body?.error_code, message: answer.body?.message };
}

// --------------------------------------------------------------------------------------------
// A real HTTP server around app.fetch (no adapter package): what the Python client talks to.

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
	const headers = new Headers();
	for (const [key, value] of Object.entries(req.headers)) {
		if (value === undefined) continue;
		for (const v of Array.isArray(value) ? value : [value]) headers.append(key, v);
	}
	const method = req.method ?? 'GET';
	const hasBody = method !== 'GET' && method !== 'HEAD';
	return new Request(new URL(req.url ?? '/', origin), {
		method,
		headers,
		body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
		// Node's fetch needs this for a streamed request body.
		...(hasBody ? { duplex: 'half' } : {})
	} as RequestInit);
}

async function send(res: ServerResponse, response: Response): Promise<void> {
	res.statusCode = response.status;
	response.headers.forEach((value, key) => res.setHeader(key, value));
	if (response.body) {
		for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
	}
	res.end();
}

export interface HttpServer {
	/** e.g. http://127.0.0.1:54321 (what MLFLOW_TRACKING_URI would be). */
	url: string;
	close(): Promise<void>;
}

export async function serve(app: Hono): Promise<HttpServer> {
	let origin = '';
	const server = createServer((req, res) => {
		toRequest(req, origin)
			.then((request) => app.fetch(request))
			.then((response) => send(res, response))
			.catch((error: Error) => {
				res.statusCode = 500;
				res.end(`test server failed: ${error.message}`);
			});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url: origin,
		close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
	};
}
