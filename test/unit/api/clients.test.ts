/**
 * The browser's typed API clients against the real server app (Hono, PGlite) through
 * `app.request`: what the pages and the sync queue rely on.
 */
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '#server/app.ts';
import { MemoryStorage } from '../../support/memory-storage';
import { createToken } from '#server/tokens/service.ts';
import { clearToken, setToken } from '#lib/api/auth-token.ts';
import { ApiRequestError, type Fetch } from '#lib/api/http.ts';
import { listServerDatasets, uploadDataset } from '#lib/api/datasets.ts';
import { getLineage, putLineage } from '#lib/api/lineage.ts';
import { createNotebook, getNotebook, listNotebooks } from '#lib/api/notebooks.ts';
import {
	addComment,
	createReviewLink,
	deleteComment,
	deleteReviewLink,
	listComments,
	listReviewLinks,
	reviewLinkRole,
	updateComment
} from '#lib/api/reviews.ts';
import {
	aliasHistory,
	createModelVersion,
	ensureRegisteredModel,
	getRegisteredModel,
	listModelVersions,
	modelVersionsOfRun,
	rollbackAlias,
	searchRegisteredModels,
	setAlias
} from '#lib/api/model-registry.ts';
import { syncRun, type SyncRunInput } from '#lib/api/sync.ts';
import {
	artifactUrl,
	getExperiment,
	getMetricHistory,
	getRun,
	keyValues,
	listRunArtifacts,
	readArtifactText,
	searchExperiments,
	searchRuns,
	uploadRunArtifact
} from '#lib/api/tracking.ts';
import { openHarness, type MlflowHarness } from '../server/mlflow/helpers';
import { targets } from '../server/targets';

const pglite = targets.find((t) => t.kind === 'pglite')!;

let harness: MlflowHarness;
let fetchApp: Fetch;

beforeAll(async () => {
	harness = await openHarness(pglite);
	fetchApp = (input, init) => Promise.resolve(harness.app.request(String(input), init));
});
afterAll(async () => harness?.close());

function run(key: string, overrides: Partial<SyncRunInput> = {}): SyncRunInput {
	return {
		idempotency_key: key,
		experiment_name: 'churn-review',
		run_name: 'drift · 2026-11-25',
		start_time: 1_700_000_000_000,
		end_time: 1_700_000_002_000,
		status: 'FINISHED',
		params: { reference: 'reference', current: 'current' },
		metrics: [
			{ key: 'drift_share', value: 0.25, timestamp: 1_700_000_002_000 },
			{ key: 'window_drift_share', value: 0.1, step: 0, timestamp: 1_700_000_000_000 },
			{ key: 'window_drift_share', value: 0.4, step: 1, timestamp: 1_700_000_001_000 }
		],
		tags: { 'driftbook.cell_kind': 'drift' },
		artifacts: [{ path: 'reports/drift.json', content: '{"share":0.25}', content_type: 'application/json' }],
		...overrides
	};
}

describe('tracking and sync clients', () => {
	it('logs a whole run once per idempotency key and reads it back through the MLflow API', async () => {
		const first = await syncRun(fetchApp, run('key-0001-aaaa'));
		const again = await syncRun(fetchApp, run('key-0001-aaaa'));
		expect(first.replayed).toBe(false);
		expect(again).toEqual({ ...first, replayed: true });

		const experiments = await searchExperiments(fetchApp);
		const experiment = experiments.find((e) => e.name === 'churn-review')!;
		expect(experiment.experiment_id).toBe(first.experiment_id);
		expect((await getExperiment(fetchApp, experiment.experiment_id)).name).toBe('churn-review');
		const runs = await searchRuns(fetchApp, [experiment.experiment_id]);
		expect(runs.map((r) => r.info.run_id)).toEqual([first.run_id]);

		const stored = await getRun(fetchApp, first.run_id);
		expect(keyValues(stored.data.params)).toEqual({ reference: 'reference', current: 'current' });
		expect(keyValues(stored.data.tags)['driftbook.cell_kind']).toBe('drift');
		const history = await getMetricHistory(fetchApp, first.run_id, 'window_drift_share');
		expect(history.map((m) => [m.step, m.value])).toEqual([
			[0, 0.1],
			[1, 0.4]
		]);

		expect(await listRunArtifacts(fetchApp, first.run_id)).toEqual([{ path: 'reports', is_dir: true }]);
		expect((await listRunArtifacts(fetchApp, first.run_id, 'reports')).map((f) => f.path)).toEqual(['reports/drift.json']);
		expect(JSON.parse(await readArtifactText(fetchApp, stored.info.artifact_uri, 'reports/drift.json'))).toEqual({ share: 0.25 });
		await uploadRunArtifact(fetchApp, stored.info.artifact_uri, 'model/churn lr.onnx', new Uint8Array([1, 2, 3]));
		expect(artifactUrl(stored.info.artifact_uri, 'model/churn lr.onnx')).toMatch(/\/model\/churn%20lr\.onnx$/);
		const bytes = await (await fetchApp(artifactUrl(stored.info.artifact_uri, 'model/churn lr.onnx'))).arrayBuffer();
		expect([...new Uint8Array(bytes)]).toEqual([1, 2, 3]);
	});

	it('turns refusals into ApiRequestError with the server message, in both error shapes', async () => {
		const bad = syncRun(fetchApp, run('short'));
		await expect(bad).rejects.toBeInstanceOf(ApiRequestError);
		await expect(bad).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/idempotency_key/) });
		await expect(getRun(fetchApp, 'f'.repeat(32))).rejects.toMatchObject({ status: 404, code: 'RESOURCE_DOES_NOT_EXIST' });
	});
});

describe('registry and lineage clients', () => {
	it('registers versions, moves an alias, rolls it back and reads the history, newest first', async () => {
		const produced = await syncRun(fetchApp, run('key-0002-bbbb', { run_name: 'scores' }));
		const report = await syncRun(fetchApp, run('key-0003-cccc', { run_name: 'drift' }));
		const stored = await getRun(fetchApp, produced.run_id);
		await ensureRegisteredModel(fetchApp, "churn_lr's");
		await ensureRegisteredModel(fetchApp, "churn_lr's");
		const v1 = await createModelVersion(fetchApp, { name: "churn_lr's", source: `${stored.info.artifact_uri}/model`, run_id: produced.run_id });
		const v2 = await createModelVersion(
			fetchApp,
			{ name: "churn_lr's", source: `${stored.info.artifact_uri}/model`, run_id: produced.run_id },
			'version-key-1'
		);
		const v2again = await createModelVersion(
			fetchApp,
			{ name: "churn_lr's", source: `${stored.info.artifact_uri}/model`, run_id: produced.run_id },
			'version-key-1'
		);
		expect([v1.version, v2.version, v2again.version]).toEqual(['1', '2', '2']);
		expect((await listModelVersions(fetchApp, "churn_lr's")).map((v) => v.version)).toEqual(['2', '1']);
		expect((await modelVersionsOfRun(fetchApp, produced.run_id)).length).toBe(2);

		await setAlias(fetchApp, "churn_lr's", 'champion', '1');
		await setAlias(fetchApp, "churn_lr's", 'champion', '2');
		expect((await getRegisteredModel(fetchApp, "churn_lr's")).aliases).toEqual([{ alias: 'champion', version: '2' }]);
		const back = await rollbackAlias(fetchApp, "churn_lr's", 'champion');
		expect(back.version).toBe('1');
		const history = await aliasHistory(fetchApp, "churn_lr's", 'champion');
		expect(history.map((e) => [e.from_version, e.to_version])).toEqual([
			['2', '1'],
			['1', '2'],
			[null, '1']
		]);
		expect((await searchRegisteredModels(fetchApp)).map((m) => m.name)).toContain("churn_lr's");

		const sha256 = 'a'.repeat(64);
		await putLineage(fetchApp, "churn_lr's", '1', {
			dataset: { sha256, name: 'features', rows: 200 },
			reports: [{ kind: 'drift', run_id: report.run_id, artifact_path: 'reports/drift.json', summary: { text: 'drift: 1 of 4 columns drifted' } }]
		});
		const lineage = await getLineage(fetchApp, "churn_lr's", '1');
		expect(lineage.run?.info.run_id).toBe(produced.run_id);
		expect(lineage.datasets.map((d) => [d.sha256, d.rows])).toEqual([[sha256, 200]]);
		expect(lineage.reports.map((r) => r.summary.text)).toEqual(['drift: 1 of 4 columns drifted']);
		expect(lineage.aliases).toEqual(['champion']);
		const types = lineage.graph.nodes.map((n) => n.type).sort();
		expect(types).toEqual(['dataset', 'experiment', 'model_version', 'report', 'run', 'run'].sort());
	});
});

describe('datasets client', () => {
	it('uploads versions of a named file and lists each name once, newest version first', async () => {
		const csv = 'a,b\n1,2\n';
		const first = await uploadDataset(fetchApp, new TextEncoder().encode(csv), { name: 'features', format: 'csv' });
		const second = await uploadDataset(fetchApp, new TextEncoder().encode(`${csv}3,4\n`), { name: 'features', format: 'csv' });
		expect(first.sha256).toBe(createHash('sha256').update(csv).digest('hex'));
		expect([first.version, second.version]).toEqual([1, 2]);
		const listed = await listServerDatasets(fetchApp);
		expect(listed.filter((d) => d.name === 'features').map((d) => [d.version, d.versions])).toEqual([[2, 2]]);
		expect((await listServerDatasets(fetchApp, 'features')).map((d) => d.version)).toEqual([2, 1]);
	});
});

describe('review links and comments', () => {
	afterEach(() => {
		delete (globalThis as { location?: unknown }).location;
	});

	it('a page opened from a review link sends its token, which the server confines to that notebook', async () => {
		const notebook = await createNotebook(fetchApp, { title: 'Review me', source: '---\ntitle: Review me\n---\n\n```sql name=q\nSELECT 1\n```\n' });
		const link = await createReviewLink(fetchApp, notebook.slug, { role: 'comment', label: 'for Ana' });
		expect(link.url).toContain(`/notebooks/${notebook.slug}?review=`);
		expect((await listReviewLinks(fetchApp, notebook.slug)).map((l) => [l.label, l.role, l.token])).toEqual([['for Ana', 'comment', undefined]]);

		(globalThis as { location?: unknown }).location = new URL(`http://127.0.0.1${link.url}`);
		expect((await getNotebook(fetchApp, notebook.slug)).title).toBe('Review me');
		await expect(listNotebooks(fetchApp)).rejects.toMatchObject({ status: 403 });
		const comment = await addComment(fetchApp, notebook.slug, { cell: 'q', body: 'Why SELECT 1?' });
		expect((await listComments(fetchApp, notebook.slug, 'q')).map((c) => c.body)).toEqual(['Why SELECT 1?']);
		delete (globalThis as { location?: unknown }).location;

		expect((await updateComment(fetchApp, comment.id, { resolved: true })).resolved).toBe(true);
		await deleteComment(fetchApp, comment.id);
		expect(await listComments(fetchApp, notebook.slug)).toEqual([]);
		await deleteReviewLink(fetchApp, link.id);
		(globalThis as { location?: unknown }).location = new URL(`http://127.0.0.1${link.url}`);
		await expect(getNotebook(fetchApp, notebook.slug)).rejects.toMatchObject({ status: 401 });
	});
	it('tells a read link from a comment link without writing anything', async () => {
		const notebook = await createNotebook(fetchApp, { title: 'Role probe', source: '---\ntitle: Role probe\n---\n\n```sql name=q\nSELECT 1\n```\n' });
		for (const role of ['read', 'comment'] as const) {
			const link = await createReviewLink(fetchApp, notebook.slug, { role });
			(globalThis as { location?: unknown }).location = new URL(`http://127.0.0.1${link.url}`);
			expect(await reviewLinkRole(fetchApp)).toBe(role);
			delete (globalThis as { location?: unknown }).location;
		}
		expect(await listComments(fetchApp, notebook.slug)).toEqual([]);
	});
});

describe('team mode', () => {
	let team: ReturnType<typeof createApp>;
	afterEach(() => clearToken());

	it('sends the token stored by the login page as a bearer header; without it the API answers 401', async () => {
		(globalThis as { sessionStorage?: Storage }).sessionStorage = new MemoryStorage();
		(globalThis as { localStorage?: Storage }).localStorage = new MemoryStorage();
		team = createApp({ store: harness.store, version: 'test', artifactRoot: harness.artifactRoot, auth: true });
		const fetchTeam: Fetch = (input, init) => Promise.resolve(team.request(String(input), init));
		await expect(listNotebooks(fetchTeam)).rejects.toMatchObject({ status: 401, unauthenticated: true });
		const { token } = await harness.store.transaction((tx) => createToken(tx, { role: 'read' }));
		setToken(token);
		expect(Array.isArray(await listNotebooks(fetchTeam))).toBe(true);
		// A read token may not write: 403, which the sync queue holds for a better token.
		await expect(syncRun(fetchTeam, run('key-0004-dddd'))).rejects.toMatchObject({ status: 403 });
		clearToken();
		setToken(token, true);
		expect(globalThis.localStorage.length).toBe(1);
		expect(globalThis.sessionStorage.length).toBe(0);
		expect(Array.isArray(await listNotebooks(fetchTeam))).toBe(true);
	});
});
