import { beforeAll, describe, expect, it } from 'vitest';
import { call, errorOf, type MlflowHarness, type SuiteContext, type Api } from './helpers';

/** Registers the suite; `ctx` holds the harness the caller opened (one per store). */
export function experimentsSuite(ctx: SuiteContext): void {
	describe('MLflow experiments API', () => {
		let h: MlflowHarness;
		let api: Api;

		beforeAll(async () => {
			h = ctx.h;
			api = ctx.api;
		});

		it('has the Default experiment with id "0"', async () => {
			const res = await api('GET', 'experiments/get', { experiment_id: '0' });
			expect(res.status).toBe(200);
			expect(res.body.experiment).toMatchObject({ experiment_id: '0', name: 'Default', lifecycle_stage: 'active', artifact_location: 'mlflow-artifacts:/0' });
			expect(typeof res.body.experiment.creation_time).toBe('number');
			const byName = await api('GET', 'experiments/get-by-name', { experiment_name: 'Default' });
			expect(byName.body.experiment.experiment_id).toBe('0');
		});

		it('creates, gets (by id and name) and refuses duplicates', async () => {
			const missing = await api('GET', 'experiments/get-by-name', { experiment_name: 'exp-a' });
			expect(errorOf(missing)).toMatchObject({ status: 404, error_code: 'RESOURCE_DOES_NOT_EXIST' });

			const created = await api('POST', 'experiments/create', { name: 'exp-a', tags: [{ key: 'team', value: 'ml' }] });
			expect(created.status).toBe(200);
			expect(created.body.experiment_id).toMatch(/^[1-9]\d*$/);
			const id = created.body.experiment_id;

			const got = await api('GET', 'experiments/get', { experiment_id: id });
			expect(got.body.experiment).toEqual({
				experiment_id: id,
				name: 'exp-a',
				artifact_location: `mlflow-artifacts:/${id}`,
				lifecycle_stage: 'active',
				creation_time: expect.any(Number),
				last_update_time: expect.any(Number),
				tags: [{ key: 'team', value: 'ml' }]
			});
			expect((await api('GET', 'experiments/get-by-name', { experiment_name: 'exp-a' })).body).toEqual(got.body);

			const dup = await api('POST', 'experiments/create', { name: 'exp-a' });
			expect(errorOf(dup)).toMatchObject({ status: 400, error_code: 'RESOURCE_ALREADY_EXISTS' });

			const located = await api('POST', 'experiments/create', { name: 'exp-located', artifact_location: 's3://bucket/place/' });
			expect((await api('GET', 'experiments/get', { experiment_id: located.body.experiment_id })).body.experiment.artifact_location).toBe('s3://bucket/place');
		});

		it('answers 400 INVALID_PARAMETER_VALUE for bad input and 404 for unknown ids', async () => {
			expect(errorOf(await api('POST', 'experiments/create', {}))).toMatchObject({
				status: 400,
				error_code: 'INVALID_PARAMETER_VALUE',
				message: expect.stringContaining("Missing value for required parameter 'name'")
			});
			expect(errorOf(await api('POST', 'experiments/create', { name: '  ' }))).toMatchObject({ status: 400, error_code: 'INVALID_PARAMETER_VALUE' });
			expect(errorOf(await api('POST', 'experiments/create', { name: 'x', tags: 'nope' }))).toMatchObject({
				status: 400,
				error_code: 'INVALID_PARAMETER_VALUE'
			});
			expect(errorOf(await api('GET', 'experiments/get', { experiment_id: '987654' }))).toEqual({
				status: 404,
				error_code: 'RESOURCE_DOES_NOT_EXIST',
				message: 'No Experiment with id=987654 exists'
			});
			expect(errorOf(await api('GET', 'experiments/get', { experiment_id: 'abc' }))).toMatchObject({ status: 400, error_code: 'INVALID_PARAMETER_VALUE' });
			expect(errorOf(await api('GET', 'experiments/get', {}))).toMatchObject({ status: 400, error_code: 'INVALID_PARAMETER_VALUE' });
		});

		it('renames (update), refusing a taken name', async () => {
			const { experiment_id: id } = (await api('POST', 'experiments/create', { name: 'to-rename' })).body;
			// ids may arrive as JSON numbers
			expect((await api('POST', 'experiments/update', { experiment_id: Number(id), new_name: 'renamed' })).body).toEqual({});
			expect((await api('GET', 'experiments/get', { experiment_id: id })).body.experiment.name).toBe('renamed');
			expect(errorOf(await api('POST', 'experiments/update', { experiment_id: id, new_name: 'exp-a' }))).toMatchObject({
				status: 400,
				error_code: 'RESOURCE_ALREADY_EXISTS'
			});
			expect(errorOf(await api('POST', 'experiments/update', { experiment_id: '55555', new_name: 'x' }))).toMatchObject({ status: 404 });
		});

		it('sets and deletes experiment tags', async () => {
			const { experiment_id: id } = (await api('POST', 'experiments/create', { name: 'tagged' })).body;
			await api('POST', 'experiments/set-experiment-tag', { experiment_id: id, key: 'k', value: 'v1' });
			await api('POST', 'experiments/set-experiment-tag', { experiment_id: id, key: 'k', value: 'v2' });
			await api('POST', 'experiments/set-experiment-tag', { experiment_id: id, key: 'note', value: '' });
			expect((await api('GET', 'experiments/get', { experiment_id: id })).body.experiment.tags).toEqual([
				{ key: 'k', value: 'v2' },
				{ key: 'note', value: '' }
			]);
			expect((await api('POST', 'experiments/delete-experiment-tag', { experiment_id: id, key: 'note' })).status).toBe(200);
			expect(errorOf(await api('POST', 'experiments/delete-experiment-tag', { experiment_id: id, key: 'note' }))).toMatchObject({ status: 404 });
			expect(errorOf(await api('POST', 'experiments/set-experiment-tag', { experiment_id: '4444', key: 'k', value: 'v' }))).toMatchObject({
				status: 404,
				error_code: 'RESOURCE_DOES_NOT_EXIST'
			});
			expect(errorOf(await api('POST', 'experiments/set-experiment-tag', { experiment_id: id, value: 'v' }))).toMatchObject({ status: 400 });
		});

		it('deletes and restores an experiment with its runs; the Default stays', async () => {
			const { experiment_id: id } = (await api('POST', 'experiments/create', { name: 'doomed' })).body;
			const run = (await api('POST', 'runs/create', { experiment_id: id })).body.run.info.run_id;
			expect((await api('POST', 'experiments/delete', { experiment_id: id })).body).toEqual({});
			expect((await api('GET', 'experiments/get', { experiment_id: id })).body.experiment.lifecycle_stage).toBe('deleted');
			expect((await api('GET', 'runs/get', { run_id: run })).body.run.info.lifecycle_stage).toBe('deleted');
			expect(errorOf(await api('POST', 'runs/create', { experiment_id: id }))).toMatchObject({ status: 400, error_code: 'INVALID_PARAMETER_VALUE' });
			// a deleted experiment's name is still taken
			expect(errorOf(await api('POST', 'experiments/create', { name: 'doomed' }))).toMatchObject({ error_code: 'RESOURCE_ALREADY_EXISTS' });
			expect((await api('POST', 'experiments/restore', { experiment_id: id })).status).toBe(200);
			expect((await api('GET', 'experiments/get', { experiment_id: id })).body.experiment.lifecycle_stage).toBe('active');
			expect((await api('GET', 'runs/get', { run_id: run })).body.run.info.lifecycle_stage).toBe('active');
			expect(errorOf(await api('POST', 'experiments/restore', { experiment_id: id }))).toMatchObject({ status: 400 });
			expect(errorOf(await api('POST', 'experiments/delete', { experiment_id: '0' }))).toMatchObject({ status: 400, error_code: 'INVALID_PARAMETER_VALUE' });
			expect(errorOf(await api('POST', 'experiments/delete', { experiment_id: '777' }))).toMatchObject({ status: 404 });
		});

		describe('search', () => {
			const names = ['search-b', 'search-a', 'search-c', 'Search-D'];
			beforeAll(async () => {
				for (const name of names) {
					const { experiment_id } = (await api('POST', 'experiments/create', { name })).body;
					await api('POST', 'experiments/set-experiment-tag', { experiment_id, key: 'group', value: name === 'search-c' ? 'odd' : 'even' });
				}
				const gone = (await api('POST', 'experiments/create', { name: 'search-gone' })).body.experiment_id;
				await api('POST', 'experiments/delete', { experiment_id: gone });
			});

			const cases: [string, Record<string, unknown>, string[]][] = [
				['name =', { filter: "name = 'search-a'" }, ['search-a']],
				['name LIKE (case-sensitive)', { filter: "name LIKE 'search-%'", order_by: ['name'] }, ['search-a', 'search-b', 'search-c']],
				['name ILIKE', { filter: "name ILIKE 'search-%'", order_by: ['name ASC'] }, ['Search-D', 'search-a', 'search-b', 'search-c']],
				['tags', { filter: "tags.group = 'odd'" }, ['search-c']],
				['name != and tag', { filter: "attribute.name != 'search-a' AND tags.`group` = 'even'", order_by: ['name DESC'] }, ['search-b', 'Search-D']],
				['deleted only', { filter: "name LIKE 'search-%'", view_type: 'DELETED_ONLY' }, ['search-gone']],
				['all', { filter: "name LIKE 'search-%'", view_type: 'ALL', order_by: ['name'] }, ['search-a', 'search-b', 'search-c', 'search-gone']],
				['order by experiment_id DESC', { filter: "name ILIKE 'search-%'", order_by: ['experiment_id DESC'] }, ['Search-D', 'search-c', 'search-a', 'search-b']]
			];
			it.each(cases)('%s', async (_label, request, expected) => {
				const res = await api('POST', 'experiments/search', request);
				expect(res.status).toBe(200);
				expect(res.body.experiments.map((e: { name: string }) => e.name)).toEqual(expected);
			});

			it('orders newest first, then by id, by default', async () => {
				const res = await api('POST', 'experiments/search', { filter: "name ILIKE 'search-%'" });
				const got = res.body.experiments.map((e: { experiment_id: string; creation_time: number }) => [e.creation_time, Number(e.experiment_id)]);
				const expected = [...got].sort((a, b) => b[0] - a[0] || a[1] - b[1]);
				expect(got).toHaveLength(4);
				expect(got).toEqual(expected);
			});

			it('takes GET with the query string too', async () => {
				const res = await api('GET', 'experiments/search', {
					filter: "name LIKE 'search-%'",
					order_by: ['name DESC'],
					view_type: 'ACTIVE_ONLY',
					max_results: 2
				});
				expect(res.body.experiments.map((e: { name: string }) => e.name)).toEqual(['search-c', 'search-b']);
				expect(typeof res.body.next_page_token).toBe('string');
			});

			it('pages with max_results and page_token', async () => {
				const seen: string[] = [];
				let token: string | undefined;
				let pages = 0;
				do {
					const res = await api('POST', 'experiments/search', { filter: "name ILIKE 'search-%'", order_by: ['name'], max_results: 3, page_token: token });
					seen.push(...res.body.experiments.map((e: { name: string }) => e.name));
					token = res.body.next_page_token;
					pages++;
				} while (token);
				expect(pages).toBe(2);
				expect(seen).toEqual(['Search-D', 'search-a', 'search-b', 'search-c']);
			});

			it('answers nothing as {} and bad input as 400', async () => {
				expect((await api('POST', 'experiments/search', { filter: "name = 'no-such'" })).body).toEqual({});
				for (const request of [
					{ filter: 'name = ' },
					{ filter: "params.x = 'y'" },
					{ page_token: 'garbage!' },
					{ max_results: 0 },
					{ order_by: ['name sideways'] },
					{ view_type: 'SOME' }
				]) {
					expect(errorOf(await api('POST', 'experiments/search', request)), JSON.stringify(request)).toMatchObject({
						status: 400,
						error_code: 'INVALID_PARAMETER_VALUE'
					});
				}
			});
		});

		it('answers unknown MLflow endpoints with 404 ENDPOINT_NOT_FOUND JSON, and malformed bodies with 400', async () => {
			for (const [method, path] of [
				['GET', 'experiments/nope'],
				['GET', 'experiments/create'],
				['POST', 'runs/get'],
				['GET', '/api/2.0/mlflow'],
				['GET', '/api/3.0/mlflow/server-info'],
				['POST', '/api/2.0/mlflow-artifacts/nope']
			]) {
				const res = await call(h.app, method, path);
				expect(res.status, `${method} ${path}`).toBe(404);
				expect(res.type).toMatch(/^application\/json/);
				expect(res.body.error_code).toBe('ENDPOINT_NOT_FOUND');
			}
			const malformed = await h.app.request('/api/2.0/mlflow/experiments/create', { method: 'POST', body: '{not json' });
			expect(malformed.status).toBe(400);
			expect((await malformed.json()).error_code).toBe('BAD_REQUEST');
			const array = await h.app.request('/api/2.0/mlflow/experiments/create', { method: 'POST', body: '[1]' });
			expect(array.status).toBe(400);
			// The rest of the API keeps its own shapes.
			const other = await h.app.request('/api/nothing');
			expect(await other.json()).toMatchObject({ error: { code: 'not_found' } });
			expect((await h.app.request('/api/health')).status).toBe(200);
		});
	});
}
