import { Hono } from 'hono';
import { z } from 'zod';
import {
	createModelVersion,
	createRegisteredModel,
	deleteAlias,
	deleteModelVersion,
	deleteModelVersionTag,
	deleteRegisteredModel,
	deleteRegisteredModelTag,
	getDownloadUri,
	getLatestVersions,
	getModelVersion,
	getRegisteredModel,
	getVersionByAlias,
	renameRegisteredModel,
	searchModelVersions,
	searchRegisteredModels,
	setAlias,
	setModelVersionTag,
	setRegisteredModelTag,
	transitionStage,
	updateModelVersion,
	updateRegisteredModel
} from './registered-models';
import { aliasesChanged } from './alias-events';
import type { Store, Transaction } from '#server/store/index.ts';
import { bool, input, int64, keyValue, list, required, text } from '#server/mlflow/request.ts';

const name = { name: required };
const version = { ...name, version: required };
const search = z.object({ filter: text.optional(), max_results: int64.optional(), order_by: list(text).optional(), page_token: text.optional() });

/** The model registry (model_registry.proto), under /2.0/mlflow. */
export function modelRegistryRoutes({ store }: { store: Store }): Hono {
	const app = new Hono();
	const write = <T>(fn: (tx: Transaction) => Promise<T>) => store.transaction(fn);

	// ----- registered models
	app.post('/registered-models/create', async (c) => {
		const body = await input(c, z.object({ ...name, description: text.optional(), tags: list(keyValue).optional() }));
		return c.json({ registered_model: await write((tx) => createRegisteredModel(tx, body)) });
	});
	app.get('/registered-models/get', async (c) => {
		const body = await input(c, z.object(name));
		return c.json({ registered_model: await getRegisteredModel(store, body.name) });
	});
	app.on(['GET', 'POST'], '/registered-models/search', async (c) => c.json(await searchRegisteredModels(store, await input(c, search))));
	app.post('/registered-models/rename', async (c) => {
		const body = await input(c, z.object({ ...name, new_name: required }));
		const renamed = await write((tx) => renameRegisteredModel(tx, body.name, body.new_name));
		aliasesChanged(body.name);
		aliasesChanged(body.new_name);
		return c.json({ registered_model: renamed });
	});
	app.patch('/registered-models/update', async (c) => {
		const body = await input(c, z.object({ ...name, description: text.optional() }));
		return c.json({ registered_model: await write((tx) => updateRegisteredModel(tx, body.name, body.description)) });
	});
	app.delete('/registered-models/delete', async (c) => {
		const body = await input(c, z.object(name));
		await write((tx) => deleteRegisteredModel(tx, body.name));
		aliasesChanged(body.name);
		return c.json({});
	});
	app.post('/registered-models/set-tag', async (c) => {
		const body = await input(c, z.object({ ...name, key: required, value: keyValue.shape.value }));
		await write((tx) => setRegisteredModelTag(tx, body.name, { key: body.key, value: body.value }));
		return c.json({});
	});
	app.delete('/registered-models/delete-tag', async (c) => {
		const body = await input(c, z.object({ ...name, key: required }));
		await write((tx) => deleteRegisteredModelTag(tx, body.name, body.key));
		return c.json({});
	});
	app.post('/registered-models/alias', async (c) => {
		const body = await input(c, z.object({ ...name, alias: text, version: required }));
		await write((tx) => setAlias(tx, body.name, body.alias, body.version));
		aliasesChanged(body.name);
		return c.json({});
	});
	app.delete('/registered-models/alias', async (c) => {
		const body = await input(c, z.object({ ...name, alias: required }));
		await write((tx) => deleteAlias(tx, body.name, body.alias));
		aliasesChanged(body.name);
		return c.json({});
	});
	app.get('/registered-models/alias', async (c) => {
		const body = await input(c, z.object({ ...name, alias: required }));
		return c.json({ model_version: await getVersionByAlias(store, body.name, body.alias) });
	});
	app.on(['GET', 'POST'], '/registered-models/get-latest-versions', async (c) => {
		const body = await input(c, z.object({ ...name, stages: list(text).optional() }));
		const model_versions = await getLatestVersions(store, body.name, body.stages ?? []);
		return c.json(model_versions.length > 0 ? { model_versions } : {});
	});

	// ----- model versions
	app.post('/model-versions/create', async (c) => {
		const body = await input(
			c,
			z.object({
				...name,
				source: required,
				run_id: text.optional(),
				run_link: text.optional(),
				description: text.optional(),
				tags: list(keyValue).optional(),
				model_id: text.optional()
			})
		);
		return c.json({ model_version: await write((tx) => createModelVersion(tx, body)) });
	});
	app.get('/model-versions/get', async (c) => {
		const body = await input(c, z.object(version));
		return c.json({ model_version: await getModelVersion(store, body.name, body.version) });
	});
	app.patch('/model-versions/update', async (c) => {
		const body = await input(c, z.object({ ...version, description: text.optional() }));
		return c.json({ model_version: await write((tx) => updateModelVersion(tx, body.name, body.version, body.description)) });
	});
	app.delete('/model-versions/delete', async (c) => {
		const body = await input(c, z.object(version));
		await write((tx) => deleteModelVersion(tx, body.name, body.version));
		aliasesChanged(body.name);
		return c.json({});
	});
	app.on(['GET', 'POST'], '/model-versions/search', async (c) => c.json(await searchModelVersions(store, await input(c, search))));
	app.get('/model-versions/get-download-uri', async (c) => {
		const body = await input(c, z.object(version));
		return c.json({ artifact_uri: await getDownloadUri(store, body.name, body.version) });
	});
	app.post('/model-versions/set-tag', async (c) => {
		const body = await input(c, z.object({ ...version, key: required, value: keyValue.shape.value }));
		await write((tx) => setModelVersionTag(tx, body.name, body.version, { key: body.key, value: body.value }));
		return c.json({});
	});
	app.delete('/model-versions/delete-tag', async (c) => {
		const body = await input(c, z.object({ ...version, key: required }));
		await write((tx) => deleteModelVersionTag(tx, body.name, body.version, body.key));
		return c.json({});
	});
	app.post('/model-versions/transition-stage', async (c) => {
		const body = await input(c, z.object({ ...version, stage: required, archive_existing_versions: bool.optional() }));
		return c.json({
			model_version: await write((tx) => transitionStage(tx, body.name, body.version, body.stage, body.archive_existing_versions ?? false))
		});
	});
	return app;
}
