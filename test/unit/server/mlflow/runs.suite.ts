import { beforeAll, describe, expect, it } from 'vitest';
import { errorOf, type Json, type MlflowHarness, type SuiteContext, type Api } from './helpers';

const T0 = 1_700_000_000_000;

/** Registers the suite; `ctx` holds the harness the caller opened (one per store). */
export function runsSuite(ctx: SuiteContext): void {
	describe('MLflow runs API', () => {
		let h: MlflowHarness;
		let api: Api;
		let experimentId: string;

		beforeAll(async () => {
			h = ctx.h;
			api = ctx.api;
			experimentId = (await api('POST', 'experiments/create', { name: 'runs' })).body.experiment_id;
		});

		const newRun = async (extra: Record<string, unknown> = {}): Promise<string> => {
			const res = await api('POST', 'runs/create', { experiment_id: experimentId, ...extra });
			expect(res.status).toBe(200);
			return res.body.run.info.run_id;
		};
		const getRun = async (runId: string): Promise<Json> => (await api('GET', 'runs/get', { run_id: runId })).body.run;

		it('creates a run with MLflow run info, tags and the run name in both places', async () => {
			const res = await api('POST', 'runs/create', {
				experiment_id: experimentId,
				user_id: 'alice',
				start_time: T0,
				run_name: 'first',
				tags: [
					{ key: 'mlflow.user', value: 'alice' },
					{ key: 'mlflow.source.type', value: 'LOCAL' }
				]
			});
			expect(res.status).toBe(200);
			const { info, data, inputs, outputs } = res.body.run;
			expect(info).toEqual({
				run_id: expect.stringMatching(/^[0-9a-f]{32}$/),
				run_uuid: info.run_id,
				run_name: 'first',
				experiment_id: experimentId,
				user_id: 'alice',
				status: 'RUNNING',
				start_time: T0,
				artifact_uri: `mlflow-artifacts:/${experimentId}/${info.run_id}/artifacts`,
				lifecycle_stage: 'active'
			});
			expect(data.tags).toEqual([
				{ key: 'mlflow.runName', value: 'first' },
				{ key: 'mlflow.source.type', value: 'LOCAL' },
				{ key: 'mlflow.user', value: 'alice' }
			]);
			expect(inputs).toEqual({});
			expect(outputs).toEqual({});

			// by tag only, and with neither (a generated name)
			const tagged = await getRun(await newRun({ tags: [{ key: 'mlflow.runName', value: 'from-tag' }] }));
			expect(tagged.info.run_name).toBe('from-tag');
			const generated = await getRun(await newRun());
			expect(generated.info.run_name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
			expect(generated.data.tags).toContainEqual({ key: 'mlflow.runName', value: generated.info.run_name });
			// no experiment id: the Default experiment
			const inDefault = await api('POST', 'runs/create', {});
			expect(inDefault.body.run.info.experiment_id).toBe('0');
			expect(inDefault.body.run.info.artifact_uri).toMatch(/^mlflow-artifacts:\/0\/[0-9a-f]{32}\/artifacts$/);
		});

		it('refuses bad run creation', async () => {
			expect(errorOf(await api('POST', 'runs/create', { experiment_id: '9999' }))).toMatchObject({ status: 404, error_code: 'RESOURCE_DOES_NOT_EXIST' });
			expect(
				errorOf(await api('POST', 'runs/create', { experiment_id: experimentId, run_name: 'a', tags: [{ key: 'mlflow.runName', value: 'b' }] }))
			).toMatchObject({ status: 400, error_code: 'INVALID_PARAMETER_VALUE' });
			expect(errorOf(await api('POST', 'runs/create', { experiment_id: experimentId, start_time: 'soon' }))).toMatchObject({ status: 400 });
			expect(errorOf(await api('POST', 'runs/create', { experiment_id: experimentId, tags: [{ key: '../x', value: 'v' }] }))).toMatchObject({
				status: 400,
				error_code: 'INVALID_PARAMETER_VALUE'
			});
		});

		it('gets a run by run_id or run_uuid; unknown is 404, none is 400', async () => {
			const id = await newRun();
			expect((await api('GET', 'runs/get', { run_uuid: id })).body.run.info.run_id).toBe(id);
			expect(errorOf(await api('GET', 'runs/get', { run_id: 'f'.repeat(32) }))).toEqual({
				status: 404,
				error_code: 'RESOURCE_DOES_NOT_EXIST',
				message: `Run with id=${'f'.repeat(32)} not found`
			});
			expect(errorOf(await api('GET', 'runs/get', {}))).toMatchObject({ status: 400, error_code: 'INVALID_PARAMETER_VALUE' });
		});

		it('updates status, end time and name (runs/update → run_info)', async () => {
			const id = await newRun({ run_name: 'before' });
			const res = await api('POST', 'runs/update', { run_id: id, run_uuid: id, status: 'FINISHED', end_time: T0 + 5, run_name: 'after' });
			expect(res.status).toBe(200);
			expect(res.body.run_info).toMatchObject({ run_id: id, status: 'FINISHED', end_time: T0 + 5, run_name: 'after' });
			expect((await getRun(id)).data.tags).toContainEqual({ key: 'mlflow.runName', value: 'after' });
			// set-tag of mlflow.runName renames too
			await api('POST', 'runs/set-tag', { run_id: id, key: 'mlflow.runName', value: 'again' });
			expect((await getRun(id)).info.run_name).toBe('again');
			expect(errorOf(await api('POST', 'runs/update', { run_id: id, status: 'DONE' }))).toMatchObject({ status: 400, error_code: 'INVALID_PARAMETER_VALUE' });
			expect(errorOf(await api('POST', 'runs/update', { run_id: 'a'.repeat(32), status: 'FINISHED' }))).toMatchObject({ status: 404 });
		});

		it('logs params once: the same value again is fine, another is 400', async () => {
			const id = await newRun();
			expect((await api('POST', 'runs/log-parameter', { run_id: id, run_uuid: id, key: 'alpha', value: '0.5' })).body).toEqual({});
			expect((await api('POST', 'runs/log-parameter', { run_id: id, key: 'alpha', value: '0.5' })).status).toBe(200);
			const changed = await api('POST', 'runs/log-parameter', { run_id: id, key: 'alpha', value: '0.7' });
			expect(errorOf(changed)).toMatchObject({
				status: 400,
				error_code: 'INVALID_PARAMETER_VALUE',
				message: expect.stringContaining('Changing param values is not allowed')
			});
			expect((await getRun(id)).data.params).toEqual([{ key: 'alpha', value: '0.5' }]);
			for (const key of ['', 'a\\b', '/abs', 'x/../y', 'semi;colon']) {
				expect(errorOf(await api('POST', 'runs/log-parameter', { run_id: id, key, value: '1' })), key).toMatchObject({ status: 400 });
			}
			expect(errorOf(await api('POST', 'runs/log-parameter', { run_id: id, key: 'big', value: 'x'.repeat(6001) }))).toMatchObject({ status: 400 });
			expect((await api('POST', 'runs/log-parameter', { run_id: id, key: 'with space/and:colon-dash.dot', value: '' })).status).toBe(200);
		});

		it('logs metrics with steps, NaN and ±Infinity; runs/get shows the latest by (step, timestamp)', async () => {
			const id = await newRun();
			const log = (key: string, value: unknown, timestamp: number, step?: number) =>
				api('POST', 'runs/log-metric', { run_id: id, run_uuid: id, key, value, timestamp, step });
			expect((await log('loss', 1.5, T0, 0)).body).toEqual({});
			await log('loss', 0.9, T0 + 10, 1);
			await log('loss', 0.7, T0 + 5, 2); // later step, earlier timestamp: still the latest
			await log('nan', 'NaN', T0);
			await log('inf', 'Infinity', T0);
			await log('neg', '-Infinity', T0);
			await log('str', '0.25', T0);
			const metrics = (await getRun(id)).data.metrics;
			expect(metrics).toEqual([
				{ key: 'inf', value: 'Infinity', timestamp: T0, step: 0 },
				{ key: 'loss', value: 0.7, timestamp: T0 + 5, step: 2 },
				{ key: 'nan', value: 'NaN', timestamp: T0, step: 0 },
				{ key: 'neg', value: '-Infinity', timestamp: T0, step: 0 },
				{ key: 'str', value: 0.25, timestamp: T0, step: 0 }
			]);
			for (const bad of [
				{ key: 'x', value: 'abc', timestamp: T0 },
				{ key: 'x', timestamp: T0 },
				{ key: 'x', value: 1 },
				{ value: 1, timestamp: T0 }
			]) {
				expect(errorOf(await api('POST', 'runs/log-metric', { run_id: id, ...bad })), JSON.stringify(bad)).toMatchObject({
					status: 400,
					error_code: 'INVALID_PARAMETER_VALUE'
				});
			}
			expect(errorOf(await api('POST', 'runs/log-metric', { run_id: 'b'.repeat(32), key: 'x', value: 1, timestamp: T0 }))).toMatchObject({ status: 404 });
		});

		it('serves metric history in step order, paged, without duplicates', async () => {
			const id = await newRun();
			for (let step = 0; step < 5; step++) await api('POST', 'runs/log-metric', { run_id: id, key: 'acc', value: step / 10, timestamp: T0 + step, step });
			// an identical re-log is kept once
			await api('POST', 'runs/log-metric', { run_id: id, key: 'acc', value: 0.2, timestamp: T0 + 2, step: 2 });
			const all = await api('GET', 'metrics/get-history', { run_id: id, metric_key: 'acc' });
			expect(all.status).toBe(200);
			expect(all.body.next_page_token).toBeUndefined();
			expect(all.body.metrics.map((m: Json) => [m.step, m.value, m.timestamp])).toEqual([0, 1, 2, 3, 4].map((s) => [s, s / 10, T0 + s]));

			const steps: number[] = [];
			let token: string | undefined;
			let pages = 0;
			do {
				const res = await api('GET', 'metrics/get-history', { run_id: id, metric_key: 'acc', max_results: 2, page_token: token });
				steps.push(...res.body.metrics.map((m: Json) => m.step));
				token = res.body.next_page_token;
				pages++;
			} while (token);
			expect(pages).toBe(3);
			expect(steps).toEqual([0, 1, 2, 3, 4]);

			expect((await api('GET', 'metrics/get-history', { run_uuid: id, metric_key: 'missing' })).body).toEqual({});
			expect(errorOf(await api('GET', 'metrics/get-history', { run_id: 'c'.repeat(32), metric_key: 'acc' }))).toMatchObject({ status: 404 });
			expect(errorOf(await api('GET', 'metrics/get-history', { run_id: id }))).toMatchObject({ status: 400 });
			expect(errorOf(await api('GET', 'metrics/get-history', { run_id: id, metric_key: 'acc', page_token: '%%%' }))).toMatchObject({ status: 400 });
		});

		it('logs batches within MLflow limits, atomically', async () => {
			const id = await newRun();
			const metric = (i: number) => ({ key: `m${i % 7}`, value: i, timestamp: T0 + i, step: i });
			const kv = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: String(i) }));
			const ok = await api('POST', 'runs/log-batch', { run_id: id, metrics: Array.from({ length: 1000 }, (_, i) => metric(i)) });
			expect(ok.status).toBe(200);
			expect(ok.body).toEqual({});
			const mixed = await api('POST', 'runs/log-batch', { run_id: id, params: kv('p', 100), tags: [...kv('t', 99), { key: 't0', value: 'last wins' }] });
			expect(mixed.status).toBe(200);
			const run = await getRun(id);
			expect(run.data.params).toHaveLength(100);
			expect(run.data.tags).toContainEqual({ key: 't0', value: 'last wins' });
			expect(run.data.metrics).toHaveLength(7);

			const limits: [string, Record<string, unknown>][] = [
				['1001 metrics', { metrics: Array.from({ length: 1001 }, (_, i) => metric(i)) }],
				['101 params', { params: kv('q', 101) }],
				['101 tags', { tags: kv('u', 101) }],
				['1001 items', { metrics: Array.from({ length: 850 }, (_, i) => metric(i)), params: kv('q', 100), tags: kv('u', 51) }]
			];
			for (const [label, batch] of limits) {
				expect(errorOf(await api('POST', 'runs/log-batch', { run_id: id, ...batch })), label).toMatchObject({
					status: 400,
					error_code: 'INVALID_PARAMETER_VALUE'
				});
			}
			// A param conflict fails the whole batch: the metric and tag in it are not written either.
			const conflict = await api('POST', 'runs/log-batch', {
				run_id: id,
				metrics: [{ key: 'fresh', value: 1, timestamp: T0 }],
				params: [{ key: 'p1', value: 'changed' }],
				tags: [{ key: 'fresh-tag', value: 'x' }]
			});
			expect(errorOf(conflict)).toMatchObject({ status: 400, error_code: 'INVALID_PARAMETER_VALUE' });
			const after = await getRun(id);
			expect(after.data.metrics.some((m: Json) => m.key === 'fresh')).toBe(false);
			expect(after.data.tags.some((t: Json) => t.key === 'fresh-tag')).toBe(false);
			expect(
				errorOf(
					await api('POST', 'runs/log-batch', {
						run_id: id,
						params: [
							{ key: 'dup', value: 'a' },
							{ key: 'dup', value: 'b' }
						]
					})
				)
			).toMatchObject({ status: 400 });
			expect(errorOf(await api('POST', 'runs/log-batch', { run_id: id, metrics: [{ key: 'x', value: 'oops', timestamp: 1 }] }))).toMatchObject({ status: 400 });
		});

		it('sets and deletes run tags', async () => {
			const id = await newRun();
			expect((await api('POST', 'runs/set-tag', { run_id: id, run_uuid: id, key: 'team', value: 'ml' })).body).toEqual({});
			await api('POST', 'runs/set-tag', { run_id: id, key: 'team', value: 'data' });
			expect((await getRun(id)).data.tags).toContainEqual({ key: 'team', value: 'data' });
			expect((await api('POST', 'runs/delete-tag', { run_id: id, key: 'team' })).status).toBe(200);
			expect((await getRun(id)).data.tags.some((t: Json) => t.key === 'team')).toBe(false);
			expect(errorOf(await api('POST', 'runs/delete-tag', { run_id: id, key: 'team' }))).toMatchObject({ status: 404, error_code: 'RESOURCE_DOES_NOT_EXIST' });
			expect(errorOf(await api('POST', 'runs/set-tag', { run_id: id, value: 'x' }))).toMatchObject({ status: 400 });
		});

		it('deletes and restores runs; a deleted run takes no writes', async () => {
			const id = await newRun();
			expect((await api('POST', 'runs/delete', { run_id: id })).body).toEqual({});
			expect((await getRun(id)).info.lifecycle_stage).toBe('deleted');
			for (const [endpoint, body] of [
				['runs/log-metric', { key: 'm', value: 1, timestamp: T0 }],
				['runs/log-parameter', { key: 'p', value: '1' }],
				['runs/set-tag', { key: 't', value: '1' }],
				['runs/log-batch', { metrics: [] }],
				['runs/update', { status: 'FINISHED' }]
			] as const) {
				expect(errorOf(await api('POST', endpoint, { run_id: id, ...body })), endpoint).toMatchObject({ status: 400, error_code: 'INVALID_PARAMETER_VALUE' });
			}
			expect((await api('POST', 'runs/restore', { run_id: id })).status).toBe(200);
			expect((await getRun(id)).info.lifecycle_stage).toBe('active');
			expect(errorOf(await api('POST', 'runs/delete', { run_id: 'd'.repeat(32) }))).toMatchObject({ status: 404 });
			expect(errorOf(await api('POST', 'runs/restore', { run_id: 'd'.repeat(32) }))).toMatchObject({ status: 404 });
		});

		it('records log-model history in the mlflow.log-model.history tag', async () => {
			const id = await newRun();
			const model = (path: string) => ({
				run_id: id,
				artifact_path: path,
				utc_time_created: '2024-01-01 00:00:00.000000',
				flavors: { python_function: { loader_module: 'mlflow.sklearn' } },
				signature: { inputs: '[]' },
				model_uuid: `uuid-${path}`
			});
			expect((await api('POST', 'runs/log-model', { run_id: id, model_json: JSON.stringify(model('model')) })).body).toEqual({});
			await api('POST', 'runs/log-model', { run_id: id, model_json: JSON.stringify(model('other')) });
			const tag = (await getRun(id)).data.tags.find((t: Json) => t.key === 'mlflow.log-model.history');
			const history = JSON.parse(tag.value);
			expect(history.map((m: Json) => m.artifact_path)).toEqual(['model', 'other']);
			expect(history[0]).not.toHaveProperty('signature');
			expect(history[0]).toMatchObject({ run_id: id, flavors: { python_function: { loader_module: 'mlflow.sklearn' } }, model_uuid: 'uuid-model' });
			expect(errorOf(await api('POST', 'runs/log-model', { run_id: id, model_json: '{"artifact_path": "x"}' }))).toMatchObject({
				status: 400,
				message: expect.stringContaining('missing mandatory fields')
			});
			expect(errorOf(await api('POST', 'runs/log-model', { run_id: id, model_json: 'not json' }))).toMatchObject({ status: 400 });
			expect(errorOf(await api('POST', 'runs/log-model', { run_id: id }))).toMatchObject({ status: 400 });
		});

		it('records run outputs (MLflow 3)', async () => {
			const id = await newRun();
			const modelId = `m-${'0'.repeat(32)}`;
			expect((await api('POST', 'runs/outputs', { run_id: id, models: [{ model_id: modelId, step: 3 }] })).body).toEqual({});
			expect((await getRun(id)).outputs).toEqual({ model_outputs: [{ model_id: modelId, step: 3 }] });
			expect(errorOf(await api('POST', 'runs/outputs', { run_id: 'e'.repeat(32), models: [] }))).toMatchObject({ status: 404 });
			expect(errorOf(await api('POST', 'runs/outputs', { run_id: id, models: [{ step: 1 }] }))).toMatchObject({ status: 400 });
		});

		it('records run inputs: datasets (once per name and digest) and models', async () => {
			const id = await newRun();
			const dataset = { name: 'iris', digest: 'abc123', source_type: 'local', source: '{"uri": "/data/iris.csv"}', schema: '{"mlflow_colspec": []}' };
			const logged = await api('POST', 'runs/log-inputs', {
				run_id: id,
				datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'train' }], dataset }]
			});
			expect(logged.status).toBe(200);
			expect(logged.body).toEqual({});
			// the same dataset again (another context) stays logged once
			await api('POST', 'runs/log-inputs', { run_id: id, datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'eval' }], dataset }] });
			await api('POST', 'runs/log-inputs', { run_id: id, models: [{ model_id: `m-${'a'.repeat(32)}` }] });
			expect((await getRun(id)).inputs).toEqual({
				dataset_inputs: [{ tags: [{ key: 'mlflow.data.context', value: 'train' }], dataset }],
				model_inputs: [{ model_id: `m-${'a'.repeat(32)}` }]
			});
			expect(errorOf(await api('POST', 'runs/log-inputs', { run_id: id, datasets: [{ dataset: { name: 'x' } }] }))).toMatchObject({ status: 400 });
			expect(errorOf(await api('POST', 'runs/log-inputs', { run_id: 'e'.repeat(32), datasets: [] }))).toMatchObject({ status: 404 });
		});

		describe('search', () => {
			let searchExp: string;
			const ids: Record<string, string> = {};
			const names = (body: Json) => (body.runs ?? []).map((r: Json) => r.info.run_name);

			beforeAll(async () => {
				searchExp = (await api('POST', 'experiments/create', { name: 'runs-search' })).body.experiment_id;
				const fixture: [string, string, number, Record<string, number | string>, Record<string, string>, Record<string, string>][] = [
					['alpha-run', 'alice', 1000, { rmse: 0.5, acc: 0.9 }, { model: 'lr', alpha: '0.1' }, { team: 'ml', 'my key': 'x y' }],
					['beta-run', 'bob', 2000, { rmse: 0.8, acc: 'NaN' }, { model: 'rf' }, { team: 'ML' }],
					['gamma', 'alice', 3000, { rmse: 1.2 }, { model: 'lr', alpha: '0.5' }, {}],
					['delta', 'carol', 4000, {}, {}, { team: 'data', 'weird-key': '1' }]
				];
				for (const [name, user, start, metrics, params, tags] of fixture) {
					const id = (await api('POST', 'runs/create', { experiment_id: searchExp, run_name: name, user_id: user, start_time: start })).body.run.info.run_id;
					ids[name] = id;
					await api('POST', 'runs/log-batch', {
						run_id: id,
						metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: T0, step: 0 })),
						params: Object.entries(params).map(([key, value]) => ({ key, value })),
						tags: Object.entries(tags).map(([key, value]) => ({ key, value }))
					});
				}
				await api('POST', 'runs/update', { run_id: ids['alpha-run'], status: 'FINISHED', end_time: 1500 });
				await api('POST', 'runs/update', { run_id: ids.delta, status: 'FINISHED', end_time: 4500 });
				await api('POST', 'runs/update', { run_id: ids.gamma, status: 'FAILED' });
				const deleted = (await api('POST', 'runs/create', { experiment_id: searchExp, run_name: 'deleted-run', start_time: 5000 })).body.run.info.run_id;
				await api('POST', 'runs/delete', { run_id: deleted });
			});

			// Default order: start_time DESC, so delta, gamma, beta-run, alpha-run.
			const filters: [string, string | ((ids: Record<string, string>) => string), string[]][] = [
				['no filter', '', ['delta', 'gamma', 'beta-run', 'alpha-run']],
				['metric <', 'metrics.rmse < 1', ['beta-run', 'alpha-run']],
				['metric >= (singular prefix)', 'metric.rmse >= 0.8', ['gamma', 'beta-run']],
				['metric =', 'metrics.rmse = 0.5', ['alpha-run']],
				['metric !=', 'metrics.rmse != 0.5', ['gamma', 'beta-run']],
				['metric range', 'metrics.rmse > 0.4 AND metrics.rmse <= 0.8', ['beta-run', 'alpha-run']],
				['NaN is not > 0', 'metrics.acc > 0', ['alpha-run']],
				['NaN != 0.9', 'metrics.acc != 0.9', ['beta-run']],
				['scientific notation', 'metrics.rmse < 1e0', ['beta-run', 'alpha-run']],
				['param =', "params.model = 'lr'", ['gamma', 'alpha-run']],
				['param != (runs without it excluded)', "param.model != 'lr'", ['beta-run']],
				['param LIKE', "params.alpha LIKE '0.%'", ['gamma', 'alpha-run']],
				['param double-quoted value', 'params.model = "lr"', ['gamma', 'alpha-run']],
				['tag = (case-sensitive)', "tags.team = 'ml'", ['alpha-run']],
				['tag ILIKE', "tags.team ILIKE 'ml'", ['beta-run', 'alpha-run']],
				['tag LIKE', "tags.team LIKE 'M%'", ['beta-run']],
				['double-quoted key', 'tags."my key" = \'x y\'', ['alpha-run']],
				['backticked key', "tags.`weird-key` = '1'", ['delta']],
				['dotted key', "tags.mlflow.runName = 'delta'", ['delta']],
				['attribute status', "attributes.status = 'FINISHED'", ['delta', 'alpha-run']],
				['bare status !=', "status != 'RUNNING'", ['delta', 'gamma', 'alpha-run']],
				['run.status', "run.status = 'FAILED'", ['gamma']],
				['run_name LIKE', "run_name LIKE '%-run'", ['beta-run', 'alpha-run']],
				['`run name` alias', "`run name` = 'gamma'", ['gamma']],
				['user_id', "attributes.user_id = 'alice'", ['gamma', 'alpha-run']],
				['start_time >', 'start_time > 1500', ['delta', 'gamma', 'beta-run']],
				['created alias', 'created <= 2000', ['beta-run', 'alpha-run']],
				['attr range', 'attr.start_time >= 2000 AND attr.start_time < 4000', ['gamma', 'beta-run']],
				['end_time', 'end_time > 0', ['delta', 'alpha-run']],
				['run_id IN', (i) => `run_id IN ('${i['alpha-run']}', '${i.gamma}')`, ['gamma', 'alpha-run']],
				['run_id NOT IN', (i) => `attributes.run_id NOT IN ('${i['alpha-run']}')`, ['delta', 'gamma', 'beta-run']],
				['lower-case and', "params.model = 'lr' and metrics.rmse > 1", ['gamma']],
				['quote in a value stays a value', "params.model = 'x'' OR ''1''=''1'", []],
				['artifact_uri', (i) => `artifact_uri = 'mlflow-artifacts:/${searchExp}/${i.delta}/artifacts'`, ['delta']]
			];
			it.each(filters)('filter: %s', async (_label, filter, expected) => {
				const res = await api('POST', 'runs/search', { experiment_ids: [searchExp], filter: typeof filter === 'function' ? filter(ids) : filter });
				expect(res.status).toBe(200);
				expect(names(res.body)).toEqual(expected);
			});

			const orders: [string, string[], string[]][] = [
				['metric ASC, missing last', ['metrics.rmse ASC'], ['alpha-run', 'beta-run', 'gamma', 'delta']],
				['metric DESC, missing last', ['metrics.rmse DESC'], ['gamma', 'beta-run', 'alpha-run', 'delta']],
				['param, ties by start_time DESC', ['params.model'], ['gamma', 'alpha-run', 'beta-run', 'delta']],
				['param DESC', ['params.alpha DESC'], ['gamma', 'alpha-run', 'delta', 'beta-run']],
				['start_time ASC', ['attributes.start_time ASC'], ['alpha-run', 'beta-run', 'gamma', 'delta']],
				['`Run Name`', ['`Run Name` ASC'], ['alpha-run', 'beta-run', 'delta', 'gamma']],
				['two keys', ['status DESC', 'start_time ASC'], ['beta-run', 'alpha-run', 'delta', 'gamma']]
			];
			it.each(orders)('order_by: %s', async (_label, orderBy, expected) => {
				const res = await api('POST', 'runs/search', { experiment_ids: [searchExp], order_by: orderBy });
				expect(names(res.body)).toEqual(expected);
			});

			const bad: [string, Record<string, unknown>][] = [
				['string for a metric', { filter: "metrics.rmse > 'abc'" }],
				['number for a param', { filter: 'params.model = 1' }],
				['> on a param', { filter: "params.model > 'a'" }],
				['LIKE on a metric', { filter: 'metrics.rmse LIKE 1' }],
				['unknown prefix', { filter: "foo.bar = 'x'" }],
				['unknown attribute', { filter: "attributes.nope = 'x'" }],
				['IN on a non-id', { filter: "run_name IN ('a')" }],
				['OR', { filter: 'metrics.rmse < 1 OR metrics.rmse > 2' }],
				['incomplete', { filter: 'metrics.rmse <' }],
				['unterminated quote', { filter: "params.model = 'lr" }],
				['trailing statement', { filter: "params.model = 'x'; DROP TABLE mlflow_runs" }],
				['bad order_by', { order_by: ['metrics.rmse SIDEWAYS'] }],
				['bad order_by entity', { order_by: ['nope.x'] }],
				['bad page token', { page_token: 'bm90LWpzb24' }],
				['max_results 0', { max_results: 0 }],
				['max_results too large', { max_results: 50_001 }],
				['bad view type', { run_view_type: 'EVERYTHING' }],
				['non-integer experiment id', { experiment_ids: ['abc'] }]
			];
			it.each(bad)('400 for %s', async (_label, request) => {
				const res = await api('POST', 'runs/search', { experiment_ids: [searchExp], ...request });
				expect(errorOf(res)).toMatchObject({ status: 400, error_code: 'INVALID_PARAMETER_VALUE' });
			});

			it('still has its tables after the injection attempt', async () => {
				expect(names((await api('POST', 'runs/search', { experiment_ids: [searchExp] })).body)).toHaveLength(4);
			});

			it('honours run_view_type', async () => {
				const deletedOnly = await api('POST', 'runs/search', { experiment_ids: [searchExp], run_view_type: 'DELETED_ONLY' });
				expect(names(deletedOnly.body)).toEqual(['deleted-run']);
				const all = await api('POST', 'runs/search', { experiment_ids: [searchExp], run_view_type: 'ALL' });
				expect(names(all.body)).toEqual(['deleted-run', 'delta', 'gamma', 'beta-run', 'alpha-run']);
			});

			it('pages with opaque tokens', async () => {
				const seen: string[] = [];
				let token: string | undefined;
				for (;;) {
					const res = await api('POST', 'runs/search', { experiment_ids: [searchExp], max_results: 1, page_token: token });
					seen.push(...names(res.body));
					token = res.body.next_page_token;
					if (!token) break;
					expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
				}
				expect(seen).toEqual(['delta', 'gamma', 'beta-run', 'alpha-run']);
			});

			it('answers whole runs, and {} for none', async () => {
				const res = await api('POST', 'runs/search', { experiment_ids: [searchExp], filter: "run_name = 'alpha-run'" });
				const [run] = res.body.runs;
				expect(run).toEqual((await api('GET', 'runs/get', { run_id: ids['alpha-run'] })).body.run);
				expect((await api('POST', 'runs/search', { experiment_ids: [searchExp], filter: "run_name = 'none'" })).body).toEqual({});
				expect((await api('POST', 'runs/search', { experiment_ids: [] })).body).toEqual({});
				expect((await api('POST', 'runs/search', { experiment_ids: ['424242'] })).body).toEqual({});
			});

			it('returns 1000 runs by default, then a token', async () => {
				const { experiment_id: big } = (await api('POST', 'experiments/create', { name: 'many-runs' })).body;
				await h.store.transaction((tx) =>
					tx.query(
						`INSERT INTO mlflow_runs (run_id, experiment_id, run_name, start_time, artifact_uri)
						 SELECT md5(i::text), $1, 'r' || i, i, 'mlflow-artifacts:/x' FROM generate_series(1, 1001) AS i`,
						[Number(big)]
					)
				);
				const first = await api('POST', 'runs/search', { experiment_ids: [big] });
				expect(first.body.runs).toHaveLength(1000);
				expect(first.body.runs[0].info.run_name).toBe('r1001');
				const second = await api('POST', 'runs/search', { experiment_ids: [big], page_token: first.body.next_page_token });
				expect(second.body.runs.map((r: Json) => r.info.run_name)).toEqual(['r1']);
				expect(second.body.next_page_token).toBeUndefined();
			});
		});
	});
}
