import { beforeAll, describe, expect, it } from 'vitest';
import { errorOf, type Json, type SuiteContext, type Api } from './helpers';

/** Registers the suite; `ctx` holds the harness the caller opened (one per store). */
export function registrySuite(ctx: SuiteContext): void {
	describe('MLflow model registry API', () => {
		let api: Api;
		let runId: string;
		let artifactUri: string;

		beforeAll(async () => {
			api = ctx.api;
			const run = (await api('POST', 'runs/create', {})).body.run.info;
			runId = run.run_id;
			artifactUri = run.artifact_uri;
		});

		const version = (name: string, v: string) => api('GET', 'model-versions/get', { name, version: v });

		it('creates and gets registered models; duplicates are RESOURCE_ALREADY_EXISTS', async () => {
			const created = await api('POST', 'registered-models/create', { name: 'reg-churn', description: 'd', tags: [{ key: 'owner', value: 'ml' }] });
			expect(created.status).toBe(200);
			expect(created.body.registered_model).toEqual({
				name: 'reg-churn',
				creation_timestamp: expect.any(Number),
				last_updated_timestamp: expect.any(Number),
				description: 'd',
				tags: [{ key: 'owner', value: 'ml' }]
			});
			expect((await api('GET', 'registered-models/get', { name: 'reg-churn' })).body).toEqual(created.body);
			expect(errorOf(await api('POST', 'registered-models/create', { name: 'reg-churn' }))).toEqual({
				status: 400,
				error_code: 'RESOURCE_ALREADY_EXISTS',
				message: 'Registered Model (name=reg-churn) already exists.'
			});
			expect(errorOf(await api('POST', 'registered-models/create', { name: '' }))).toMatchObject({ status: 400, error_code: 'INVALID_PARAMETER_VALUE' });
			expect(errorOf(await api('GET', 'registered-models/get', { name: 'nope' }))).toEqual({
				status: 404,
				error_code: 'RESOURCE_DOES_NOT_EXIST',
				message: 'Registered Model with name=nope not found'
			});
		});

		it('creates READY versions, numbered per model, resolving runs:/ sources for download', async () => {
			const v1 = await api('POST', 'model-versions/create', { name: 'reg-churn', source: `${artifactUri}/model`, run_id: runId });
			expect(v1.status).toBe(200);
			expect(v1.body.model_version).toEqual({
				name: 'reg-churn',
				version: '1',
				creation_timestamp: expect.any(Number),
				last_updated_timestamp: expect.any(Number),
				current_stage: 'None',
				source: `${artifactUri}/model`,
				run_id: runId,
				status: 'READY'
			});
			const v2 = await api('POST', 'model-versions/create', {
				name: 'reg-churn',
				source: `runs:/${runId}/model`,
				run_id: runId,
				description: 'second',
				tags: [{ key: 'k', value: 'v' }],
				run_link: 'http://x'
			});
			expect(v2.body.model_version).toMatchObject({ version: '2', description: 'second', tags: [{ key: 'k', value: 'v' }], run_link: 'http://x' });
			expect((await api('GET', 'model-versions/get-download-uri', { name: 'reg-churn', version: '2' })).body).toEqual({ artifact_uri: `${artifactUri}/model` });
			expect((await api('GET', 'model-versions/get-download-uri', { name: 'reg-churn', version: '1' })).body).toEqual({ artifact_uri: `${artifactUri}/model` });
			expect((await version('reg-churn', '2')).body.model_version).toEqual(v2.body.model_version);

			expect(errorOf(await api('POST', 'model-versions/create', { name: 'nope', source: 's3://x' }))).toMatchObject({
				status: 404,
				error_code: 'RESOURCE_DOES_NOT_EXIST'
			});
			expect(errorOf(await api('POST', 'model-versions/create', { name: 'reg-churn' }))).toMatchObject({ status: 400 });
			expect(errorOf(await api('POST', 'model-versions/create', { name: 'reg-churn', source: `runs:/${'0'.repeat(32)}/model` }))).toMatchObject({
				status: 404
			});
			expect(errorOf(await version('reg-churn', '99'))).toEqual({
				status: 404,
				error_code: 'RESOURCE_DOES_NOT_EXIST',
				message: 'Model Version (name=reg-churn, version=99) not found'
			});
			expect(errorOf(await version('reg-churn', 'abc'))).toMatchObject({ status: 400, error_code: 'INVALID_PARAMETER_VALUE' });
			expect(errorOf(await api('GET', 'model-versions/get-download-uri', { name: 'reg-churn', version: '99' }))).toMatchObject({ status: 404 });
		});

		it('updates descriptions and tags of models and versions', async () => {
			const rm = await api('PATCH', 'registered-models/update', { name: 'reg-churn', description: 'new' });
			expect(rm.body.registered_model.description).toBe('new');
			const mv = await api('PATCH', 'model-versions/update', { name: 'reg-churn', version: '1', description: 'first' });
			expect(mv.body.model_version).toMatchObject({ version: '1', description: 'first' });
			expect((await api('POST', 'registered-models/set-tag', { name: 'reg-churn', key: 'stage', value: 'beta' })).body).toEqual({});
			expect((await api('POST', 'model-versions/set-tag', { name: 'reg-churn', version: '1', key: 'validated', value: 'yes' })).body).toEqual({});
			expect((await api('GET', 'registered-models/get', { name: 'reg-churn' })).body.registered_model.tags).toEqual([
				{ key: 'owner', value: 'ml' },
				{ key: 'stage', value: 'beta' }
			]);
			expect((await version('reg-churn', '1')).body.model_version.tags).toEqual([{ key: 'validated', value: 'yes' }]);
			expect((await api('DELETE', 'registered-models/delete-tag', { name: 'reg-churn', key: 'stage' })).status).toBe(200);
			expect((await api('DELETE', 'model-versions/delete-tag', { name: 'reg-churn', version: '1', key: 'validated' })).status).toBe(200);
			expect((await version('reg-churn', '1')).body.model_version.tags).toBeUndefined();
			expect(errorOf(await api('PATCH', 'registered-models/update', { name: 'nope', description: 'x' }))).toMatchObject({ status: 404 });
			expect(errorOf(await api('POST', 'model-versions/set-tag', { name: 'reg-churn', version: '9', key: 'k', value: 'v' }))).toMatchObject({ status: 404 });
			expect(errorOf(await api('POST', 'registered-models/set-tag', { name: 'reg-churn', value: 'v' }))).toMatchObject({ status: 400 });
		});

		it('sets, reads and deletes aliases', async () => {
			expect((await api('POST', 'registered-models/alias', { name: 'reg-churn', alias: 'champion', version: '1' })).body).toEqual({});
			const byAlias = await api('GET', 'registered-models/alias', { name: 'reg-churn', alias: 'champion' });
			expect(byAlias.status).toBe(200);
			expect(byAlias.body.model_version).toMatchObject({ name: 'reg-churn', version: '1', aliases: ['champion'], status: 'READY' });
			// moving the alias
			await api('POST', 'registered-models/alias', { name: 'reg-churn', alias: 'champion', version: '2' });
			await api('POST', 'registered-models/alias', { name: 'reg-churn', alias: 'challenger', version: '1' });
			expect((await api('GET', 'registered-models/get', { name: 'reg-churn' })).body.registered_model.aliases).toEqual([
				{ alias: 'challenger', version: '1' },
				{ alias: 'champion', version: '2' }
			]);
			for (const alias of ['latest', 'V3', 'has space', '']) {
				expect(errorOf(await api('POST', 'registered-models/alias', { name: 'reg-churn', alias, version: '1' })), alias).toMatchObject({
					status: 400,
					error_code: 'INVALID_PARAMETER_VALUE'
				});
			}
			expect(errorOf(await api('POST', 'registered-models/alias', { name: 'reg-churn', alias: 'x', version: '42' }))).toMatchObject({ status: 404 });
			// MLflow's server: a missing alias is INVALID_PARAMETER_VALUE, a missing model or version 404
			expect(errorOf(await api('GET', 'registered-models/alias', { name: 'reg-churn', alias: 'nobody' }))).toMatchObject({
				status: 400,
				error_code: 'INVALID_PARAMETER_VALUE'
			});
			expect(errorOf(await api('GET', 'registered-models/alias', { name: 'no-such-model', alias: 'champion' }))).toMatchObject({
				status: 404,
				error_code: 'RESOURCE_DOES_NOT_EXIST'
			});
			expect((await api('DELETE', 'registered-models/alias', { name: 'reg-churn', alias: 'challenger' })).body).toEqual({});
			expect(errorOf(await api('GET', 'registered-models/alias', { name: 'reg-churn', alias: 'challenger' }))).toMatchObject({ status: 400 });
		});

		it('transitions stages and answers latest versions per stage', async () => {
			await api('POST', 'model-versions/create', { name: 'reg-churn', source: 's3://b/3' });
			const prod = await api('POST', 'model-versions/transition-stage', {
				name: 'reg-churn',
				version: '1',
				stage: 'production',
				archive_existing_versions: false
			});
			expect(prod.body.model_version).toMatchObject({ version: '1', current_stage: 'Production' });
			await api('POST', 'model-versions/transition-stage', { name: 'reg-churn', version: '2', stage: 'Production', archive_existing_versions: true });
			expect((await version('reg-churn', '1')).body.model_version.current_stage).toBe('Archived');
			const latestProd = await api('POST', 'registered-models/get-latest-versions', { name: 'reg-churn', stages: ['Production'] });
			expect(latestProd.body.model_versions.map((v: Json) => v.version)).toEqual(['2']);
			const latestAll = await api('GET', 'registered-models/get-latest-versions', { name: 'reg-churn' });
			expect(latestAll.body.model_versions.map((v: Json) => [v.version, v.current_stage])).toEqual([
				['1', 'Archived'],
				['2', 'Production'],
				['3', 'None']
			]);
			expect((await api('GET', 'registered-models/get', { name: 'reg-churn' })).body.registered_model.latest_versions.map((v: Json) => v.version)).toEqual([
				'1',
				'2',
				'3'
			]);
			expect((await api('POST', 'registered-models/get-latest-versions', { name: 'reg-churn', stages: ['Staging'] })).body).toEqual({});
			expect(errorOf(await api('POST', 'model-versions/transition-stage', { name: 'reg-churn', version: '3', stage: 'Shipping' }))).toMatchObject({
				status: 400
			});
			expect(
				errorOf(await api('POST', 'model-versions/transition-stage', { name: 'reg-churn', version: '3', stage: 'None', archive_existing_versions: true }))
			).toMatchObject({
				status: 400
			});
			expect(errorOf(await api('POST', 'registered-models/get-latest-versions', { name: 'nope' }))).toMatchObject({ status: 404 });
		});

		it('searches registered models and model versions, with pages', async () => {
			for (const name of ['search-a', 'search-b', 'search-c']) {
				await api('POST', 'registered-models/create', { name, tags: [{ key: 'kind', value: name === 'search-b' ? 'tree' : 'linear' }] });
				await api('POST', 'model-versions/create', { name, source: `s3://b/${name}`, run_id: name === 'search-c' ? runId : 'other-run' });
			}
			const names = (list: Json[] | undefined) => (list ?? []).map((m) => m.name);
			expect(names((await api('GET', 'registered-models/search', { filter: "name LIKE 'search-%'" })).body.registered_models)).toEqual([
				'search-a',
				'search-b',
				'search-c'
			]);
			expect(
				names(
					(await api('GET', 'registered-models/search', { filter: "name ILIKE 'SEARCH-%' AND tags.kind = 'linear'", order_by: ['name DESC'] })).body
						.registered_models
				)
			).toEqual(['search-c', 'search-a']);
			expect(names((await api('GET', 'registered-models/search', { filter: "name = 'reg-churn'" })).body.registered_models)).toEqual(['reg-churn']);
			const seen: string[] = [];
			let token: string | undefined;
			do {
				const res = await api('GET', 'registered-models/search', { filter: "name LIKE 'search-%'", max_results: 2, page_token: token });
				seen.push(...names(res.body.registered_models));
				token = res.body.next_page_token;
			} while (token);
			expect(seen).toEqual(['search-a', 'search-b', 'search-c']);

			const versions = (res: Json) => (res.body.model_versions ?? []).map((v: Json) => `${v.name}/${v.version}`);
			expect(versions(await api('GET', 'model-versions/search', { filter: "name = 'reg-churn'" }))).toEqual(['reg-churn/3', 'reg-churn/2', 'reg-churn/1']);
			expect(versions(await api('GET', 'model-versions/search', { filter: `run_id = '${runId}'` }))).toEqual(['reg-churn/2', 'reg-churn/1', 'search-c/1']);
			expect(versions(await api('GET', 'model-versions/search', { filter: `run_id IN ('${runId}', 'other-run') AND name LIKE 'search-%'` }))).toEqual([
				'search-a/1',
				'search-b/1',
				'search-c/1'
			]);
			expect(
				versions(await api('GET', 'model-versions/search', { filter: "name = 'reg-churn' AND version_number >= 2", order_by: ['version_number ASC'] }))
			).toEqual(['reg-churn/2', 'reg-churn/3']);
			expect(versions(await api('GET', 'model-versions/search', { filter: "tags.k = 'v'" }))).toEqual(['reg-churn/2']);
			expect(versions(await api('GET', 'model-versions/search', { filter: "source_path = 's3://b/search-b'" }))).toEqual(['search-b/1']);
			const page1 = await api('GET', 'model-versions/search', { filter: "name = 'reg-churn'", max_results: 2 });
			expect(versions(page1)).toEqual(['reg-churn/3', 'reg-churn/2']);
			expect(
				versions(await api('GET', 'model-versions/search', { filter: "name = 'reg-churn'", max_results: 2, page_token: page1.body.next_page_token }))
			).toEqual(['reg-churn/1']);
			for (const filter of ['name > 1', "metrics.x = 'y'", "name = 'a' OR name = 'b'"]) {
				expect(errorOf(await api('GET', 'registered-models/search', { filter })), filter).toMatchObject({ status: 400, error_code: 'INVALID_PARAMETER_VALUE' });
				expect(errorOf(await api('GET', 'model-versions/search', { filter })), filter).toMatchObject({ status: 400, error_code: 'INVALID_PARAMETER_VALUE' });
			}
		});

		it("leaves prompts out of registry searches and lets untagged models pass the clients' prompt filter", async () => {
			// MLflow's clients from 2.21 on send search_registered_models(filter) as this filter.
			const clientFilter = (filter: string) => `${filter} AND tag.\`mlflow.prompt.is_prompt\` != 'true'`;
			const prompt = [{ key: 'mlflow.prompt.is_prompt', value: 'true' }];
			await api('POST', 'registered-models/create', { name: 'prm-plain', tags: [{ key: 'team', value: 'ml' }] });
			await api('POST', 'registered-models/create', { name: 'prm-false', tags: [{ key: 'mlflow.prompt.is_prompt', value: 'false' }] });
			await api('POST', 'registered-models/create', { name: 'prm-prompt', tags: prompt });
			for (const name of ['prm-plain', 'prm-false']) await api('POST', 'model-versions/create', { name, source: `s3://b/${name}` });
			await api('POST', 'model-versions/create', { name: 'prm-prompt', source: 's3://b/prm-prompt', tags: prompt });

			const models = async (filter?: string) =>
				((await api('GET', 'registered-models/search', { filter })).body.registered_models ?? [])
					.map((m: Json) => m.name)
					.filter((n: string) => n.startsWith('prm-'));
			expect(await models(clientFilter("name LIKE 'prm-%'"))).toEqual(['prm-false', 'prm-plain']);
			expect(await models("tags.`mlflow.prompt.is_prompt` != 'true'")).toEqual(['prm-false', 'prm-plain']);
			expect(await models("tags.`mlflow.prompt.is_prompt` = 'false'")).toEqual(['prm-false', 'prm-plain']);
			expect(await models()).toEqual(['prm-false', 'prm-plain']);
			expect(await models(clientFilter("tags.team = 'ml'"))).toEqual(['prm-plain']);
			// asking for prompts keeps the filter as written
			expect(await models("tag.`mlflow.prompt.is_prompt` = 'true'")).toEqual(['prm-prompt']);
			expect(await models("tag.`mlflow.prompt.is_prompt` != 'false'")).toEqual(['prm-prompt']);
			// any other tag's != still means "has the tag, with another value", as in MLflow
			expect(await models("name LIKE 'prm-%' AND tags.team != 'data'")).toEqual(['prm-plain']);

			const versions = async (filter: string) =>
				((await api('GET', 'model-versions/search', { filter })).body.model_versions ?? []).map((v: Json) => `${v.name}/${v.version}`);
			expect(await versions("name LIKE 'prm-%'")).toEqual(['prm-false/1', 'prm-plain/1']);
			expect(await versions(clientFilter("name LIKE 'prm-%'"))).toEqual(['prm-false/1', 'prm-plain/1']);
			expect(await versions("name LIKE 'prm-%' AND tag.`mlflow.prompt.is_prompt` = 'true'")).toEqual(['prm-prompt/1']);
			// bad comparisons on the prompt tag are still refused
			expect(errorOf(await api('GET', 'registered-models/search', { filter: 'tag.`mlflow.prompt.is_prompt` = 1' }))).toMatchObject({ status: 400 });
			for (const name of ['prm-plain', 'prm-false', 'prm-prompt']) await api('DELETE', 'registered-models/delete', { name });
		});

		it('gives a version registered from a logged model the run that logged it', async () => {
			const run = (await api('POST', 'runs/create', {})).body.run.info;
			const { model } = (await api('POST', 'logged-models', { experiment_id: run.experiment_id, name: 'model', source_run_id: run.run_id })).body;
			const modelId: string = model.info.model_id;
			await api('POST', 'registered-models/create', { name: 'reg-logged' });
			// mlflow.register_model("models:/m-…", name) and create_model_version(model_id=…): no run_id
			const fromUri = (await api('POST', 'model-versions/create', { name: 'reg-logged', source: `models:/${modelId}`, model_id: modelId })).body.model_version;
			expect(fromUri).toMatchObject({ version: '1', source: `models:/${modelId}`, model_id: modelId, run_id: run.run_id });
			const byId = (await api('POST', 'model-versions/create', { name: 'reg-logged', source: 's3://b/elsewhere', model_id: modelId })).body.model_version;
			expect(byId).toMatchObject({ version: '2', model_id: modelId, run_id: run.run_id });
			// a run_id given wins, as in MLflow
			const given = (await api('POST', 'model-versions/create', { name: 'reg-logged', source: `models:/${modelId}`, run_id: runId })).body.model_version;
			expect(given).toMatchObject({ version: '3', run_id: runId });
			const found = (await api('GET', 'model-versions/search', { filter: `run_id = '${run.run_id}'` })).body.model_versions;
			expect(found.map((v: Json) => `${v.name}/${v.version}`)).toEqual(['reg-logged/2', 'reg-logged/1']);
			await api('DELETE', 'registered-models/delete', { name: 'reg-logged' });
		});

		it('renames a model with its versions, tags and aliases', async () => {
			await api('POST', 'registered-models/create', { name: 'reg-taken' });
			expect(errorOf(await api('POST', 'registered-models/rename', { name: 'reg-churn', new_name: 'reg-taken' }))).toMatchObject({
				status: 400,
				error_code: 'RESOURCE_ALREADY_EXISTS'
			});
			const renamed = await api('POST', 'registered-models/rename', { name: 'reg-churn', new_name: 'reg-churn-v2' });
			expect(renamed.status).toBe(200);
			expect(renamed.body.registered_model).toMatchObject({
				name: 'reg-churn-v2',
				aliases: [{ alias: 'champion', version: '2' }],
				tags: [{ key: 'owner', value: 'ml' }]
			});
			expect((await version('reg-churn-v2', '2')).body.model_version).toMatchObject({
				name: 'reg-churn-v2',
				aliases: ['champion'],
				tags: [{ key: 'k', value: 'v' }]
			});
			expect(errorOf(await api('GET', 'registered-models/get', { name: 'reg-churn' }))).toMatchObject({ status: 404 });
			expect(errorOf(await api('POST', 'registered-models/rename', { name: 'reg-churn', new_name: 'x' }))).toMatchObject({ status: 404 });
		});

		it('deletes versions (never reusing numbers) and models', async () => {
			expect((await api('DELETE', 'model-versions/delete', { name: 'reg-churn-v2', version: '2' })).body).toEqual({});
			expect(errorOf(await version('reg-churn-v2', '2'))).toMatchObject({ status: 404 });
			// the alias that pointed at it went with it
			expect(errorOf(await api('GET', 'registered-models/alias', { name: 'reg-churn-v2', alias: 'champion' }))).toMatchObject({ status: 400 });
			const next = await api('POST', 'model-versions/create', { name: 'reg-churn-v2', source: 's3://b/4' });
			expect(next.body.model_version.version).toBe('4');
			expect(errorOf(await api('DELETE', 'model-versions/delete', { name: 'reg-churn-v2', version: '2' }))).toMatchObject({ status: 404 });

			expect((await api('DELETE', 'registered-models/delete', { name: 'reg-churn-v2' })).body).toEqual({});
			expect(errorOf(await api('GET', 'registered-models/get', { name: 'reg-churn-v2' }))).toMatchObject({ status: 404 });
			expect(errorOf(await version('reg-churn-v2', '1'))).toMatchObject({ status: 404 });
			expect(errorOf(await api('DELETE', 'registered-models/delete', { name: 'reg-churn-v2' }))).toMatchObject({
				status: 404,
				error_code: 'RESOURCE_DOES_NOT_EXIST'
			});
			// re-creating starts again at version 1
			await api('POST', 'registered-models/create', { name: 'reg-churn-v2' });
			expect((await api('POST', 'model-versions/create', { name: 'reg-churn-v2', source: 's3://b/1' })).body.model_version.version).toBe('1');
		});
	});
}
