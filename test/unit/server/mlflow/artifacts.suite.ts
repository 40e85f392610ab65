import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { errorOf, type MlflowHarness, type SuiteContext, type Api } from './helpers';

const BASE = '/api/2.0/mlflow-artifacts/artifacts';
// Paths of this suite's own, apart from the runs other suites log to.
const P = 'artifacts-suite';

/** Registers the suite; `ctx` holds the harness the caller opened (one per store). */
export function artifactsSuite(ctx: SuiteContext): void {
	describe('MLflow artifacts API', () => {
		let h: MlflowHarness;
		let api: Api;

		beforeAll(async () => {
			h = ctx.h;
			api = ctx.api;
		});
		afterEach(() => {
			vi.unstubAllEnvs();
		});

		const put = (path: string, body: BodyInit | null, headers: Record<string, string> = {}) =>
			h.app.request(`${BASE}/${path}`, { method: 'PUT', body, headers, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
		const get = (path: string) => h.app.request(`${BASE}/${path}`);
		const list = (path?: string) => api('GET', BASE, path === undefined ? {} : { path });

		it('stores bytes content-addressed and gives them back', async () => {
			const bytes = new Uint8Array(256).map((_, i) => i);
			const sha = createHash('sha256').update(bytes).digest('hex');
			const res = await put(`${P}/1/run/artifacts/model/model.pkl`, bytes, { 'Content-Type': 'application/octet-stream' });
			expect(res.status).toBe(200);
			expect(await res.json()).toEqual({});
			const back = await get(`${P}/1/run/artifacts/model/model.pkl`);
			expect(back.status).toBe(200);
			expect(new Uint8Array(await back.arrayBuffer())).toEqual(bytes);
			expect(back.headers.get('content-length')).toBe('256');
			expect(await readFile(join(h.artifactRoot, sha.slice(0, 2), sha))).toEqual(Buffer.from(bytes));

			// the same bytes under another path: one file
			await put(`${P}/1/run/artifacts/copy.pkl`, bytes);
			const blobs = (await readdir(join(h.artifactRoot, sha.slice(0, 2)))).filter((f) => f === sha);
			expect(blobs).toHaveLength(1);
			const [{ n }] = await h.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM mlflow_artifacts WHERE sha256 = $1`, [sha]);
			expect(n).toBe(2);

			// overwrite
			await put(`${P}/1/run/artifacts/copy.pkl`, 'new text', { 'Content-Type': 'text/plain' });
			expect(await (await get(`${P}/1/run/artifacts/copy.pkl`)).text()).toBe('new text');
			// names with spaces and unicode survive the URL
			await put(`${P}/1/run/artifacts/${encodeURIComponent('my file ü.txt')}`, 'spaced');
			expect(await (await get(`${P}/1/run/artifacts/${encodeURIComponent('my file ü.txt')}`)).text()).toBe('spaced');
			// empty file
			expect((await put(`${P}/1/run/artifacts/empty`, '')).status).toBe(200);
			expect((await get(`${P}/1/run/artifacts/empty`)).headers.get('content-length')).toBe('0');
		});

		it('lists basenames, directories first-class, and {} for empty or missing', async () => {
			await put(`${P}/2/r/artifacts/model/MLmodel`, 'flavors: {}');
			await put(`${P}/2/r/artifacts/model/code/helper.py`, 'print(1)');
			await put(`${P}/2/r/artifacts/metrics.json`, '{"a": 1}');
			await put(`${P}/2/r2/artifacts/x`, 'x');
			const root = await list(`${P}/2/r/artifacts`);
			expect(root.status).toBe(200);
			expect(root.body).toEqual({
				files: [
					{ path: 'metrics.json', is_dir: false, file_size: 8 },
					{ path: 'model', is_dir: true }
				]
			});
			expect((await list(`${P}/2/r/artifacts/model/`)).body.files).toEqual([
				{ path: 'MLmodel', is_dir: false, file_size: 11 },
				{ path: 'code', is_dir: true }
			]);
			expect((await list(`${P}/2/r/artifacts/model/code`)).body.files).toEqual([{ path: 'helper.py', is_dir: false, file_size: 8 }]);
			expect((await list(`${P}/2`)).body.files).toEqual([
				{ path: 'r', is_dir: true },
				{ path: 'r2', is_dir: true }
			]);
			expect((await list()).body.files.map((f: { path: string }) => f.path)).toContain(P);
			// a missing directory, an empty one and a file are all {}
			expect(await list(`${P}/2/r/artifacts/nothing-here`)).toMatchObject({ status: 200, body: {} });
			expect(await list(`${P}/2/r/artifacts/metrics.json`)).toMatchObject({ status: 200, body: {} });
			// "model" is not "model-extra"
			await put(`${P}/2/r/artifacts/model-extra/f`, 'f');
			expect((await list(`${P}/2/r/artifacts/model`)).body.files.map((f: { path: string }) => f.path)).toEqual(['MLmodel', 'code']);
		});

		it('answers a missing file with 404 RESOURCE_DOES_NOT_EXIST, and deletes', async () => {
			const missing = await get(`${P}/2/r/artifacts/none.bin`);
			expect(missing.status).toBe(404);
			expect(await missing.json()).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
			expect((await get(`${P}/2/r/artifacts/model`)).status).toBe(404); // a directory is not a file
			await put(`${P}/3/a/one`, '1');
			await put(`${P}/3/a/sub/two`, '2');
			expect((await h.app.request(`${BASE}/${P}/3/a/one`, { method: 'DELETE' })).status).toBe(200);
			expect((await get(`${P}/3/a/one`)).status).toBe(404);
			expect((await h.app.request(`${BASE}/${P}/3/a`, { method: 'DELETE' })).status).toBe(200);
			expect(await list(`${P}/3/a`)).toMatchObject({ body: {} });
			expect((await h.app.request(`${BASE}/${P}/3/a`, { method: 'DELETE' })).status).toBe(404);
		});

		it('refuses path traversal, absolute paths and backslashes with 400', async () => {
			for (const path of ['..%2F..%2Fetc%2Fpasswd', 'a/..%2Fb', '%2Fetc/passwd', '/etc/passwd', 'a%5Cb', 'C:/x', 'a/%2E%2E%2Fb', 'bad%ZZ']) {
				const res = await put(path, 'x');
				expect(res.status, path).toBe(400);
				expect(await res.json(), path).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
				expect((await get(path)).status, path).toBe(400);
			}
			for (const path of ['../x', '/abs', 'a/../../b', 'a\\b']) {
				expect(errorOf(await list(path)), path).toMatchObject({ status: 400, error_code: 'INVALID_PARAMETER_VALUE' });
			}
			const [{ n }] = await h.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM mlflow_artifacts WHERE path LIKE '%..%' OR path LIKE '/%'`);
			expect(n).toBe(0);
		});

		it('refuses files over DRIFTBOOK_MAX_ARTIFACT_BYTES, keeping nothing of them', async () => {
			vi.stubEnv('DRIFTBOOK_MAX_ARTIFACT_BYTES', '10');
			expect((await put(`${P}/4/ok`, '0123456789')).status).toBe(200);
			const declared = await put(`${P}/4/too-big`, '0123456789A');
			expect(declared.status).toBe(413);
			expect(await declared.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining('limit of 10 bytes') });
			// streamed, with no Content-Length to go by
			const chunks = ['01234', '56789', 'AB'];
			const stream = new ReadableStream<Uint8Array>({
				pull(controller) {
					const next = chunks.shift();
					if (next === undefined) controller.close();
					else controller.enqueue(new TextEncoder().encode(next));
				}
			});
			const streamed = await put(`${P}/4/streamed`, stream);
			expect(streamed.status).toBe(413);
			expect((await streamed.json()).message).toContain('DRIFTBOOK_MAX_ARTIFACT_BYTES');
			expect((await get(`${P}/4/too-big`)).status).toBe(404);
			expect((await get(`${P}/4/streamed`)).status).toBe(404);
			expect(await readdir(join(h.artifactRoot, 'tmp'))).toEqual([]);
		});

		it('lists a run’s artifacts through the tracking API (artifacts/list)', async () => {
			const run = (await api('POST', 'runs/create', {})).body.run.info;
			const dir = run.artifact_uri.replace('mlflow-artifacts:/', '');
			await put(`${dir}/model/MLmodel`, 'm');
			await put(`${dir}/plot.png`, 'png');
			const top = await api('GET', 'artifacts/list', { run_id: run.run_id });
			expect(top.body).toEqual({
				root_uri: run.artifact_uri,
				files: [
					{ path: 'model', is_dir: true },
					{ path: 'plot.png', is_dir: false, file_size: 3 }
				]
			});
			expect((await api('GET', 'artifacts/list', { run_id: run.run_id, path: 'model' })).body.files).toEqual([
				{ path: 'model/MLmodel', is_dir: false, file_size: 1 }
			]);
			expect(errorOf(await api('GET', 'artifacts/list', { run_id: 'f'.repeat(32) }))).toMatchObject({ status: 404 });
		});
	});
}
