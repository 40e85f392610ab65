import { expect, test } from './fixtures';
import { Agent, request as httpRequest } from 'node:http';
import { send } from '../support/http-client';
import { MAX_JSON_BODY_BYTES } from '#server/http/json-body.ts';

// The production server (server/main.js) as programs use it: no Origin header, text/plain
// uploads larger than adapter-node's default body limit, and cross-site writes refused.
test('a program can upload a large text/plain artifact, a cross-site page cannot write', async ({ request, baseURL }) => {
	const health = await request.get('/api/health');
	expect(health.status()).toBe(200);
	const headers = health.headers();
	expect(headers['cross-origin-opener-policy']).toBe('same-origin');
	expect(headers['cross-origin-embedder-policy']).toBe('require-corp');

	const experiment = await request.post('/api/2.0/mlflow/experiments/create', { data: { name: `http-${Date.now()}` } });
	expect(experiment.status()).toBe(200);
	const { experiment_id } = await experiment.json();
	const run = await request.post('/api/2.0/mlflow/runs/create', { data: { experiment_id, start_time: Date.now() } });
	const { run: created } = await run.json();
	const body = 'numpy==2.0\n'.repeat(100_000); // 1.1 MB, over the 512 KB default
	const path = `${experiment_id}/${created.info.run_id}/artifacts/model/requirements.txt`;
	const put = await request.put(`/api/2.0/mlflow-artifacts/artifacts/${path}`, { data: body, headers: { 'content-type': 'text/plain' } });
	expect(put.status()).toBe(200);
	const get = await request.get(`/api/2.0/mlflow-artifacts/artifacts/${path}`);
	expect(await get.text()).toBe(body);

	const forged = await request.post('/api/2.0/mlflow/experiments/create', {
		data: 'name=forged',
		headers: { origin: 'https://evil.example', 'content-type': 'text/plain' }
	});
	expect(forged.status()).toBe(403);
	expect((await forged.json()).error.message).toContain('cross-site POST from https://evil.example refused');
	const own = await request.post('/api/2.0/mlflow/experiments/create', { data: { name: `own-${Date.now()}` }, headers: { origin: baseURL! } });
	expect(own.status(), await own.text()).toBe(200);
});

/** A request over node:http exactly as given: no Content-Type unless `headers` has one (Playwright adds one). */
function rawRequest(base: string, method: string, path: string, body: string | Buffer, headers: Record<string, string> = {}) {
	return new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
		const req = httpRequest(new URL(path, base), { method, headers: { 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (d: Buffer) => chunks.push(d));
			res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks) }));
		});
		req.on('error', reject);
		req.end(body);
	});
}

test('a body without Content-Type is read, never dropped (curl -T, bare JSON)', async ({ request, baseURL }) => {
	const name = `untyped-${Date.now()}`;
	const created = await rawRequest(baseURL!, 'POST', '/api/2.0/mlflow/experiments/create', JSON.stringify({ name }));
	expect(created.status, created.body.toString()).toBe(200);
	const { experiment_id } = JSON.parse(created.body.toString());
	const run = await rawRequest(baseURL!, 'POST', '/api/2.0/mlflow/runs/create', JSON.stringify({ experiment_id, run_name: 'bare-json' }));
	expect(run.status).toBe(200);
	const info = JSON.parse(run.body.toString()).run.info;
	expect([info.experiment_id, info.run_name]).toEqual([experiment_id, 'bare-json']);

	const bytes = Buffer.from('raw bytes, no content type\n'.repeat(1000));
	const path = `${experiment_id}/${info.run_id}/artifacts/untyped.bin`;
	const put = await rawRequest(baseURL!, 'PUT', `/api/2.0/mlflow-artifacts/artifacts/${path}`, bytes);
	expect(put.status).toBe(200);
	const get = await request.get(`/api/2.0/mlflow-artifacts/artifacts/${path}`);
	expect(Buffer.compare(await get.body(), bytes)).toBe(0);
});

test('the app serves /ajax-api/2.0/mlflow/… as /api/2.0/mlflow/…, and answers a malformed path with JSON', async ({ request }) => {
	const created = await request.post('/ajax-api/2.0/mlflow/experiments/create', { data: { name: `ajax-${Date.now()}` } });
	expect(created.status(), await created.text()).toBe(200);
	const { experiment_id } = await created.json();
	const viaAjax = await request.get(`/ajax-api/2.0/mlflow/experiments/get?experiment_id=${experiment_id}`);
	const viaApi = await request.get(`/api/2.0/mlflow/experiments/get?experiment_id=${experiment_id}`);
	expect(await viaAjax.json()).toEqual(await viaApi.json());

	const malformed = await request.get('/api/notebooks/%ff');
	expect(malformed.status()).toBe(400);
	expect(malformed.headers()['content-type']).toContain('application/json');
});

test('a chunked body over the JSON limit is answered with a JSON 413, and its connection carries the next request', async ({ baseURL }) => {
	const agent = new Agent({ keepAlive: true, maxSockets: 1 });
	try {
		const over = await send(baseURL!, '/api/2.0/mlflow/experiments/create', agent, { size: MAX_JSON_BODY_BYTES + 16 * 1024 * 1024 });
		expect([over.status, over.type]).toEqual([413, expect.stringContaining('application/json')]);
		expect(JSON.parse(over.text).message).toContain(`larger than the limit of ${MAX_JSON_BODY_BYTES} bytes`);
		// The rest of the body was read and dropped, not reset: the same connection answers again.
		const next = await send(baseURL!, '/api/health', agent);
		expect([next.status, next.reused]).toEqual([200, true]);
	} finally {
		agent.destroy();
	}
});

/** A GET over node:http with its answer's raw headers (Playwright's request joins and normalises them). */
function rawGet(base: string, path: string) {
	return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
		httpRequest(new URL(path, base), (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (d: Buffer) => chunks.push(d));
			res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
		})
			.on('error', reject)
			.end();
	});
}

// server/main.js hands /api, /ajax-api and GET /metrics to the API's own node:http listener before
// SvelteKit. The wire shows which answered: SvelteKit's node adapter streams an endpoint's
// Response body chunk by chunk (Transfer-Encoding: chunked, no length), while the API's listener
// writes a body made in memory whole, with its Content-Length. Pages still come from SvelteKit.
test('npm start answers /api, /ajax-api and /metrics without SvelteKit: whole answers with their length', async ({ baseURL }) => {
	for (const path of ['/api/health', '/api/no-such-route', '/ajax-api/2.0/mlflow/experiments/search?max_results=1', '/metrics']) {
		const answer = await rawGet(baseURL!, path);
		expect(answer.status, `${path}: ${answer.body.toString()}`).toBeLessThan(500);
		expect([path, answer.headers['transfer-encoding'], answer.headers['content-length']]).toEqual([path, undefined, String(answer.body.length)]);
		expect(answer.headers['cross-origin-embedder-policy']).toBe('require-corp');
	}
	const page = await rawGet(baseURL!, '/');
	expect([page.status, page.headers['x-sveltekit-page']]).toEqual([200, 'true']);
});
