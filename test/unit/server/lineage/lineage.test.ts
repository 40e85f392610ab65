import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '#server/app.ts';
import { openStore, type Store } from '#server/store/index.ts';
import { targets, warnIfPostgresSkipped, type StoreTarget } from '../targets';

warnIfPostgresSkipped('lineage.test.ts');

type Answer = { status: number; body: any };

for (const factory of targets) {
	describe.runIf(factory.enabled)(`model version lineage on ${factory.kind}`, () => {
		let target: StoreTarget;
		let store: Store;
		let app: Hono;
		let runId: string;
		let experimentId: string;
		let driftRunId: string;
		let dataset: { id: string; sha256: string };

		async function call(method: string, path: string, body?: unknown): Promise<Answer> {
			const res = await app.request(path, {
				method,
				...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
			});
			return { status: res.status, body: await res.json() };
		}
		const mlflow = (endpoint: string, body: unknown) => call('POST', `/api/2.0/mlflow/${endpoint}`, body);
		const lineagePath = (name: string, version: string) => `/api/registry/models/${name}/versions/${version}/lineage`;

		beforeAll(async () => {
			target = await factory.create();
			store = await openStore(target.options);
			app = createApp({ store, version: 'test', auth: false, artifactRoot: join(target.dir, 'artifacts') });
			const trained = await call('POST', '/api/sync/runs', {
				idempotency_key: 'train-run-0001',
				experiment_name: 'churn training',
				run_name: 'xgb-42',
				params: { max_depth: '6' },
				metrics: [
					{ key: 'auc', value: 0.81, step: 0 },
					{ key: 'auc', value: 0.86, step: 1 }
				],
				tags: { team: 'risk' }
			});
			runId = trained.body.run_id;
			experimentId = trained.body.experiment_id;
			await mlflow('runs/log-inputs', {
				run_id: runId,
				datasets: [{ dataset: { name: 'train.parquet', digest: 'abc123', source_type: 'local', source: 'file:///train.parquet' } }]
			});
			driftRunId = (
				await call('POST', '/api/sync/runs', { idempotency_key: 'drift-run-0001', experiment_name: 'drift checks', metrics: [{ key: 'psi', value: 0.3 }] })
			).body.run_id;
			await mlflow('registered-models/create', { name: 'churn' });
			await mlflow('model-versions/create', { name: 'churn', source: `runs:/${runId}/model`, run_id: runId });
			await mlflow('model-versions/create', { name: 'churn', source: 's3://elsewhere/model' });
			await mlflow('registered-models/alias', { name: 'churn', alias: 'champion', version: '1' });
			await mlflow('registered-models/alias', { name: 'churn', alias: 'stable', version: '1' });
			await mlflow('registered-models/alias', { name: 'churn', alias: 'challenger', version: '2' });
			const up = await app.request('/api/datasets?name=train&format=csv', { method: 'POST', body: 'a,b\n1,2\n3,4\n' });
			dataset = (await up.json()).dataset;
		});

		afterAll(async () => {
			await store?.close();
			await target?.dispose();
		});

		it('answers the version, its run, datasets, aliases and a graph before any link is made', async () => {
			const res = await call('GET', lineagePath('churn', '1'));
			expect(res.status).toBe(200);
			expect(res.body.model_version).toMatchObject({ name: 'churn', version: '1', run_id: runId });
			expect(res.body.run.info).toMatchObject({ run_id: runId, run_name: 'xgb-42', experiment_id: experimentId });
			expect(res.body.run.params).toEqual({ max_depth: '6' });
			expect(res.body.run.metrics).toEqual([expect.objectContaining({ key: 'auc', value: 0.86, step: 1 })]);
			expect(res.body.run.tags.team).toBe('risk');
			expect(res.body.aliases).toEqual(['champion', 'stable']);
			expect(res.body.datasets).toEqual([expect.objectContaining({ origin: 'mlflow_input', digest: 'abc123', name: 'train.parquet', sha256: null })]);
			expect(res.body.reports).toEqual([]);
			const types = res.body.graph.nodes.map((n: { type: string }) => n.type).sort();
			expect(types).toEqual(['dataset', 'experiment', 'model_version', 'run']);
			expect(res.body.graph.edges).toEqual(
				expect.arrayContaining([
					{ from: `experiment:${experimentId}`, to: `run:${runId}`, kind: 'contains' },
					{ from: `run:${runId}`, to: 'model_version:churn/1', kind: 'produced' },
					{ from: 'dataset:digest:abc123:train.parquet', to: `run:${runId}`, kind: 'input' }
				])
			);
		});

		it('appends dataset and report links and shows them in the lineage and graph', async () => {
			const put = await call('PUT', lineagePath('churn', '1'), {
				dataset: { sha256: dataset.sha256, rows: 2, dataset_id: dataset.id },
				reports: [
					{ kind: 'drift', run_id: driftRunId, artifact_path: 'reports/drift.json', summary: { drifted: ['age'], psi: 0.3 } },
					{ kind: 'champion', summary: { winner: 'challenger', p_value: 0.01 } }
				]
			});
			expect(put.status).toBe(200);
			expect(put.body.datasets[0]).toMatchObject({
				origin: 'link',
				sha256: dataset.sha256,
				name: 'train',
				rows: 2,
				dataset_id: dataset.id,
				created_by: 'local'
			});
			expect(put.body.reports.map((r: { kind: string }) => r.kind)).toEqual(['drift', 'champion']);
			expect(put.body.reports[0]).toMatchObject({ run_id: driftRunId, artifact_path: 'reports/drift.json', summary: { drifted: ['age'], psi: 0.3 } });
			// Linking the same bytes again updates the link; reports append.
			await call('PUT', lineagePath('churn', '1'), { dataset: { sha256: dataset.sha256, rows: 3 }, reports: [{ kind: 'ab', summary: { lift: 0.02 } }] });
			const got = (await call('GET', lineagePath('churn', '1'))).body;
			expect(got.datasets.filter((d: { origin: string }) => d.origin === 'link')).toEqual([expect.objectContaining({ rows: 3, dataset_id: dataset.id })]);
			expect(got.reports).toHaveLength(3);
			const edges = got.graph.edges;
			expect(edges).toContainEqual({ from: `dataset:sha256:${dataset.sha256}`, to: 'model_version:churn/1', kind: 'trained_on' });
			expect(edges).toContainEqual({ from: `report:${got.reports[0].id}`, to: 'model_version:churn/1', kind: 'evaluates' });
			expect(edges).toContainEqual({ from: `run:${driftRunId}`, to: `report:${got.reports[0].id}`, kind: 'logged' });
			for (const edge of edges) {
				expect(got.graph.nodes.some((n: { id: string }) => n.id === edge.from)).toBe(true);
				expect(got.graph.nodes.some((n: { id: string }) => n.id === edge.to)).toBe(true);
			}
		});

		it('has no run for a version registered from elsewhere', async () => {
			const res = await call('GET', lineagePath('churn', '2'));
			expect(res.body.run).toBeNull();
			expect(res.body.aliases).toEqual(['challenger']);
			expect(res.body.graph.nodes).toHaveLength(1);
		});

		it('refuses bad links with 400 naming the field, and unknown versions with 404', async () => {
			const cases: [unknown, RegExp][] = [
				[{}, /dataset or at least one report/],
				[{ dataset: { sha256: 'xyz' } }, /sha256/],
				[{ reports: [{ kind: 'vibes', summary: {} }] }, /kind/],
				[{ reports: [{ kind: 'drift', summary: 'fine' }] }, /summary/],
				[{ reports: [{ kind: 'drift', run_id: 'f'.repeat(32), summary: {} }] }, /reports\[0\]\.run_id/],
				[{ dataset: { sha256: 'a'.repeat(64), dataset_id: dataset.id } }, /is not the hash of dataset/]
			];
			for (const [body, message] of cases) {
				const res = await call('PUT', lineagePath('churn', '1'), body);
				expect(res.status, JSON.stringify(body)).toBe(400);
				expect(res.body.error.message).toMatch(message);
			}
			expect((await call('GET', lineagePath('churn', '9'))).status).toBe(404);
			expect((await call('GET', lineagePath('nope', '1'))).status).toBe(404);
			expect((await call('GET', lineagePath('churn', 'one'))).status).toBe(400);
			expect((await call('GET', lineagePath('churn', '1'))).body.reports).toHaveLength(3);
		});
	});
}
