/**
 * A registry model in team mode: the model cell resolves `models:/…` and the inference worker
 * fetches the model file with `apiAuthHeaders`, against the real server app (auth on, real
 * store). The token goes to this origin's /api only.
 */
import type { Hono } from 'hono';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app';
import { createToken } from '../../../server/auth/tokens';
import { openStore, type Store } from '../../../server/store';
import { clearToken, setToken } from '../../../src/lib/api/auth-token';
import { apiAuthHeaders } from '../../../src/lib/api/http';
import { resolveRegistryModel } from '../../../src/lib/inference/registry';
import { targets, type StoreTarget } from '../server/targets';

const ORIGIN = 'http://driftbook.test';
const API = `${ORIGIN}/api`;
const onnx = readFileSync('static/models/churn_mlp.onnx');

class MemoryStorage implements Storage {
	#items = new Map<string, string>();
	get length() {
		return this.#items.size;
	}
	clear() {
		this.#items.clear();
	}
	getItem(key: string) {
		return this.#items.get(key) ?? null;
	}
	key(index: number) {
		return [...this.#items.keys()][index] ?? null;
	}
	removeItem(key: string) {
		this.#items.delete(key);
	}
	setItem(key: string, value: string) {
		this.#items.set(key, value);
	}
}

const pglite = targets.find((t) => t.kind === 'pglite')!;

describe('registry models in team mode', () => {
	let target: StoreTarget;
	let store: Store;
	let app: Hono;
	let readToken: string;
	/** What the browser does: the worker's fetch carries the headers the main thread computed. */
	const browserFetch = (url: string) => Promise.resolve(app.request(url, { headers: apiAuthHeaders(url) }));

	beforeAll(async () => {
		const g = globalThis as { location?: unknown; sessionStorage?: Storage; localStorage?: Storage };
		g.location = new URL(`${ORIGIN}/notebooks/churn`);
		g.sessionStorage = new MemoryStorage();
		g.localStorage = new MemoryStorage();
		target = await pglite.create();
		store = await openStore(target.options);
		app = createApp({ store, version: 'test', auth: true, artifactRoot: `${target.dir}/artifacts` });
		const write = (await store.transaction((tx) => createToken(tx, { role: 'write' }))).token;
		readToken = (await store.transaction((tx) => createToken(tx, { role: 'read' }))).token;
		const authorization = `Bearer ${write}`;
		const put = await app.request('/api/2.0/mlflow-artifacts/artifacts/models/churn/model.onnx', { method: 'PUT', headers: { authorization }, body: new Blob([new Uint8Array(onnx)]) });
		expect(put.status).toBe(200);
		const mlflow = async (endpoint: string, body: unknown) => {
			const res = await app.request(`/api/2.0/mlflow/${endpoint}`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
			expect(res.status, `${endpoint}: ${await res.clone().text()}`).toBe(200);
		};
		await mlflow('registered-models/create', { name: 'churn' });
		await mlflow('model-versions/create', { name: 'churn', source: 'mlflow-artifacts:/models/churn/model.onnx' });
		await mlflow('registered-models/alias', { name: 'churn', alias: 'champion', version: '1' });
	});
	afterAll(async () => {
		clearToken();
		delete (globalThis as { location?: unknown }).location;
		await store?.close();
		await target?.dispose();
	});

	it('without a token the registry and the model file answer 401', async () => {
		clearToken();
		expect(apiAuthHeaders(`${API}/2.0/mlflow/registered-models/alias`)).toEqual({});
		await expect(resolveRegistryModel('models:/churn@champion', API, browserFetch)).rejects.toThrow('model models:/churn@champion');
		expect((await browserFetch(`${API}/2.0/mlflow-artifacts/artifacts/models/churn/model.onnx`)).status).toBe(401);
	});

	it('with the login token the alias resolves and the worker gets the model bytes', async () => {
		setToken(readToken);
		const resolved = await resolveRegistryModel('models:/churn@champion', API, browserFetch);
		expect(resolved.url).toBe(`${API}/2.0/mlflow-artifacts/artifacts/models/churn/model.onnx`);
		const headers = apiAuthHeaders(resolved.url);
		expect(headers).toEqual({ authorization: `Bearer ${readToken}` });
		const response = await app.request(resolved.url, { headers });
		expect(response.status).toBe(200);
		expect(Buffer.from(await response.arrayBuffer()).equals(onnx)).toBe(true);
	});

	it('never sends the token to another origin or outside /api', () => {
		setToken(readToken);
		expect(apiAuthHeaders('https://models.example.com/api/churn.onnx')).toEqual({});
		expect(apiAuthHeaders('http://driftbook.test:8080/api/x')).toEqual({});
		expect(apiAuthHeaders('/models/churn_mlp.onnx')).toEqual({});
		expect(apiAuthHeaders('/apiary/x')).toEqual({});
		expect(apiAuthHeaders('/api/2.0/mlflow/registered-models/get')).toEqual({ authorization: `Bearer ${readToken}` });
	});
});
