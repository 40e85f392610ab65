import { Hono } from 'hono';
import { z } from 'zod';
import { listArtifacts, normalizeArtifactPath } from './artifacts';
import {
	createExperiment,
	deleteExperiment,
	deleteExperimentTag,
	getExperiment,
	getExperimentByName,
	renameExperiment,
	restoreExperiment,
	searchExperiments,
	setExperimentTag
} from './experiments';
import { metricHistory } from './metrics';
import {
	createRun,
	deleteRun,
	deleteTag,
	getRun,
	logBatch,
	logInputs,
	logMetric,
	logModel,
	logOutputs,
	logParam,
	restoreRun,
	searchRuns,
	setTag,
	updateRun
} from './runs';
import { compact } from '#server/mlflow/wire.ts';
import type { Store, Transaction } from '#server/store/index.ts';
import { double, input, int64, keyValue, list, protoEnum, required, runIdOf, text, viewType } from '#server/mlflow/request.ts';
import { RUN_STATUSES } from '#lib/contracts/mlflow.ts';

const runRef = { run_id: text.optional(), run_uuid: text.optional() };

const metric = z.object({
	key: required,
	value: double,
	timestamp: int64,
	step: int64.optional(),
	model_id: text.optional(),
	dataset_name: text.optional(),
	dataset_digest: text.optional()
});

const runStatus = protoEnum(RUN_STATUSES as unknown as ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']);

/** Experiments, runs, metrics (service.proto's MlflowService), under /2.0/mlflow. */
export function trackingRoutes({ store }: { store: Store }): Hono {
	const app = new Hono();
	const write = <T>(fn: (tx: Transaction) => Promise<T>) => store.transaction(fn);

	// ----- experiments
	app.post('/experiments/create', async (c) => {
		const body = await input(c, z.object({ name: required, artifact_location: text.optional(), tags: list(keyValue).optional() }));
		return c.json({ experiment_id: await write((tx) => createExperiment(tx, body)) });
	});
	app.get('/experiments/get', async (c) => {
		const { experiment_id } = await input(c, z.object({ experiment_id: required }));
		return c.json({ experiment: await getExperiment(store, experiment_id) });
	});
	app.get('/experiments/get-by-name', async (c) => {
		const { experiment_name } = await input(c, z.object({ experiment_name: required }));
		return c.json({ experiment: await getExperimentByName(store, experiment_name) });
	});
	const searchExperimentsSchema = z.object({
		max_results: int64.optional(),
		page_token: text.optional(),
		filter: text.optional(),
		order_by: list(text).optional(),
		view_type: viewType.optional()
	});
	app.on(['GET', 'POST'], '/experiments/search', async (c) => c.json(await searchExperiments(store, await input(c, searchExperimentsSchema))));
	app.post('/experiments/update', async (c) => {
		const { experiment_id, new_name } = await input(c, z.object({ experiment_id: required, new_name: text.optional() }));
		if (new_name !== undefined) await write((tx) => renameExperiment(tx, experiment_id, new_name));
		return c.json({});
	});
	app.post('/experiments/delete', async (c) => {
		const { experiment_id } = await input(c, z.object({ experiment_id: required }));
		await write((tx) => deleteExperiment(tx, experiment_id));
		return c.json({});
	});
	app.post('/experiments/restore', async (c) => {
		const { experiment_id } = await input(c, z.object({ experiment_id: required }));
		await write((tx) => restoreExperiment(tx, experiment_id));
		return c.json({});
	});
	app.post('/experiments/set-experiment-tag', async (c) => {
		const { experiment_id, key, value } = await input(c, z.object({ experiment_id: required, key: required, value: text }));
		await write((tx) => setExperimentTag(tx, experiment_id, { key, value }));
		return c.json({});
	});
	app.post('/experiments/delete-experiment-tag', async (c) => {
		const { experiment_id, key } = await input(c, z.object({ experiment_id: required, key: required }));
		await write((tx) => deleteExperimentTag(tx, experiment_id, key));
		return c.json({});
	});

	// ----- runs
	app.post('/runs/create', async (c) => {
		const body = await input(
			c,
			z.object({
				experiment_id: text.optional(),
				user_id: text.optional(),
				run_name: text.optional(),
				start_time: int64.optional(),
				tags: list(keyValue).optional()
			})
		);
		return c.json({ run: await write((tx) => createRun(tx, body)) });
	});
	app.get('/runs/get', async (c) => {
		const runId = runIdOf(await input(c, z.object(runRef)));
		return c.json({ run: await getRun(store, runId) });
	});
	app.post('/runs/update', async (c) => {
		const body = await input(c, z.object({ ...runRef, status: runStatus.optional(), end_time: int64.optional(), run_name: text.optional() }));
		const runId = runIdOf(body);
		const run_info = await write((tx) => updateRun(tx, { run_id: runId, status: body.status, end_time: body.end_time, run_name: body.run_name }));
		return c.json({ run_info });
	});
	app.post('/runs/delete', async (c) => {
		const runId = runIdOf(await input(c, z.object(runRef)));
		await write((tx) => deleteRun(tx, runId));
		return c.json({});
	});
	app.post('/runs/restore', async (c) => {
		const runId = runIdOf(await input(c, z.object(runRef)));
		await write((tx) => restoreRun(tx, runId));
		return c.json({});
	});
	app.post('/runs/log-metric', async (c) => {
		const body = await input(c, metric.extend(runRef));
		const runId = runIdOf(body);
		await write((tx) => logMetric(tx, runId, body));
		return c.json({});
	});
	app.post('/runs/log-parameter', async (c) => {
		const body = await input(c, z.object({ ...runRef, key: required, value: keyValue.shape.value }));
		const runId = runIdOf(body);
		await write((tx) => logParam(tx, runId, { key: body.key, value: body.value }));
		return c.json({});
	});
	app.post('/runs/set-tag', async (c) => {
		const body = await input(c, z.object({ ...runRef, key: required, value: keyValue.shape.value }));
		const runId = runIdOf(body);
		await write((tx) => setTag(tx, runId, { key: body.key, value: body.value }));
		return c.json({});
	});
	app.post('/runs/delete-tag', async (c) => {
		const body = await input(c, z.object({ ...runRef, key: required }));
		const runId = runIdOf(body);
		await write((tx) => deleteTag(tx, runId, body.key));
		return c.json({});
	});
	app.post('/runs/log-batch', async (c) => {
		const body = await input(c, z.object({ ...runRef, metrics: list(metric).optional(), params: list(keyValue).optional(), tags: list(keyValue).optional() }));
		const runId = runIdOf(body);
		await write((tx) => logBatch(tx, runId, body));
		return c.json({});
	});
	app.post('/runs/log-model', async (c) => {
		const body = await input(c, z.object({ ...runRef, model_json: required }));
		const runId = runIdOf(body);
		await write((tx) => logModel(tx, runId, body.model_json));
		return c.json({});
	});
	app.post('/runs/log-inputs', async (c) => {
		const dataset = z.object({
			name: required,
			digest: required,
			source_type: required,
			source: required,
			schema: text.optional(),
			profile: text.optional()
		});
		const body = await input(
			c,
			z.object({
				...runRef,
				datasets: list(z.object({ tags: list(keyValue).optional(), dataset })).optional(),
				models: list(z.object({ model_id: required })).optional()
			})
		);
		const runId = runIdOf(body);
		await write((tx) => logInputs(tx, runId, body));
		return c.json({});
	});
	app.post('/runs/outputs', async (c) => {
		const body = await input(c, z.object({ ...runRef, models: list(z.object({ model_id: required, step: int64.optional() })).optional() }));
		const runId = runIdOf(body);
		await write((tx) => logOutputs(tx, runId, body.models ?? []));
		return c.json({});
	});
	const searchRunsSchema = z.object({
		experiment_ids: list(text).optional(),
		filter: text.optional(),
		run_view_type: viewType.optional(),
		max_results: int64.optional(),
		order_by: list(text).optional(),
		page_token: text.optional()
	});
	app.on(['GET', 'POST'], '/runs/search', async (c) => c.json(await searchRuns(store, await input(c, searchRunsSchema))));

	// ----- metrics
	app.get('/metrics/get-history', async (c) => {
		const body = await input(c, z.object({ ...runRef, metric_key: required, max_results: int64.optional(), page_token: text.optional() }));
		const runId = runIdOf(body);
		await getRun(store, runId);
		return c.json(await metricHistory(store, runId, body.metric_key, body));
	});

	// ----- artifacts/list (what the MLflow UI calls): the run's files via the artifact index
	app.get('/artifacts/list', async (c) => {
		const body = await input(c, z.object({ ...runRef, path: text.optional(), page_token: text.optional() }));
		const run = await getRun(store, runIdOf(body));
		const root = run.info.artifact_uri;
		const sub = normalizeArtifactPath(body.path ?? '', { allowRoot: true });
		const proxied = /^mlflow-artifacts:\/+(.*)$/.exec(root);
		if (!proxied) return c.json({ root_uri: root });
		const dir = [proxied[1].replace(/\/+$/, ''), sub].filter((p) => p !== '').join('/');
		const files = (await listArtifacts(store, dir)).map((f) => compact({ ...f, path: sub ? `${sub}/${f.path}` : f.path }));
		return c.json(compact({ root_uri: root, files }));
	});

	return app;
}
