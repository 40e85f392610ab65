import { beforeAll, describe, expect, it } from 'vitest';
import { errorOf, type Json, type SuiteContext, type Api } from './helpers';

const T0 = 1_700_000_000_000;

/** Registers the suite; `ctx` holds the harness the caller opened (one per store). */
export function loggedModelsSuite(ctx: SuiteContext): void {
	describe('MLflow 3 logged models API', () => {
		let api: Api;
		let exp: string;
		let runId: string;

		beforeAll(async () => {
			api = ctx.api;
			exp = (await api('POST', 'experiments/create', { name: 'models' })).body.experiment_id;
			runId = (await api('POST', 'runs/create', { experiment_id: exp })).body.run.info.run_id;
		});

		const create = async (body: Record<string, unknown>): Promise<Json> => {
			const res = await api('POST', 'logged-models', { experiment_id: exp, ...body });
			expect(res.status).toBe(200);
			return res.body.model;
		};

		it('creates a PENDING model with an m-… id and its own artifact location', async () => {
			const model = await create({
				name: 'model',
				source_run_id: runId,
				model_type: 'Classifier',
				params: [{ key: 'C', value: '1.0' }],
				tags: [{ key: 'mlflow.source.name', value: 'train.py' }]
			});
			const id = model.info.model_id;
			expect(id).toMatch(/^m-[0-9a-f]{32}$/);
			expect(model).toEqual({
				info: {
					model_id: id,
					experiment_id: exp,
					name: 'model',
					creation_timestamp_ms: expect.any(Number),
					last_updated_timestamp_ms: expect.any(Number),
					artifact_uri: `mlflow-artifacts:/${exp}/models/${id}/artifacts`,
					status: 'LOGGED_MODEL_PENDING',
					model_type: 'Classifier',
					source_run_id: runId,
					tags: [{ key: 'mlflow.source.name', value: 'train.py' }]
				},
				data: { params: [{ key: 'C', value: '1.0' }] }
			});
			expect((await api('GET', `logged-models/${id}`)).body).toEqual({ model });
			// a name is made up when none is given
			expect((await create({})).info.name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
			expect(errorOf(await api('POST', 'logged-models', { experiment_id: '31337' }))).toMatchObject({ status: 404, error_code: 'RESOURCE_DOES_NOT_EXIST' });
			expect(errorOf(await api('POST', 'logged-models', { name: 'x' }))).toMatchObject({ status: 400, error_code: 'INVALID_PARAMETER_VALUE' });
			expect(errorOf(await api('GET', `logged-models/m-${'9'.repeat(32)}`))).toMatchObject({ status: 404, error_code: 'RESOURCE_DOES_NOT_EXIST' });
		});

		it('finalizes (PATCH status), logs params, sets and deletes tags', async () => {
			const id = (await create({ name: 'lifecycle' })).info.model_id;
			const ready = await api('PATCH', `logged-models/${id}`, { model_id: id, status: 'LOGGED_MODEL_READY' });
			expect(ready.status).toBe(200);
			expect(ready.body.model.info.status).toBe('LOGGED_MODEL_READY');
			expect(errorOf(await api('PATCH', `logged-models/${id}`, { status: 'DONE' }))).toMatchObject({ status: 400 });
			expect(errorOf(await api('PATCH', `logged-models/m-${'1'.repeat(32)}`, { status: 'LOGGED_MODEL_READY' }))).toMatchObject({ status: 404 });

			const params = Array.from({ length: 150 }, (_, i) => ({ key: `p${i}`, value: String(i) }));
			expect((await api('POST', `logged-models/${id}/params`, { model_id: id, params })).body).toEqual({});
			expect((await api('GET', `logged-models/${id}`)).body.model.data.params).toHaveLength(150);
			expect(errorOf(await api('POST', `logged-models/${id}/params`, { params: [{ key: 'p1', value: 'other' }] }))).toMatchObject({ status: 400 });

			const versions = JSON.stringify([{ name: 'churn', version: '1' }]);
			const tagged = await api('PATCH', `logged-models/${id}/tags`, {
				tags: [
					{ key: 'mlflow.modelVersions', value: versions },
					{ key: 'a', value: '1' }
				]
			});
			expect(tagged.status).toBe(200);
			expect((await api('GET', `logged-models/${id}`)).body.model.info.tags).toEqual([
				{ key: 'a', value: '1' },
				{ key: 'mlflow.modelVersions', value: versions }
			]);
			expect((await api('DELETE', `logged-models/${id}/tags/mlflow.modelVersions`)).body).toEqual({});
			expect((await api('GET', `logged-models/${id}`)).body.model.info.tags).toEqual([{ key: 'a', value: '1' }]);
			expect(errorOf(await api('DELETE', `logged-models/${id}/tags/mlflow.modelVersions`))).toMatchObject({
				status: 404,
				error_code: 'RESOURCE_DOES_NOT_EXIST'
			});
		});

		it('links metrics logged with a model_id, and registrations', async () => {
			const id = (await create({ name: 'scored', source_run_id: runId })).info.model_id;
			await api('POST', 'runs/log-batch', {
				run_id: runId,
				metrics: [
					{ key: 'accuracy', value: 0.93, timestamp: T0, step: 0, model_id: id },
					{ key: 'accuracy', value: 0.95, timestamp: T0 + 1, step: 1, model_id: id, dataset_name: 'test', dataset_digest: 'abc' }
				]
			});
			const data = (await api('GET', `logged-models/${id}`)).body.model.data;
			expect(data.metrics).toEqual([
				{ key: 'accuracy', value: 0.93, timestamp: T0, step: 0, model_id: id, run_id: runId },
				{ key: 'accuracy', value: 0.95, timestamp: T0 + 1, step: 1, model_id: id, dataset_name: 'test', dataset_digest: 'abc', run_id: runId }
			]);
			await api('POST', 'registered-models/create', { name: 'scored-rm' });
			const mv = await api('POST', 'model-versions/create', { name: 'scored-rm', source: `models:/${id}`, run_id: runId, model_id: id });
			expect(mv.body.model_version).toMatchObject({ version: '1', model_id: id, source: `models:/${id}`, status: 'READY' });
			expect((await api('GET', 'model-versions/get-download-uri', { name: 'scored-rm', version: '1' })).body.artifact_uri).toBe(
				`mlflow-artifacts:/${exp}/models/${id}/artifacts`
			);
			expect((await api('GET', `logged-models/${id}`)).body.model.info.registrations).toEqual([{ name: 'scored-rm', version: '1' }]);
			expect(errorOf(await api('POST', 'model-versions/create', { name: 'scored-rm', source: 'models:/x', model_id: `m-${'2'.repeat(32)}` }))).toMatchObject({
				status: 404
			});
		});

		describe('search', () => {
			let searchExp: string;
			const names = (body: Json) => (body.models ?? []).map((m: Json) => m.info.name);

			beforeAll(async () => {
				searchExp = (await api('POST', 'experiments/create', { name: 'model-search' })).body.experiment_id;
				const run = (await api('POST', 'runs/create', { experiment_id: searchExp })).body.run.info.run_id;
				for (const [name, acc, kind] of [
					['model', 0.7, 'a'],
					['model', 0.9, 'b'],
					['other', 0.8, 'a']
				] as const) {
					const m = (
						await api('POST', 'logged-models', {
							experiment_id: searchExp,
							name,
							source_run_id: run,
							params: [{ key: 'kind', value: kind }],
							tags: [{ key: 'k', value: kind }]
						})
					).body.model.info.model_id;
					await api('POST', 'runs/log-metric', {
						run_id: run,
						key: 'acc',
						value: acc,
						timestamp: T0,
						step: 0,
						model_id: m,
						dataset_name: kind === 'b' ? 'holdout' : 'train'
					});
				}
			});

			const search = (body: Record<string, unknown>) => api('POST', 'logged-models/search', { experiment_ids: [searchExp], ...body });

			it.each([
				["name = 'model'", ['model', 'model']],
				["name != 'model'", ['other']],
				["params.kind = 'a'", ['model', 'other']],
				["tags.k = 'b' AND name LIKE 'mod%'", ['model']],
				['metrics.acc > 0.75', ['model', 'other']],
				["status = 'LOGGED_MODEL_PENDING'", ['model', 'model', 'other']]
			])('filter %s', async (filter, expected) => {
				// (models made in the same millisecond tie on the default order, so compare sorted)
				const res = await search({ filter });
				expect(res.status).toBe(200);
				expect(names(res.body).sort()).toEqual(expected);
			});

			it('orders by fields and metrics, restricts metrics to datasets, and pages', async () => {
				const byAcc = await search({ order_by: [{ field_name: 'metrics.acc', ascending: false }] });
				expect(byAcc.body.models.map((m: Json) => m.data.metrics[0].value)).toEqual([0.9, 0.8, 0.7]);
				const byName = await search({
					order_by: [
						{ field_name: 'name', ascending: true },
						{ field_name: 'creation_timestamp', ascending: true }
					]
				});
				expect(names(byName.body)).toEqual(['model', 'model', 'other']);
				expect(names((await search({ filter: 'metrics.acc > 0', datasets: [{ dataset_name: 'holdout' }] })).body)).toEqual(['model']);
				const first = await search({ max_results: 2 });
				expect(first.body.models).toHaveLength(2);
				const rest = await search({ max_results: 2, page_token: first.body.next_page_token });
				expect(rest.body.models).toHaveLength(1);
				expect(rest.body.next_page_token).toBeUndefined();
				expect((await search({ filter: "name = 'none'" })).body).toEqual({});
			});

			it('refuses bad searches', async () => {
				expect(errorOf(await api('POST', 'logged-models/search', { filter: "name = 'x'" }))).toMatchObject({ status: 400 });
				for (const body of [{ filter: 'name = 1' }, { filter: "bogus.x = 'y'" }, { order_by: [{ field_name: 'nope' }] }, { page_token: 'x' }]) {
					expect(errorOf(await search(body)), JSON.stringify(body)).toMatchObject({ status: 400, error_code: 'INVALID_PARAMETER_VALUE' });
				}
			});

			it('deletes a model: gone from get and search', async () => {
				const victim = (await search({ filter: "name = 'other'" })).body.models[0].info.model_id;
				expect((await api('DELETE', `logged-models/${victim}`)).body).toEqual({});
				expect(errorOf(await api('GET', `logged-models/${victim}`))).toMatchObject({ status: 404 });
				expect(names((await search({})).body)).toEqual(['model', 'model']);
				expect(errorOf(await api('DELETE', `logged-models/${victim}`))).toMatchObject({ status: 404 });
			});
		});
	});
}
