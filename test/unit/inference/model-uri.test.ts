// Registry references resolved as the browser does it, against the real MLflow routes (app.request, real store);
// in team mode with the token from requestHeadersFor, which the model cell passes to the inference worker's fetch.
import type { Hono } from 'hono';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '#server/app.ts';
import { openStore, type Store } from '#server/store/index.ts';
import { targets, type StoreTarget } from '../server/targets';
import { artifactUrl, parseModelUri, resolveRegistryModel } from '#lib/inference/model-uri.ts';
import { MemoryStorage } from '../../support/memory-storage';
import { createToken } from '#server/tokens/service.ts';
import { clearToken, setToken } from '#lib/api/auth-token.ts';
import { requestHeadersFor } from '#lib/api/http.ts';

const API = 'http://driftbook.test/api';
const onnx = readFileSync('static/models/churn_mlp.onnx');

describe('parseModelUri', () => {
	it('reads aliases and versions, ignores other references, rejects malformed ones', () => {
		expect(parseModelUri('models:/churn@champion')).toEqual({ name: 'churn', alias: 'champion' });
		expect(parseModelUri('models:/churn/3')).toEqual({ name: 'churn', version: '3' });
		expect(parseModelUri('/models/churn_mlp.onnx')).toBeUndefined();
		expect(() => parseModelUri('models:/churn')).toThrow('write models:/<name>@<alias> or models:/<name>/<version>');
		expect(() => parseModelUri('models:/churn/latest')).toThrow('is not a registry model');
	});

	it('maps proxied artifact URIs to the artifact API and refuses stores a browser cannot read', () => {
		expect(artifactUrl('mlflow-artifacts:/1/abc/artifacts/model', API).url).toBe(`${API}/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/model`);
		expect(artifactUrl('mlflow-artifacts://host:5000/a b/m.onnx', API).url).toBe(`${API}/2.0/mlflow-artifacts/artifacts/a%20b/m.onnx`);
		expect(() => artifactUrl('s3://bucket/model', API)).toThrow('which a browser cannot read');
	});
});

for (const factory of targets) {
	describe.runIf(factory.enabled)(`resolveRegistryModel through the MLflow API on ${factory.kind}`, () => {
		let target: StoreTarget;
		let store: Store;
		let app: Hono;
		const fetchFn = (url: string) => Promise.resolve(app.request(url));
		const mlflow = async (method: string, endpoint: string, body: unknown) => {
			const res = await app.request(`/api/2.0/mlflow/${endpoint}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
			expect(res.status, `${endpoint}: ${await res.clone().text()}`).toBe(200);
			return res.json() as Promise<any>;
		};
		const put = async (path: string, bytes: Uint8Array) => {
			const res = await app.request(`/api/2.0/mlflow-artifacts/artifacts/${path}`, { method: 'PUT', body: new Blob([new Uint8Array(bytes)]) });
			expect(res.status).toBe(200);
		};

		beforeAll(async () => {
			target = await factory.create();
			store = await openStore(target.options);
			app = createApp({ store, version: 'test', auth: false, artifactRoot: `${target.dir}/artifacts` });
			await put('models/churn/model.onnx', onnx);
			await put('models/churn/MLmodel', new TextEncoder().encode('flavors: {onnx: {}}\n'));
			await put('models/two/a.onnx', onnx);
			await put('models/two/b.onnx', onnx);
			await mlflow('POST', 'registered-models/create', { name: 'churn' });
			await mlflow('POST', 'model-versions/create', { name: 'churn', source: 'mlflow-artifacts:/models/churn' });
			await mlflow('POST', 'model-versions/create', { name: 'churn', source: 'mlflow-artifacts:/models/churn/model.onnx' });
			await mlflow('POST', 'model-versions/create', { name: 'churn', source: 's3://bucket/churn' });
			await mlflow('POST', 'model-versions/create', { name: 'churn', source: 'mlflow-artifacts:/models/two' });
			await mlflow('POST', 'registered-models/alias', { name: 'churn', alias: 'champion', version: '1' });
		});
		afterAll(async () => {
			await store?.close();
			await target?.dispose();
		});

		it('an alias resolves to its version, a model folder to its one .onnx file, whose bytes come back', async () => {
			const resolved = await resolveRegistryModel('models:/churn@champion', API, fetchFn);
			expect(resolved).toEqual({
				name: 'churn',
				version: '1',
				artifactUri: 'mlflow-artifacts:/models/churn',
				url: `${API}/2.0/mlflow-artifacts/artifacts/models/churn/model.onnx`
			});
			const bytes = new Uint8Array(await (await app.request(resolved.url)).arrayBuffer());
			expect(Buffer.from(bytes).equals(onnx)).toBe(true);
		});

		it('a version pointing at a file resolves to it', async () => {
			expect((await resolveRegistryModel('models:/churn/2', API, fetchFn)).url).toBe(`${API}/2.0/mlflow-artifacts/artifacts/models/churn/model.onnx`);
		});

		describe('in team mode', () => {
			let team: Hono;
			let readToken: string;
			/** What the browser does: the worker's fetch carries the headers the main thread computed. */
			const browserFetch = (url: string) => Promise.resolve(team.request(url, { headers: requestHeadersFor(url) }));
			beforeAll(async () => {
				const g = globalThis as { location?: unknown; sessionStorage?: Storage; localStorage?: Storage };
				g.location = new URL(`${API.replace(/\/api$/, '')}/notebooks/churn`);
				g.sessionStorage = new MemoryStorage();
				g.localStorage = new MemoryStorage();
				team = createApp({ store, version: 'test', auth: true, artifactRoot: `${target.dir}/artifacts` });
				readToken = (await store.transaction((tx) => createToken(tx, { role: 'read' }))).token;
			});
			afterAll(() => {
				clearToken();
				delete (globalThis as { location?: unknown }).location;
			});

			it('without a token the registry and the model file answer 401', async () => {
				clearToken();
				expect(requestHeadersFor(`${API}/2.0/mlflow/registered-models/alias`)).toEqual({});
				await expect(resolveRegistryModel('models:/churn@champion', API, browserFetch)).rejects.toThrow('model models:/churn@champion');
				expect((await browserFetch(`${API}/2.0/mlflow-artifacts/artifacts/models/churn/model.onnx`)).status).toBe(401);
			});

			it('with the login token the alias resolves and the model bytes come back', async () => {
				setToken(readToken);
				const resolved = await resolveRegistryModel('models:/churn@champion', API, browserFetch);
				expect(resolved.url).toBe(`${API}/2.0/mlflow-artifacts/artifacts/models/churn/model.onnx`);
				const headers = requestHeadersFor(resolved.url);
				expect(headers).toEqual({ authorization: `Bearer ${readToken}` });
				const response = await team.request(resolved.url, { headers });
				expect(response.status).toBe(200);
				expect(Buffer.from(await response.arrayBuffer()).equals(onnx)).toBe(true);
			});

			it('never sends the token to another origin or outside /api', () => {
				setToken(readToken);
				expect(requestHeadersFor('https://models.example.com/api/churn.onnx')).toEqual({});
				expect(requestHeadersFor('http://driftbook.test:8080/api/x')).toEqual({});
				expect(requestHeadersFor('/models/churn_mlp.onnx')).toEqual({});
				expect(requestHeadersFor('/apiary/x')).toEqual({});
				expect(requestHeadersFor('/api/2.0/mlflow/registered-models/get')).toEqual({ authorization: `Bearer ${readToken}` });
			});
		});

		it('errors name the model and say what is wrong', async () => {
			await expect(resolveRegistryModel('models:/churn@nope', API, fetchFn)).rejects.toThrow(/^model models:\/churn@nope: .*nope/);
			await expect(resolveRegistryModel('models:/churn/9', API, fetchFn)).rejects.toThrow(/^model models:\/churn\/9 \(version 9\): /);
			await expect(resolveRegistryModel('models:/churn/3', API, fetchFn)).rejects.toThrow('s3://bucket/churn, which a browser cannot read');
			await expect(resolveRegistryModel('models:/churn/4', API, fetchFn)).rejects.toThrow(
				'expected one .onnx file or model.json in mlflow-artifacts:/models/two, found a.onnx, b.onnx'
			);
		});
	});
}
