import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '#server/app.ts';
import { MAX_JSON_BODY_BYTES } from '#server/http/json-body.ts';
import { openStore, type Store } from '#server/store/index.ts';
import { targets, warnIfPostgresSkipped, type StoreTarget } from './targets';

warnIfPostgresSkipped('validation.test.ts');

/**
 * Every route of the app, with a request whose input has the wrong type (in the path, query or
 * body) and what the 400's message must name. Built against app.routes: a route added without a
 * case here fails the first test.
 */
interface Case {
	/** The request URL, wrong-typed where the route's input is in the path or query. */
	url: string;
	/** A body with a wrong-typed field (write routes that read JSON). */
	body?: unknown;
	/** What the error message must mention: the field, or the parameter. */
	names: RegExp;
}

const NB = 'some-notebook';
const UUID = '00000000-0000-4000-8000-000000000000';
const M = '/api/2.0/mlflow';
const MODEL = `m-${'0'.repeat(32)}`;

const CASES: Record<string, Case> = {
	'GET /api/health': { url: '/api/health?x=1', names: /./ }, // takes no input: answers 200, checked below
	'GET /api/notebooks': { url: '/api/notebooks', names: /./ }, // takes no input
	'POST /api/notebooks': { url: '/api/notebooks', body: { source: 42 }, names: /source/ },
	'GET /api/notebooks/:idOrSlug': { url: '/api/notebooks/..%2F..%2Fetc', names: /notebook id or slug/ },
	'PUT /api/notebooks/:idOrSlug': { url: `/api/notebooks/${NB}`, body: { source: 'x', version: 'one' }, names: /version/ },
	'DELETE /api/notebooks/:idOrSlug': { url: '/api/notebooks/%20bad', names: /notebook id or slug/ },
	'GET /api/notebooks/:idOrSlug/versions': { url: '/api/notebooks/%20bad/versions', names: /notebook id or slug/ },
	'GET /api/notebooks/:idOrSlug/versions/:version': { url: `/api/notebooks/${NB}/versions/latest`, names: /version/ },
	'POST /api/notebooks/:idOrSlug/versions/:version/restore': { url: `/api/notebooks/${NB}/versions/-1/restore`, names: /version/ },
	'GET /api/notebooks/:idOrSlug/review-links': { url: '/api/notebooks/%20bad/review-links', names: /notebook id or slug/ },
	'POST /api/notebooks/:idOrSlug/review-links': {
		url: `/api/notebooks/${NB}/review-links`,
		body: { role: 'read', expires_in_days: 'soon' },
		names: /expires_in_days/
	},
	'GET /api/notebooks/:idOrSlug/comments': { url: `/api/notebooks/${NB}/comments?cell=`, names: /cell/ },
	'POST /api/notebooks/:idOrSlug/comments': { url: `/api/notebooks/${NB}/comments`, body: { cell: ['a'], body: 'x' }, names: /cell/ },
	'GET /api/review-links/current': { url: '/api/review-links/current', names: /review link/ }, // takes no input: 404 without a review link
	'DELETE /api/review-links/:id': { url: '/api/review-links/tok_1', names: /review link id/ },
	'PATCH /api/comments/:id': { url: `/api/comments/${UUID}`, body: { resolved: 'yes' }, names: /resolved/ },
	'DELETE /api/comments/:id': { url: '/api/comments/7', names: /comment id/ },
	'GET /api/registry/models/:name/versions/:version/lineage': { url: '/api/registry/models/churn/versions/v1/lineage', names: /version/ },
	'PUT /api/registry/models/:name/versions/:version/lineage': {
		url: '/api/registry/models/churn/versions/1/lineage',
		body: { dataset: { sha256: 7 } },
		names: /dataset\.sha256|sha256/
	},
	'GET /api/registry/models/:name/aliases/:alias/history': { url: '/api/registry/models/churn/aliases/a%20b/history', names: /alias/ },
	'POST /api/registry/models/:name/aliases/:alias/rollback': {
		url: '/api/registry/models/churn/aliases/champion/rollback',
		body: { reason: 5 },
		names: /reason/
	},
	'GET /api/tokens': { url: '/api/tokens', names: /./ }, // takes no input
	'POST /api/tokens': { url: '/api/tokens', body: { role: 'root' }, names: /role/ },
	'DELETE /api/tokens/:id': { url: '/api/tokens/abc', names: /token id/ },
	'POST /api/sync/runs': {
		url: '/api/sync/runs',
		body: { idempotency_key: 'k'.repeat(10), experiment_name: 'e', metrics: [{ key: 'a', value: true }] },
		names: /metrics/
	},
	'POST /api/serve/models/:target/invocations': { url: '/api/serve/models/churn@champion/invocations', body: { inputs: 'rows' }, names: /inputs/ },
	'POST /api/serve/models/:name/:version/invocations': { url: '/api/serve/models/churn/1/invocations', body: { dataframe_split: 5 }, names: /dataframe_split/ },
	'GET /api/serve/models/:name/routing': { url: `/api/serve/models/${'m'.repeat(501)}/routing`, names: /model name/ },
	'PUT /api/serve/models/:name/routing': { url: '/api/serve/models/churn/routing', body: { primary: 5 }, names: /primary/ },
	'POST /api/serve/models/:name/routing/stop-canary': { url: `/api/serve/models/${'m'.repeat(501)}/routing/stop-canary`, names: /model name/ },
	'DELETE /api/serve/models/:name/routing': { url: `/api/serve/models/${'m'.repeat(501)}/routing`, names: /model name/ },
	'POST /api/serve/models/:name/feedback': { url: '/api/serve/models/churn/feedback', body: { request_id: 5, label: 1 }, names: /request_id/ },
	'GET /api/metrics': { url: '/api/metrics', names: /./ }, // takes no input
	'GET /api/monitors': { url: '/api/monitors?model=churn', names: /./ }, // a filter, any text: answers 200
	'POST /api/monitors': { url: '/api/monitors', body: { name: 'm', model_name: 'churn', reference_dataset_id: 5 }, names: /reference_dataset_id/ },
	'GET /api/monitors/:id': { url: '/api/monitors/12', names: /monitor id/ },
	'DELETE /api/monitors/:id': { url: '/api/monitors/12', names: /monitor id/ },
	'PATCH /api/monitors/:id': { url: '/api/monitors/12', body: { alert_share: 0.5 }, names: /monitor id/ },
	'GET /api/monitors/:id/progress': { url: '/api/monitors/12/progress', names: /monitor id/ },
	'POST /api/monitors/:id/evaluate/cancel': { url: '/api/monitors/12/evaluate/cancel', names: /monitor id/ },
	'POST /api/monitors/:id/evaluate': { url: '/api/monitors/12/evaluate', names: /monitor id/ },
	'GET /api/monitors/:id/evaluations': { url: '/api/monitors/12/evaluations', names: /monitor id/ },
	'POST /api/monitors/:id/evaluations/:evaluation/notebook': { url: `/api/monitors/${UUID}/evaluations/first/notebook`, names: /evaluation id/ },
	'GET /api/webhooks/:id/deliveries': { url: `/api/webhooks/${UUID}/deliveries?limit=lots`, names: /limit/ },
	'POST /api/datasets': { url: '/api/datasets?name=x&format=xlsx', body: 'a,b\n', names: /format/ },
	'GET /api/datasets': { url: '/api/datasets?name=a%2Fb', names: /name/ },
	'GET /api/datasets/:id': { url: '/api/datasets/12', names: /dataset id/ },
	'GET /api/datasets/:id/content': { url: '/api/datasets/12/content', names: /dataset id/ },
	'DELETE /api/datasets/:id': { url: '/api/datasets/12', names: /dataset id/ },
	[`POST ${M}/experiments/create`]: { url: `${M}/experiments/create`, body: { name: { a: 1 } }, names: /'name'/ },
	[`GET ${M}/experiments/get`]: { url: `${M}/experiments/get`, names: /'experiment_id'/ },
	[`GET ${M}/experiments/get-by-name`]: { url: `${M}/experiments/get-by-name`, names: /'experiment_name'/ },
	[`GET ${M}/experiments/search`]: { url: `${M}/experiments/search?max_results=many`, names: /'max_results'/ },
	[`POST ${M}/experiments/search`]: { url: `${M}/experiments/search`, body: { max_results: 'many' }, names: /'max_results'/ },
	[`POST ${M}/experiments/update`]: { url: `${M}/experiments/update`, body: { experiment_id: [] }, names: /'experiment_id'/ },
	[`POST ${M}/experiments/delete`]: { url: `${M}/experiments/delete`, body: { experiment_id: null }, names: /'experiment_id'/ },
	[`POST ${M}/experiments/restore`]: { url: `${M}/experiments/restore`, body: { experiment_id: {} }, names: /'experiment_id'/ },
	[`POST ${M}/experiments/set-experiment-tag`]: {
		url: `${M}/experiments/set-experiment-tag`,
		body: { experiment_id: '1', key: 'k', value: [] },
		names: /'value'/
	},
	[`POST ${M}/experiments/delete-experiment-tag`]: { url: `${M}/experiments/delete-experiment-tag`, body: { experiment_id: '1', key: {} }, names: /'key'/ },
	[`POST ${M}/runs/create`]: { url: `${M}/runs/create`, body: { start_time: 'noon' }, names: /'start_time'/ },
	[`GET ${M}/runs/get`]: { url: `${M}/runs/get`, names: /'run_id'/ },
	[`POST ${M}/runs/update`]: { url: `${M}/runs/update`, body: { run_id: 'r', status: 'DONE' }, names: /'status'/ },
	[`POST ${M}/runs/delete`]: { url: `${M}/runs/delete`, body: { run_id: {} }, names: /'run_id'/ },
	[`POST ${M}/runs/restore`]: { url: `${M}/runs/restore`, body: {}, names: /'run_id'/ },
	[`POST ${M}/runs/log-metric`]: { url: `${M}/runs/log-metric`, body: { run_id: 'r', key: 'k', value: 'high', timestamp: 1 }, names: /'value'/ },
	[`POST ${M}/runs/log-parameter`]: { url: `${M}/runs/log-parameter`, body: { run_id: 'r', key: 'k', value: {} }, names: /'value'/ },
	[`POST ${M}/runs/set-tag`]: { url: `${M}/runs/set-tag`, body: { run_id: 'r', key: [], value: 'v' }, names: /'key'/ },
	[`POST ${M}/runs/delete-tag`]: { url: `${M}/runs/delete-tag`, body: { run_id: 'r' }, names: /'key'/ },
	[`POST ${M}/runs/log-batch`]: {
		url: `${M}/runs/log-batch`,
		body: { run_id: 'r', metrics: [{ key: 'a', value: 1, timestamp: 'now' }] },
		names: /'metrics\.0\.timestamp'/
	},
	[`POST ${M}/runs/log-model`]: { url: `${M}/runs/log-model`, body: { run_id: 'r', model_json: {} }, names: /'model_json'/ },
	[`POST ${M}/runs/log-inputs`]: {
		url: `${M}/runs/log-inputs`,
		body: { run_id: 'r', datasets: [{ dataset: { name: 'd' } }] },
		names: /'datasets\.0\.dataset\.digest'/
	},
	[`POST ${M}/runs/outputs`]: { url: `${M}/runs/outputs`, body: { run_id: 'r', models: [{ model_id: 'm', step: 'first' }] }, names: /'models\.0\.step'/ },
	[`GET ${M}/runs/search`]: { url: `${M}/runs/search?max_results=all`, names: /'max_results'/ },
	[`POST ${M}/runs/search`]: { url: `${M}/runs/search`, body: { experiment_ids: [{}] }, names: /'experiment_ids/ },
	[`GET ${M}/metrics/get-history`]: { url: `${M}/metrics/get-history?run_id=r`, names: /'metric_key'/ },
	[`GET ${M}/artifacts/list`]: { url: `${M}/artifacts/list`, names: /'run_id'/ },
	[`POST ${M}/registered-models/create`]: { url: `${M}/registered-models/create`, body: { name: [] }, names: /'name'/ },
	[`GET ${M}/registered-models/get`]: { url: `${M}/registered-models/get`, names: /'name'/ },
	[`GET ${M}/registered-models/search`]: { url: `${M}/registered-models/search?max_results=x`, names: /'max_results'/ },
	[`POST ${M}/registered-models/search`]: { url: `${M}/registered-models/search`, body: { max_results: [] }, names: /'max_results'/ },
	[`POST ${M}/registered-models/rename`]: { url: `${M}/registered-models/rename`, body: { name: 'a' }, names: /'new_name'/ },
	[`PATCH ${M}/registered-models/update`]: { url: `${M}/registered-models/update`, body: { name: 'a', description: {} }, names: /'description'/ },
	[`DELETE ${M}/registered-models/delete`]: { url: `${M}/registered-models/delete`, body: {}, names: /'name'/ },
	[`POST ${M}/registered-models/set-tag`]: { url: `${M}/registered-models/set-tag`, body: { name: 'a', key: 'k' }, names: /'value'/ },
	[`DELETE ${M}/registered-models/delete-tag`]: { url: `${M}/registered-models/delete-tag`, body: { name: 'a' }, names: /'key'/ },
	[`POST ${M}/registered-models/alias`]: { url: `${M}/registered-models/alias`, body: { name: 'a', alias: 'b', version: [] }, names: /'version'/ },
	[`DELETE ${M}/registered-models/alias`]: { url: `${M}/registered-models/alias`, body: { name: 'a' }, names: /'alias'/ },
	[`GET ${M}/registered-models/alias`]: { url: `${M}/registered-models/alias?name=a`, names: /'alias'/ },
	[`GET ${M}/registered-models/get-latest-versions`]: { url: `${M}/registered-models/get-latest-versions`, names: /'name'/ },
	[`POST ${M}/registered-models/get-latest-versions`]: { url: `${M}/registered-models/get-latest-versions`, body: { name: {} }, names: /'name'/ },
	[`POST ${M}/model-versions/create`]: { url: `${M}/model-versions/create`, body: { name: 'a', source: {} }, names: /'source'/ },
	[`GET ${M}/model-versions/get`]: { url: `${M}/model-versions/get?name=a`, names: /'version'/ },
	[`PATCH ${M}/model-versions/update`]: { url: `${M}/model-versions/update`, body: { name: 'a', version: '1', description: [] }, names: /'description'/ },
	[`DELETE ${M}/model-versions/delete`]: { url: `${M}/model-versions/delete`, body: { name: 'a' }, names: /'version'/ },
	[`GET ${M}/model-versions/search`]: { url: `${M}/model-versions/search?max_results=lots`, names: /'max_results'/ },
	[`POST ${M}/model-versions/search`]: { url: `${M}/model-versions/search`, body: { max_results: 'lots' }, names: /'max_results'/ },
	[`GET ${M}/model-versions/get-download-uri`]: { url: `${M}/model-versions/get-download-uri?name=a`, names: /'version'/ },
	[`POST ${M}/model-versions/set-tag`]: { url: `${M}/model-versions/set-tag`, body: { name: 'a', version: '1', key: 'k' }, names: /'value'/ },
	[`DELETE ${M}/model-versions/delete-tag`]: { url: `${M}/model-versions/delete-tag`, body: { name: 'a', version: '1' }, names: /'key'/ },
	[`POST ${M}/model-versions/transition-stage`]: {
		url: `${M}/model-versions/transition-stage`,
		body: { name: 'a', version: '1', stage: 'Live' },
		names: /stage/i
	},
	[`POST ${M}/logged-models`]: { url: `${M}/logged-models`, body: { experiment_id: [] }, names: /'experiment_id'/ },
	[`POST ${M}/logged-models/search`]: { url: `${M}/logged-models/search`, body: { max_results: 'x' }, names: /'max_results'/ },
	[`GET ${M}/logged-models/:model_id`]: { url: `${M}/logged-models/not-a-model`, names: /not-a-model/ },
	[`PATCH ${M}/logged-models/:model_id`]: { url: `${M}/logged-models/${MODEL}`, body: { status: 'DONE' }, names: /'status'/ },
	[`DELETE ${M}/logged-models/:model_id`]: { url: `${M}/logged-models/not-a-model`, names: /not-a-model/ },
	[`POST ${M}/logged-models/:model_id/params`]: { url: `${M}/logged-models/${MODEL}/params`, body: { params: [{ key: 'k' }] }, names: /'params\.0\.value'/ },
	[`PATCH ${M}/logged-models/:model_id/tags`]: { url: `${M}/logged-models/${MODEL}/tags`, body: { tags: 'x' }, names: /'tags'/ },
	[`DELETE ${M}/logged-models/:model_id/tags/:tag_key{.+}`]: { url: `${M}/logged-models/not-a-model/tags/k`, names: /not-a-model/ },
	[`POST ${M}/webhooks`]: { url: `${M}/webhooks`, body: { name: 'w', url: 'https://example.com/hook', events: 'all' }, names: /'events'/ },
	[`GET ${M}/webhooks`]: { url: `${M}/webhooks?max_results=many`, names: /'max_results'/ },
	[`GET ${M}/webhooks/:id`]: { url: `${M}/webhooks/not-a-hook`, names: /not-a-hook/ },
	[`PATCH ${M}/webhooks/:id`]: { url: `${M}/webhooks/${UUID}`, body: { status: 'LIVE' }, names: /'status'/ },
	[`DELETE ${M}/webhooks/:id`]: { url: `${M}/webhooks/not-a-hook`, names: /not-a-hook/ },
	[`POST ${M}/webhooks/:id/test`]: { url: `${M}/webhooks/${UUID}/test`, body: { event: { entity: 'PLANET', action: 'CREATED' } }, names: /'event/ },
	'GET /api/2.0/mlflow-artifacts/artifacts': { url: '/api/2.0/mlflow-artifacts/artifacts?path=../x', names: /path/ },
	'PUT /api/2.0/mlflow-artifacts/artifacts/*': { url: '/api/2.0/mlflow-artifacts/artifacts/a%2F..%2F..%2Fx', body: 'bytes', names: /path/ },
	'GET /api/2.0/mlflow-artifacts/artifacts/*': { url: '/api/2.0/mlflow-artifacts/artifacts/a%2F..%2Fx', names: /path/ },
	'DELETE /api/2.0/mlflow-artifacts/artifacts/*': { url: '/api/2.0/mlflow-artifacts/artifacts/a%5Cb', names: /path|[Bb]ackslash/ }
};

/** Routes that take no input at all: nothing to get wrong, they must answer 200. */
const NO_INPUT = new Set(['GET /api/health', 'GET /api/notebooks', 'GET /api/tokens', 'GET /api/metrics', 'GET /api/monitors']);
/** Answered 404 by design (an unknown id of the right shape is not a type error): still never 500. */
const NOT_FOUND_OK = new Set([
	'GET /api/review-links/current', // without a review link
	`GET ${M}/logged-models/:model_id`,
	`DELETE ${M}/logged-models/:model_id`,
	`DELETE ${M}/logged-models/:model_id/tags/:tag_key{.+}`,
	// MLflow answers an unknown webhook id RESOURCE_DOES_NOT_EXIST, whatever its shape.
	`GET ${M}/webhooks/:id`,
	`DELETE ${M}/webhooks/:id`
]);
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function routeKeys(app: Hono): string[] {
	const keys = new Set<string>();
	for (const r of app.routes) if (r.method !== 'ALL') keys.add(`${r.method} ${r.path}`);
	return [...keys];
}

const errorMessage = (body: any): string => body?.error?.message ?? body?.message ?? '';

for (const factory of targets) {
	describe.runIf(factory.enabled)(`input validation on every route on ${factory.kind}`, () => {
		let target: StoreTarget;
		let store: Store;
		let app: Hono;
		let deep: string;

		beforeAll(async () => {
			target = await factory.create();
			store = await openStore(target.options);
			app = createApp({ store, version: 'test', auth: false, artifactRoot: join(target.dir, 'artifacts'), maxDatasetBytes: MAX_JSON_BODY_BYTES });
			vi.stubEnv('DRIFTBOOK_MAX_ARTIFACT_BYTES', String(MAX_JSON_BODY_BYTES));
			deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
		});

		afterAll(async () => {
			vi.unstubAllEnvs();
			await store?.close();
			await target?.dispose();
		});

		it('has a case for every route of the app (add one with each new route)', () => {
			const keys = routeKeys(app);
			expect(keys.length).toBeGreaterThan(80);
			expect(keys.filter((k) => !(k in CASES))).toEqual([]);
			expect(Object.keys(CASES).filter((k) => !keys.includes(k))).toEqual([]);
		});

		it('answers wrong-typed input with 400 and a message naming the field, never 500', async () => {
			const failures: string[] = [];
			for (const key of routeKeys(app)) {
				const [method] = key.split(' ');
				const c = CASES[key];
				const body = c.body === undefined ? undefined : typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
				const res = await app.request(c.url, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body }) });
				const json = await res.json().catch(() => undefined);
				const expected = NO_INPUT.has(key) ? 200 : NOT_FOUND_OK.has(key) ? 404 : 400;
				if (res.status !== expected || (expected !== 200 && !c.names.test(errorMessage(json)))) {
					failures.push(`${key} → ${res.status} ${JSON.stringify(json)?.slice(0, 300)}`);
				}
			}
			expect(failures).toEqual([]);
		});

		it('answers 10,000 levels of nesting with 400 on every route that takes a body', async () => {
			const failures: string[] = [];
			for (const key of routeKeys(app)) {
				const [method] = key.split(' ');
				if (!WRITES.has(method)) continue;
				const c = CASES[key];
				const res = await app.request(c.url, { method, headers: { 'content-type': 'application/json' }, body: deep });
				const json = await res.json().catch(() => undefined);
				// Routes whose path is already wrong answer that first: also a 400. Uploads store bytes, not JSON.
				const ok = res.status === 400 && (c.body === undefined || typeof c.body === 'string' || /deeper than 64 levels/.test(errorMessage(json)));
				if (!ok && !(NOT_FOUND_OK.has(key) && res.status === 404)) failures.push(`${key} → ${res.status} ${JSON.stringify(json)?.slice(0, 200)}`);
			}
			expect(failures).toEqual([]);
		});

		it('answers bodies over the limit with 413 on every write route', async () => {
			const failures: string[] = [];
			for (const key of routeKeys(app)) {
				const [method] = key.split(' ');
				if (!WRITES.has(method)) continue;
				const c = CASES[key];
				// Refused on the declared Content-Length (browsers and the Python client send it) before a
				// byte is read, so a short body stands in; a chunked body is counted while read (below).
				const url =
					key === 'POST /api/datasets'
						? '/api/datasets?name=x&format=csv'
						: key.startsWith('PUT /api/2.0/mlflow-artifacts')
							? '/api/2.0/mlflow-artifacts/artifacts/a/b'
							: c.url;
				const res = await app.request(url, { method, headers: { 'content-length': String(MAX_JSON_BODY_BYTES + 1) }, body: '{}' });
				const json = await res.json().catch(() => undefined);
				if (res.status !== 413 || !/limit/.test(errorMessage(json))) failures.push(`${key} → ${res.status} ${JSON.stringify(json)?.slice(0, 200)}`);
			}
			expect(failures).toEqual([]);
		});

		it.each([
			['a NUL character', 'a\u0000b', /probe_field"? contains a NUL character/],
			['a lone surrogate', 'a\ud800b', /probe_field"? contains a lone UTF-16 surrogate/]
		])('answers %s in any text field with 400 naming the field, on every route', async (_, text, names) => {
			const failures: string[] = [];
			for (const key of routeKeys(app)) {
				const [method] = key.split(' ');
				const c = CASES[key];
				// In the query on every route (a lone surrogate has no percent-encoding: body only); in a
				// JSON body on every write route (uploads store bytes).
				if (text.includes('\u0000')) {
					const inQuery = await app.request(`${c.url}${c.url.includes('?') ? '&' : '?'}probe_field=${encodeURIComponent(text)}`, { method });
					const queryJson = await inQuery.json().catch(() => undefined);
					if (inQuery.status !== 400 || !names.test(errorMessage(queryJson)))
						failures.push(`${key} (query) → ${inQuery.status} ${JSON.stringify(queryJson)?.slice(0, 200)}`);
				}
				if (!WRITES.has(method) || key === 'POST /api/datasets' || key.startsWith('PUT /api/2.0/mlflow-artifacts')) continue;
				const body = JSON.stringify({ tags: [{ key: 'k', value: 'v' }], probe_field: text });
				const res = await app.request(c.url, { method, headers: { 'content-type': 'application/json' }, body });
				const json = await res.json().catch(() => undefined);
				// Routes whose path is already wrong answer that first: also a 400.
				if (res.status !== 400 || (c.body !== undefined && !names.test(errorMessage(json)))) {
					if (!(NOT_FOUND_OK.has(key) && res.status === 404)) failures.push(`${key} (body) → ${res.status} ${JSON.stringify(json)?.slice(0, 200)}`);
				}
			}
			expect(failures).toEqual([]);
		});

		it('answers NUL in a stored field, a NUL path segment and an out-of-range integer string with 400, never 500', async () => {
			const post = (path: string, body: unknown) =>
				app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
			const exp = await (await post(`${M}/experiments/create`, { name: 'nul-probe' })).json();
			const run = (await (await post(`${M}/runs/create`, { experiment_id: exp.experiment_id })).json()).run.info.run_id;
			const tag = await post(`${M}/runs/set-tag`, { run_id: run, key: 'k', value: 'bad\u0000value' });
			expect([tag.status, errorMessage(await tag.json())]).toEqual([400, expect.stringContaining('value contains a NUL character')]);
			const search = await post(`${M}/runs/search`, { experiment_ids: [exp.experiment_id], filter: "tags.k = 'a\u0000'" });
			expect([search.status, errorMessage(await search.json())]).toEqual([400, expect.stringContaining('filter contains a NUL character')]);
			const notebook = await app.request('/api/notebooks/a%00b');
			expect(notebook.status).toBe(400);
			const metric = await post(`${M}/runs/log-metric`, { run_id: run, key: 'm', value: 1, timestamp: '99999999999999999999' });
			expect([metric.status, errorMessage(await metric.json())]).toEqual([400, expect.stringContaining('timestamp')]);
			const percent = await app.request('/api/notebooks/%ff');
			expect([percent.status, percent.headers.get('content-type')]).toEqual([400, expect.stringContaining('application/json')]);
		});

		it('counts a chunked JSON body while reading it', async () => {
			const chunk = new Uint8Array(1024 * 1024).fill(0x20);
			let sent = 0;
			const body = new ReadableStream<Uint8Array>({
				pull(controller) {
					if (sent > MAX_JSON_BODY_BYTES) return controller.close();
					sent += chunk.byteLength;
					controller.enqueue(chunk);
				}
			});
			const res = await app.request('/api/notebooks', { method: 'POST', body, duplex: 'half' } as RequestInit);
			expect(res.status).toBe(413);
			expect((await res.json()).error.code).toBe('too_large');
			expect(sent).toBeLessThanOrEqual(MAX_JSON_BODY_BYTES + 2 * chunk.byteLength);
		});

		it('logs NaN and ±Infinity metrics as MLflow does: strings or bare tokens in, strings out', async () => {
			const exp = await (await app.request(`${M}/experiments/create`, { method: 'POST', body: JSON.stringify({ name: 'nan' }) })).json();
			const run = (await (await app.request(`${M}/runs/create`, { method: 'POST', body: JSON.stringify({ experiment_id: exp.experiment_id }) })).json()).run;
			const id = run.info.run_id;
			const log = (text: string) => app.request(`${M}/runs/log-metric`, { method: 'POST', body: text });
			expect((await log(`{"run_id":"${id}","key":"a","value":"NaN","timestamp":1}`)).status).toBe(200);
			expect((await log(`{"run_id":"${id}","key":"b","value":NaN,"timestamp":1}`)).status).toBe(200);
			expect((await log(`{"run_id":"${id}","key":"c","value":-Infinity,"timestamp":1}`)).status).toBe(200);
			expect((await log(`{"run_id":"${id}","key":"d","value":"Infinity","timestamp":1}`)).status).toBe(200);
			const batch = await app.request(`${M}/runs/log-batch`, {
				method: 'POST',
				body: `{"run_id":"${id}","metrics":[{"key":"e","value":Infinity,"timestamp":1,"step":0}]}`
			});
			expect(batch.status).toBe(200);
			const got = (await (await app.request(`${M}/runs/get?run_id=${id}`)).json()).run.data.metrics;
			expect(Object.fromEntries(got.map((m: { key: string; value: unknown }) => [m.key, m.value]))).toEqual({
				a: 'NaN',
				b: 'NaN',
				c: '-Infinity',
				d: 'Infinity',
				e: 'Infinity'
			});
		});
	});
}
