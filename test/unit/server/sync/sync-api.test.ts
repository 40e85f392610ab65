import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '#server/app.ts';
import { createToken } from '#server/tokens/service.ts';
import { openStore, type Queryable, type Store } from '#server/store/index.ts';
import { targets, warnIfPostgresSkipped, type StoreTarget } from '../targets';

warnIfPostgresSkipped('sync-api.test.ts');

type Answer = { status: number; body: any; headers: Headers };
const NOTEBOOK = (title: string) => `---\ntitle: ${title}\n---\nText.\n`;

for (const factory of targets) {
	describe.runIf(factory.enabled)(`browser sync and Idempotency-Key on ${factory.kind}`, () => {
		let target: StoreTarget;
		let store: Store;
		let app: Hono;

		async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, on: Hono = app): Promise<Answer> {
			const res = await on.request(path, {
				method,
				headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
				...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) })
			});
			return { status: res.status, body: await res.json(), headers: res.headers };
		}
		/**
		 * The app on the same store, with `onMetricSlice` called as each statement writing a slice
		 * of metrics is sent (it may throw, failing that statement as the database would).
		 */
		function appOnWatchedStore(onMetricSlice: () => void): Hono {
			const watch =
				(db: Queryable): Queryable['query'] =>
				async (sql, params) => {
					if (sql.startsWith('INSERT INTO mlflow_metrics ')) onMetricSlice();
					return db.query(sql, params);
				};
			const watched: Store = { ...store, query: watch(store), transaction: (fn) => store.transaction((tx) => fn({ ...tx, query: watch(tx) })) };
			return createApp({ store: watched, version: 'test', auth: false, artifactRoot: join(target.dir, 'artifacts') });
		}
		const count = async (sql: string, params: unknown[] = []) => Number((await store.query<{ n: number }>(sql, params))[0].n);

		beforeAll(async () => {
			target = await factory.create();
			store = await openStore(target.options);
			app = createApp({ store, version: 'test', auth: false, artifactRoot: join(target.dir, 'artifacts') });
		});

		afterAll(async () => {
			await store?.close();
			await target?.dispose();
		});

		const run = (key: string, extra: Record<string, unknown> = {}) => ({
			idempotency_key: key,
			experiment_name: 'browser drift',
			run_name: 'weekly check',
			start_time: 1_700_000_000_000,
			end_time: 1_700_000_005_000,
			params: { window: '7d', detector: 'psi' },
			metrics: [
				{ key: 'psi', value: 0.21, step: 0 },
				{ key: 'psi', value: 0.34, step: 1, timestamp: 1_700_000_004_000 },
				{ key: 'ks_p', value: 'NaN' },
				{ key: 'ratio', value: 'Infinity' },
				{ key: 'low', value: '-Infinity' }
			],
			tags: { 'driftbook.notebook': 'churn' },
			artifacts: [{ path: 'reports/drift.json', content: '{"drifted":["age"]}', content_type: 'application/json' }],
			...extra
		});

		it('creates the experiment and the whole run, readable through the MLflow API', async () => {
			const first = await call('POST', '/api/sync/runs', run('key-0001-aaaa'));
			expect(first.status).toBe(201);
			expect(first.body).toEqual({ run_id: expect.stringMatching(/^[0-9a-f]{32}$/), experiment_id: expect.any(String), replayed: false });
			const got = await call('GET', `/api/2.0/mlflow/runs/get?run_id=${first.body.run_id}`);
			const { info, data } = got.body.run;
			expect(info).toMatchObject({
				run_name: 'weekly check',
				status: 'FINISHED',
				start_time: 1_700_000_000_000,
				end_time: 1_700_000_005_000,
				experiment_id: first.body.experiment_id
			});
			expect(data.params).toEqual([
				{ key: 'detector', value: 'psi' },
				{ key: 'window', value: '7d' }
			]);
			const metrics = Object.fromEntries(data.metrics.map((m: { key: string; value: unknown }) => [m.key, m.value]));
			expect(metrics).toEqual({ psi: 0.34, ks_p: 'NaN', ratio: 'Infinity', low: '-Infinity' });
			expect(data.tags).toContainEqual({ key: 'driftbook.notebook', value: 'churn' });
			const history = await call('GET', `/api/2.0/mlflow/metrics/get-history?run_id=${first.body.run_id}&metric_key=psi`);
			expect(history.body.metrics.map((m: { value: number }) => m.value)).toEqual([0.21, 0.34]);
			const exp = await call('GET', '/api/2.0/mlflow/experiments/get-by-name?experiment_name=browser%20drift');
			expect(exp.body.experiment.experiment_id).toBe(first.body.experiment_id);
			const artifact = await app.request(`/api/2.0/mlflow-artifacts/artifacts/${first.body.experiment_id}/${first.body.run_id}/artifacts/reports/drift.json`);
			expect(await artifact.text()).toBe('{"drifted":["age"]}');
		});

		it('answers a replay with the same run and never makes a second, also when replays race', async () => {
			const first = await call('POST', '/api/sync/runs', run('key-0002-bbbb'));
			const again = await call('POST', '/api/sync/runs', run('key-0002-bbbb'));
			expect(again.status).toBe(200);
			expect(again.body).toEqual({ ...first.body, replayed: true });
			const racing = await Promise.all(Array.from({ length: 6 }, () => call('POST', '/api/sync/runs', run('key-0003-cccc'))));
			const ids = new Set(racing.map((r) => r.body.run_id));
			expect(ids.size).toBe(1);
			expect(racing.filter((r) => r.body.replayed === false)).toHaveLength(1);
			expect(await count(`SELECT count(*) AS n FROM sync_runs WHERE idempotency_key IN ('key-0002-bbbb', 'key-0003-cccc')`)).toBe(2);
			expect(await count(`SELECT count(*) AS n FROM mlflow_runs WHERE run_id = ANY($1)`, [[first.body.run_id, ...ids]])).toBe(2);
			// The racers that lost removed the runs they had begun.
			expect(await count(`SELECT count(*) AS n FROM mlflow_runs WHERE lifecycle_stage = 'deleted'`)).toBe(0);
		});

		it("reads Python's bare NaN and Infinity tokens", async () => {
			const text = JSON.stringify(run('key-0004-dddd', { metrics: [{ key: 'a', value: 1 }] })).replace(
				'"value":1',
				'"value":NaN},{"key":"b","value":-Infinity},{"key":"c","value":Infinity'
			);
			const res = await call('POST', '/api/sync/runs', text);
			expect(res.status).toBe(201);
			const got = await call('GET', `/api/2.0/mlflow/runs/get?run_id=${res.body.run_id}`);
			expect(Object.fromEntries(got.body.run.data.metrics.map((m: { key: string; value: unknown }) => [m.key, m.value]))).toEqual({
				a: 'NaN',
				b: '-Infinity',
				c: 'Infinity'
			});
			// A bare NaN inside a string stays text.
			const quoted = await call('POST', '/api/sync/runs', JSON.stringify(run('key-0005-eeee', { params: { note: 'NaN Infinity' } })));
			const params = (await call('GET', `/api/2.0/mlflow/runs/get?run_id=${quoted.body.run_id}`)).body.run.data.params;
			expect(params).toContainEqual({ key: 'note', value: 'NaN Infinity' });
		});

		it('refuses bad input with 400 naming the field, and keeps nothing of a run that fails half-way', async () => {
			const before = await count(`SELECT count(*) AS n FROM mlflow_runs`);
			const badValue = await call('POST', '/api/sync/runs', run('key-0006-ffff', { metrics: [{ key: 'x', value: 'high' }] }));
			expect(badValue.status).toBe(400);
			expect(badValue.body.error.message).toMatch(/metrics\[0\]\.value|metrics.*value/);
			const noKey = await call('POST', '/api/sync/runs', { experiment_name: 'x' });
			expect(noKey.status).toBe(400);
			expect(noKey.body.error.message).toMatch(/idempotency_key/);
			// A bad metric name among good ones: refused before the experiment or the run is made.
			const halfway = await call(
				'POST',
				'/api/sync/runs',
				run('key-0007-gggg', {
					experiment_name: 'never made',
					metrics: [
						{ key: 'ok', value: 1 },
						{ key: '../etc', value: 2 }
					]
				})
			);
			expect(halfway.status).toBe(400);
			expect(halfway.body.error.message).toMatch(/\.\.\/etc/);
			expect(await count(`SELECT count(*) AS n FROM mlflow_runs`)).toBe(before);
			expect(await count(`SELECT count(*) AS n FROM mlflow_experiments WHERE name = 'never made'`)).toBe(0);
			expect(await count(`SELECT count(*) AS n FROM sync_runs WHERE idempotency_key = 'key-0007-gggg'`)).toBe(0);
			const badPath = await call('POST', '/api/sync/runs', run('key-0008-hhhh', { artifacts: [{ path: '../x', content: '' }] }));
			expect(badPath.status).toBe(400);
			expect(badPath.body.error.message).toMatch(/artifacts path/);
		});

		it('answers other requests while a 50,000-metric sync is being written', { timeout: 180_000 }, async () => {
			const total = 50_000;
			const slices = total / 1000;
			let written = 0;
			let firstWrite!: () => void;
			const writing = new Promise<void>((resolve) => (firstWrite = resolve));
			const watchedApp = appOnWatchedStore(() => {
				written++;
				firstWrite();
			});

			const metrics = Array.from({ length: total }, (_, i) => ({ key: `m${i % 10}`, value: i / 7, step: i }));
			let synced = false;
			const sync = call('POST', '/api/sync/runs', run('key-0009-big', { metrics }), {}, watchedApp).finally(() => (synced = true));
			await writing;
			const health = await call('GET', '/api/health', undefined, {}, watchedApp);
			// Health answered between two slices of the sync, not after it (no clock involved).
			expect(health.status).toBe(200);
			expect({ synced, beforeLastSlice: written < slices }).toEqual({ synced: false, beforeLastSlice: true });

			const done = await sync;
			expect(done.status).toBe(201);
			expect(written).toBe(slices);
			expect(await count(`SELECT count(*) AS n FROM mlflow_metrics WHERE run_id = $1`, [done.body.run_id])).toBe(total);
			const latest = await call('GET', `/api/2.0/mlflow/runs/get?run_id=${done.body.run_id}`);
			expect(latest.body.run.data.metrics).toContainEqual({ key: 'm9', value: (total - 1) / 7, timestamp: 1_700_000_005_000, step: total - 1 });
		});

		it('keeps no trace of a sync that fails between metric slices, and a retry with its key writes it whole', async () => {
			const runsBefore = await count(`SELECT count(*) AS n FROM mlflow_runs`);
			const metricsBefore = await count(`SELECT count(*) AS n FROM mlflow_metrics`);
			let slice = 0;
			const failing = appOnWatchedStore(() => {
				if (++slice === 3) throw new Error('connection lost');
			});
			const metrics = Array.from({ length: 4500 }, (_, i) => ({ key: 'loss', value: 1 / (i + 1), step: i }));
			const failed = await call('POST', '/api/sync/runs', run('key-0010-fail', { metrics }), {}, failing);
			expect(failed.status).toBe(500);
			expect(await count(`SELECT count(*) AS n FROM mlflow_runs`)).toBe(runsBefore);
			expect(await count(`SELECT count(*) AS n FROM mlflow_metrics`)).toBe(metricsBefore);
			expect(await count(`SELECT count(*) AS n FROM sync_runs WHERE idempotency_key = 'key-0010-fail'`)).toBe(0);

			const retried = await call('POST', '/api/sync/runs', run('key-0010-fail', { metrics }));
			expect(retried.status).toBe(201);
			expect(await count(`SELECT count(*) AS n FROM mlflow_metrics WHERE run_id = $1`, [retried.body.run_id])).toBe(4500);
		});

		it('replays any API write sent with an Idempotency-Key header, without running it again', async () => {
			const headers = { 'idempotency-key': 'nb-create-1' };
			const first = await call('POST', '/api/notebooks', { source: NOTEBOOK('Once') }, headers);
			expect(first.status).toBe(201);
			const again = await call('POST', '/api/notebooks', { source: NOTEBOOK('Once') }, headers);
			expect(again.status).toBe(201);
			expect(again.headers.get('idempotent-replayed')).toBe('true');
			expect(again.body).toEqual(first.body);
			expect(await count(`SELECT count(*) AS n FROM notebooks WHERE title = 'Once'`)).toBe(1);

			const reused = await call('PUT', `/api/notebooks/${first.body.notebook.id}`, { source: NOTEBOOK('Twice'), version: 1 }, headers);
			expect(reused.status).toBe(422);
			expect(reused.body.error.code).toBe('idempotency_key_reused');

			// A save with a key: the replay answers the first save, not a 409 for the stale version.
			const saveHeaders = { 'idempotency-key': 'nb-save-1' };
			const saved = await call('PUT', `/api/notebooks/${first.body.notebook.id}`, { source: NOTEBOOK('Saved'), version: 1 }, saveHeaders);
			const resaved = await call('PUT', `/api/notebooks/${first.body.notebook.id}`, { source: NOTEBOOK('Saved'), version: 1 }, saveHeaders);
			expect([saved.status, resaved.status]).toEqual([200, 200]);
			expect(resaved.body.notebook.version).toBe(2);
			// Without a key the same stale save is refused.
			expect((await call('PUT', `/api/notebooks/${first.body.notebook.id}`, { source: NOTEBOOK('Saved'), version: 1 })).status).toBe(409);

			expect((await call('POST', '/api/notebooks', { source: NOTEBOOK('x') }, { 'idempotency-key': 'has space' })).status).toBe(400);
		});

		it('answers 409 while the first request with a key is running, and takes over a stale reservation', async () => {
			await store.query(`INSERT INTO idempotent_requests (scope, key, method, path) VALUES ('local', 'busy-1', 'POST', '/api/notebooks')`);
			const busy = await call('POST', '/api/notebooks', { source: NOTEBOOK('Busy') }, { 'idempotency-key': 'busy-1' });
			expect(busy.status).toBe(409);
			expect(busy.body.error.code).toBe('idempotency_in_progress');
			expect(busy.headers.get('retry-after')).toBe('1');
			await store.query(`UPDATE idempotent_requests SET created_at = now() - interval '10 minutes' WHERE key = 'busy-1'`);
			const taken = await call('POST', '/api/notebooks', { source: NOTEBOOK('Busy') }, { 'idempotency-key': 'busy-1' });
			expect(taken.status).toBe(201);
			const replay = await call('POST', '/api/notebooks', { source: NOTEBOOK('Busy') }, { 'idempotency-key': 'busy-1' });
			expect(replay.body.notebook.id).toBe(taken.body.notebook.id);
		});

		it('keeps one principal’s keys apart from another’s (team mode)', async () => {
			const team = createApp({ store, version: 'test', auth: true, artifactRoot: join(target.dir, 'artifacts') });
			const a = (await store.transaction((tx) => createToken(tx, { role: 'write', name: 'a' }))).token;
			const b = (await store.transaction((tx) => createToken(tx, { role: 'write', name: 'b' }))).token;
			const asA = await call('POST', '/api/notebooks', { source: NOTEBOOK('Scoped') }, { authorization: `Bearer ${a}`, 'idempotency-key': 'shared-key' }, team);
			const asB = await call('POST', '/api/notebooks', { source: NOTEBOOK('Scoped') }, { authorization: `Bearer ${b}`, 'idempotency-key': 'shared-key' }, team);
			expect([asA.status, asB.status]).toEqual([201, 201]);
			expect(asA.body.notebook.id).not.toBe(asB.body.notebook.id);
		});
	});
}
