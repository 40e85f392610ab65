import { expect, test } from './fixtures';

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
