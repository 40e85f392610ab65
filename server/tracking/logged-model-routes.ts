import { Hono } from 'hono';
import { z } from 'zod';
import {
	createLoggedModel,
	deleteLoggedModel,
	deleteLoggedModelTag,
	finalizeLoggedModel,
	getLoggedModel,
	logLoggedModelParams,
	searchLoggedModels,
	setLoggedModelTags
} from './logged-models';
import type { Store, Transaction } from '#server/store/index.ts';
import { bool, input, int64, keyValue, list, protoEnum, required, text } from '#server/mlflow/request.ts';
import { LOGGED_MODEL_STATUSES } from '#lib/contracts/mlflow.ts';

const status = protoEnum(LOGGED_MODEL_STATUSES as unknown as ['LOGGED_MODEL_PENDING', 'LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED']);

/** MLflow 3 logged models, under /2.0/mlflow/logged-models. */
export function loggedModelRoutes({ store }: { store: Store }): Hono {
	const app = new Hono();
	const write = <T>(fn: (tx: Transaction) => Promise<T>) => store.transaction(fn);

	app.post('/logged-models', async (c) => {
		const body = await input(
			c,
			z.object({
				experiment_id: required,
				name: text.optional(),
				model_type: text.optional(),
				source_run_id: text.optional(),
				params: list(keyValue).optional(),
				tags: list(keyValue).optional()
			})
		);
		return c.json({ model: await write((tx) => createLoggedModel(tx, body)) });
	});
	app.post('/logged-models/search', async (c) => {
		const body = await input(
			c,
			z.object({
				experiment_ids: list(text).optional(),
				filter: text.optional(),
				datasets: list(z.object({ dataset_name: required, dataset_digest: text.optional() })).optional(),
				max_results: int64.optional(),
				order_by: list(z.object({ field_name: required, ascending: bool.optional() })).optional(),
				page_token: text.optional()
			})
		);
		return c.json(await searchLoggedModels(store, body));
	});
	app.get('/logged-models/:model_id', async (c) => c.json({ model: await getLoggedModel(store, c.req.param('model_id')) }));
	app.patch('/logged-models/:model_id', async (c) => {
		const body = await input(c, z.object({ status }));
		return c.json({ model: await write((tx) => finalizeLoggedModel(tx, c.req.param('model_id'), body.status)) });
	});
	app.delete('/logged-models/:model_id', async (c) => {
		await write((tx) => deleteLoggedModel(tx, c.req.param('model_id')));
		return c.json({});
	});
	app.post('/logged-models/:model_id/params', async (c) => {
		const body = await input(c, z.object({ params: list(keyValue).optional() }));
		await write((tx) => logLoggedModelParams(tx, c.req.param('model_id'), body.params ?? []));
		return c.json({});
	});
	app.patch('/logged-models/:model_id/tags', async (c) => {
		const body = await input(c, z.object({ tags: list(keyValue).optional() }));
		return c.json({ model: await write((tx) => setLoggedModelTags(tx, c.req.param('model_id'), body.tags ?? [])) });
	});
	app.delete('/logged-models/:model_id/tags/:tag_key{.+}', async (c) => {
		await write((tx) => deleteLoggedModelTag(tx, c.req.param('model_id'), c.req.param('tag_key')));
		return c.json({});
	});
	return app;
}
