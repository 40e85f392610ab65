import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { serveEnv, startServe, type Served } from './serve-process';
import { targets, warnIfPostgresSkipped, type StoreTarget } from './targets';

warnIfPostgresSkipped('durability.test.ts');

/**
 * Crash durability of `driftbook serve`: writes stream in from three clients at once (MLflow
 * log-batch, browser sync runs, notebook saves), the server is SIGKILLed in the middle, then
 * restarted on the same data. Every acknowledged write must be there, none half-written, and
 * replaying unacknowledged syncs must not duplicate anything.
 */

const KEYS = Array.from({ length: 20 }, (_, i) => `m${i}`);
const SYNC_METRICS = 30;
const NOTEBOOK = (n: number) => `---\ntitle: Durable\n---\nSave ${n}.\n`;

interface Post {
	status: number;
	body: any;
}

async function send(base: string, method: string, path: string, body?: unknown): Promise<Post> {
	const res = await fetch(base + path, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	return { status: res.status, body: await res.json() };
}

for (const factory of targets) {
	describe.runIf(factory.enabled)(`SIGKILL durability of driftbook serve on ${factory.kind}`, () => {
		let target: StoreTarget;
		let env: NodeJS.ProcessEnv;
		let server: Served | undefined;

		beforeAll(async () => {
			target = await factory.create();
			env = await serveEnv(target.options, target.options.dataDir ?? join(target.dir, 'data'));
		});

		afterAll(async () => {
			await server?.stop();
			await target?.dispose();
		});

		it('keeps every acknowledged write and nothing half-written across a SIGKILL', { timeout: 240_000 }, async () => {
			server = await startServe(env);
			let base = server.base;
			const exp = await send(base, 'POST', '/api/2.0/mlflow/experiments/create', { name: 'durability' });
			const runId = (await send(base, 'POST', '/api/2.0/mlflow/runs/create', { experiment_id: exp.body.experiment_id })).body.run.info.run_id;
			const notebook = (await send(base, 'POST', '/api/notebooks', { source: NOTEBOOK(0) })).body.notebook;

			const ackedBatches: number[] = [];
			const ackedSyncs = new Map<string, string>();
			const attemptedSyncs: string[] = [];
			const ackedSaves: number[] = [];
			let killed = false;
			const loop = async (step: (i: number) => Promise<void>) => {
				for (let i = 0; !killed; i++) {
					try {
						await step(i);
					} catch {
						return; // the connection died with the server
					}
				}
			};
			const writers = Promise.all([
				loop(async (i) => {
					const metrics = KEYS.map((key) => ({ key, value: i + Number(key.slice(1)) / 100, timestamp: 1_700_000_000_000 + i, step: i }));
					const res = await send(base, 'POST', '/api/2.0/mlflow/runs/log-batch', { run_id: runId, metrics });
					if (res.status === 200) ackedBatches.push(i);
				}),
				loop(async (i) => {
					const key = `durable-sync-${String(i).padStart(5, '0')}`;
					attemptedSyncs.push(key);
					const res = await send(base, 'POST', '/api/sync/runs', {
						idempotency_key: key,
						experiment_name: 'durable sync',
						run_name: key,
						metrics: Array.from({ length: SYNC_METRICS }, (_, k) => ({ key: `s${k}`, value: k, step: 0 })),
						params: { i: String(i) }
					});
					if (res.status === 201) ackedSyncs.set(key, res.body.run_id);
				}),
				loop(async (i) => {
					const res = await send(base, 'PUT', `/api/notebooks/${notebook.id}`, { source: NOTEBOOK(i + 1), version: i + 1 });
					if (res.status === 200) ackedSaves.push(res.body.notebook.version);
				})
			]);
			// Kill mid-stream: once every writer has had some writes acknowledged.
			const started = Date.now();
			while ((ackedBatches.length < 5 || ackedSyncs.size < 5 || ackedSaves.length < 5) && Date.now() - started < 60_000)
				await new Promise((r) => setTimeout(r, 20));
			await server.kill();
			killed = true;
			await writers;
			expect(ackedBatches.length).toBeGreaterThanOrEqual(5);
			expect(ackedSyncs.size).toBeGreaterThanOrEqual(5);
			expect(ackedSaves.length).toBeGreaterThanOrEqual(5);
			// The sync in flight (or about to be sent) when the server died was never acknowledged.
			expect(attemptedSyncs.length).toBeGreaterThan(ackedSyncs.size);

			server = await startServe(env);
			base = server.base;

			// log-batch: every acknowledged batch is there, and every batch there is whole.
			const histories = await Promise.all(
				KEYS.map(async (key) => (await send(base, 'GET', `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=${key}`)).body.metrics ?? [])
			);
			const stepsPerKey = histories.map((h: { step: number }[]) => new Set(h.map((m) => m.step)));
			for (const steps of stepsPerKey) {
				for (const i of ackedBatches) expect(steps.has(i), `acknowledged batch ${i}`).toBe(true);
				expect([...steps].sort()).toEqual([...stepsPerKey[0]].sort());
			}

			// Sync: replaying every key, acknowledged or not, answers one run per key, each complete.
			const replays = await Promise.all(
				attemptedSyncs.map((key) =>
					send(base, 'POST', '/api/sync/runs', {
						idempotency_key: key,
						experiment_name: 'durable sync',
						run_name: key,
						metrics: Array.from({ length: SYNC_METRICS }, (_, k) => ({ key: `s${k}`, value: k, step: 0 })),
						params: { i: key }
					})
				)
			);
			for (const [i, key] of attemptedSyncs.entries()) {
				const acked = ackedSyncs.get(key);
				if (acked) expect(replays[i].body, key).toMatchObject({ run_id: acked, replayed: true });
				expect([200, 201]).toContain(replays[i].status);
			}
			const search = await send(base, 'POST', '/api/2.0/mlflow/runs/search', { experiment_ids: [replays[0].body.experiment_id], max_results: 1000 });
			const runs = search.body.runs as { info: { run_name: string }; data: { metrics?: unknown[] } }[];
			expect(runs.map((r) => r.info.run_name).sort()).toEqual([...attemptedSyncs].sort());
			for (const run of runs) expect(run.data.metrics ?? [], run.info.run_name).toHaveLength(SYNC_METRICS);

			// Notebook: the newest acknowledged save (or a later one) is current; every acknowledged version is in the history.
			const current = (await send(base, 'GET', `/api/notebooks/${notebook.id}`)).body.notebook;
			expect(current.version).toBeGreaterThanOrEqual(Math.max(...ackedSaves));
			expect(current.source).toBe(NOTEBOOK(current.version - 1));
			const versions = (await send(base, 'GET', `/api/notebooks/${notebook.id}/versions`)).body.versions.map((v: { version: number }) => v.version);
			for (const v of ackedSaves) expect(versions).toContain(v);
		});
	});
}
