import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Hono } from 'hono';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '#server/app.ts';
import { chooseRoute } from '#server/serving/routing.ts';
import { Serving } from '#server/serving/service.ts';
import { openStore, type Store } from '#server/store/index.ts';
import { createToken } from '#server/tokens/service.ts';
import { preprocessingTags } from '#lib/cells/model/register.ts';
import { parseNotebook } from '#lib/notebook/format.ts';
import { targets, warnIfPostgresSkipped, type StoreTarget } from '../targets';

warnIfPostgresSkipped('serving-api.test.ts');

type Answer = { status: number; body: any; headers: Headers };

interface ModelCard {
	columns: string[];
	standardize?: Record<string, { mean: number; sd: number }>;
}
const card = (name: string) => JSON.parse(readFileSync(`static/models/${name}.json`, 'utf8')) as ModelCard;
const MLP = card('churn_mlp');
const NUMERIC = ['tenure_months', 'monthly_charges', 'sessions_per_week', 'avg_session_minutes', 'support_tickets', 'days_since_last_login'];

/** The first rows of the sample churn data, typed as a client would send them. */
function sampleRecords(count: number): Array<Record<string, unknown>> {
	const [header, ...lines] = readFileSync('static/samples/churn_events.csv', 'utf8').trim().split('\n');
	const names = header.split(',');
	return lines.slice(0, count).map((line) => {
		const cells = line.split(',');
		return Object.fromEntries(names.map((n, j) => [n, NUMERIC.includes(n) ? Number(cells[j]) : n === 'autopay' ? cells[j] === 'true' : cells[j]]));
	});
}

/** The MLP's tensor written out by hand from its card (not through the server's code). */
function handTensor(records: Array<Record<string, unknown>>): number[][] {
	return records.map((r) =>
		MLP.columns.map((c) => {
			const [column, value] = c.split('=');
			if (value !== undefined) return r[column] === value ? 1 : 0;
			const x = typeof r[c] === 'boolean' ? Number(r[c]) : (r[c] as number);
			const s = MLP.standardize?.[c];
			return s ? (x - s.mean) / s.sd : x;
		})
	);
}

async function directScores(file: string, rows: number[][]): Promise<Record<string, number[]>> {
	const session = await InferenceSession.create(file);
	const width = rows[0].length;
	const out = await session.run({ [session.inputNames[0]]: new Tensor('float32', Float32Array.from(rows.flat()), [rows.length, width]) });
	await session.release();
	return Object.fromEntries(Object.entries(out).map(([name, t]) => [name, Array.from(t.data as ArrayLike<number | bigint>, Number)]));
}

/** Prometheus text: `name{labels} value` lines into a map keyed by the series as written. */
function parseMetrics(text: string): Map<string, number> {
	const series = new Map<string, number>();
	for (const line of text.split('\n')) {
		if (line === '' || line.startsWith('#')) continue;
		const m = /^([a-zA-Z_:][\w:]*)(\{.*\})?\s+(\S+)$/.exec(line);
		if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
		series.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
	}
	return series;
}

async function readParquet(path: string): Promise<Array<Record<string, unknown>>> {
	const connection = await (await DuckDBInstance.create(':memory:')).connect();
	const rows = (await connection.runAndReadAll(`SELECT * FROM read_parquet('${path.replaceAll("'", "''")}')`)).getRowObjectsJson();
	connection.closeSync();
	return rows as Array<Record<string, unknown>>;
}

for (const factory of targets) {
	describe.runIf(factory.enabled)(`model serving on ${factory.kind}`, () => {
		let target: StoreTarget;
		let store: Store;
		let serving: Serving;
		let app: Hono;
		let logDir: string;
		const records = sampleRecords(20);
		let expectedMlp: number[];

		async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, on: Hono = app): Promise<Answer> {
			const res = await on.request(path, {
				method,
				headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
				...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) })
			});
			const text = await res.text();
			return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text, headers: res.headers };
		}
		const mlflow = (endpoint: string, body: unknown) => call('POST', `/api/2.0/mlflow/${endpoint}`, body);
		const score = (model: string, body: unknown, headers?: Record<string, string>) => call('POST', `/api/serve/models/${model}/invocations`, body, headers);

		async function registerVersion(name: string, file: string, tags: Array<{ key: string; value: string }>): Promise<string> {
			const path = `serving-test/${name}/${file}`;
			const put = await app.request(`/api/2.0/mlflow-artifacts/artifacts/${path}/${file}.onnx`, {
				method: 'PUT',
				body: readFileSync(`static/models/${file}.onnx`)
			});
			expect(put.status).toBe(200);
			const created = await mlflow('model-versions/create', { name, source: `mlflow-artifacts:/${path}`, tags });
			expect(created.status).toBe(200);
			return created.body.model_version.version;
		}
		// The tags a model cell of the bundled notebook gives the versions it registers.
		const notebook = parseNotebook(readFileSync('notebooks/churn-models-in-the-browser.driftbook.md', 'utf8'));
		const cellTags = (cellName: string) => preprocessingTags({ cellName, cellSource: notebook.cells.find((c) => c.name === cellName)!.source });

		beforeAll(async () => {
			target = await factory.create();
			store = await openStore(target.options);
			logDir = join(target.dir, 'predictions');
			serving = new Serving({ store, artifactRoot: join(target.dir, 'artifacts'), log: { dir: logDir } });
			app = createApp({ store, version: 'test', auth: false, artifactRoot: join(target.dir, 'artifacts'), serving });
			expect((await mlflow('registered-models/create', { name: 'churn' })).status).toBe(200);
			expect(await registerVersion('churn', 'churn_mlp', cellTags('mlp_scores'))).toBe('1');
			expect(await registerVersion('churn', 'churn_gbt', cellTags('gbt_scores'))).toBe('2');
			expect((await mlflow('registered-models/alias', { name: 'churn', alias: 'champion', version: '1' })).status).toBe(200);
			expect((await mlflow('registered-models/alias', { name: 'churn', alias: 'challenger', version: '2' })).status).toBe(200);
			expectedMlp = (await directScores('static/models/churn_mlp.onnx', handTensor(records))).churn_probability;
		});

		afterAll(async () => {
			await serving?.close();
			await store?.close();
			await target?.dispose();
		});

		it('scores each of MLflow formats with the pre-processing the version carries', async () => {
			const columns = Object.keys(records[0]);
			const split = await score('churn@champion', { dataframe_split: { columns, data: records.map((r) => columns.map((c) => r[c])) } });
			expect(split.status).toBe(200);
			expect(split.headers.get('x-driftbook-model-version')).toBe('1');
			expect(split.headers.get('x-driftbook-route')).toBe('direct');
			expect(split.body.predictions).toHaveLength(records.length);
			split.body.predictions.forEach((p: any, i: number) => expect(p.churn_probability).toBeCloseTo(expectedMlp[i], 6));

			const asRecords = await score('churn/1', { dataframe_records: records });
			expect(asRecords.headers.get('x-driftbook-model-version')).toBe('1');
			expect(asRecords.body.predictions.map((p: any) => p.churn_probability)).toEqual(split.body.predictions.map((p: any) => p.churn_probability));

			const instances = await score('churn@champion', { instances: records });
			expect(instances.body.predictions).toEqual(split.body.predictions);

			// Bare arrays are the model's tensor itself: no pre-processing.
			const tensor = handTensor(records);
			const asTensor = await score('churn@champion', { inputs: tensor });
			expect(asTensor.status).toBe(200);
			asTensor.body.predictions.forEach((p: number, i: number) => expect(p).toBeCloseTo(expectedMlp[i], 6));
			const named = await score('churn@champion', { inputs: { features: tensor } });
			expect(named.body.predictions).toEqual(asTensor.body.predictions);
			expect((await score('churn@champion', { instances: tensor })).body.predictions).toEqual(asTensor.body.predictions);
		});

		it('refuses input that does not fit with a 4xx naming the field', async () => {
			const missing = await score('churn@champion', { dataframe_records: records.map(({ plan: _plan, ...rest }) => rest) });
			expect(missing.status).toBe(400);
			expect(missing.body.error.code).toBe('invalid_input');
			expect(missing.body.error.message).toMatch(/column "plan" missing/);
			const text = await score('churn@champion', { dataframe_records: [records[0], { ...records[1], tenure_months: 'twelve' }] });
			expect(text.status).toBe(400);
			expect(text.body.error.message).toMatch(/row 2, column "tenure_months": "twelve"/);
			const empty = await score('churn@champion', { dataframe_records: [records[0], { ...records[1], monthly_charges: null }] });
			expect(empty.status).toBe(400);
			expect(empty.body.error.message).toMatch(/column "monthly_charges" is missing \(NULL\) at row 2/);
			const narrow = await score('churn@champion', { inputs: [[1, 2, 3]] });
			expect(narrow.status).toBe(400);
			expect(narrow.body.error.message).toBe('inputs[0]: expected 11 values (model churn version 1 takes 11 features per row), got 3');
			const notNumber = await score('churn@champion', { inputs: [[...handTensor(records)[0].slice(0, 10), 'x']] });
			expect(notNumber.body.error.message).toMatch(/inputs\[0\]\[10\]: "x" is not a finite number/);
			expect((await score('churn@champion', { rows: [] })).body.error.message).toMatch(/one of dataframe_split, dataframe_records, instances, inputs/);
			expect((await score('churn@champion', { inputs: [], instances: [] })).body.error.message).toMatch(/only one of .* it has instances and inputs/);
			expect((await score('churn@champion', 'not json')).status).toBe(400);
			const split = await score('churn@champion', { dataframe_split: { columns: ['a', 'b'], data: [[1]] } });
			expect(split.body.error.message).toMatch(/dataframe_split.data\[0\]: expected 2 values/);
			// Named columns on a version without pre-processing must match its width.
			expect((await mlflow('registered-models/create', { name: 'bare' })).status).toBe(200);
			await registerVersion('bare', 'churn_mlp', []);
			const bare = await score('bare/1', { dataframe_records: records });
			expect(bare.status).toBe(400);
			expect(bare.body.error.message).toMatch(/takes 11 features per row, got 14 columns .* carries no pre-processing/);
			expect((await score('nope@champion', { inputs: [[1]] })).status).toBe(404);
			const noAlias = await score('churn@nobody', { inputs: [[1]] });
			expect(noAlias.status).toBe(404);
			expect(noAlias.body.error.message).toBe('model churn has no alias nobody');
			expect((await score('churn/99', { inputs: [[1]] })).status).toBe(404);
			expect((await score('churn', { inputs: [[1]] })).status).toBe(400);
		});

		it('answers from the new version from the request after an alias moves', async () => {
			await mlflow('registered-models/alias', { name: 'churn', alias: 'staging', version: '1' });
			const before = await score('churn@staging', { dataframe_records: records.slice(0, 3) });
			expect(before.headers.get('x-driftbook-model-version')).toBe('1');
			expect(Object.keys(before.body.predictions[0])).toEqual(['churn_probability']);
			await mlflow('registered-models/alias', { name: 'churn', alias: 'staging', version: '2' });
			const after = await score('churn@staging', { dataframe_records: records.slice(0, 3) });
			expect(after.headers.get('x-driftbook-model-version')).toBe('2');
			expect(Object.keys(after.body.predictions[0]).sort()).toEqual(['label', 'probabilities']);
			// Rolled back through driftbook's own API: the next request is version 1 again.
			expect((await call('POST', '/api/registry/models/churn/aliases/staging/rollback', {})).status).toBe(200);
			expect((await score('churn@staging', { dataframe_records: records.slice(0, 1) })).headers.get('x-driftbook-model-version')).toBe('1');
		});

		it('splits traffic by the routing rule, sticky by the routing key, within binomial bounds', async () => {
			const rule = { primary: 'champion', canary: { alias: 'challenger', percent: 20 } };
			expect((await call('PUT', '/api/serve/models/churn/routing', rule)).body.rule).toEqual(rule);
			expect((await call('GET', '/api/serve/models/churn/routing')).body.rule).toEqual(rule);
			const n = 500;
			let canary = 0;
			for (let k = 0; k < n; k++) {
				const answer = await score('churn@champion', { dataframe_records: [records[k % records.length]] }, { 'x-routing-key': `customer-${k}` });
				expect(answer.status).toBe(200);
				const route = answer.headers.get('x-driftbook-route');
				expect(answer.headers.get('x-driftbook-model-version')).toBe(route === 'canary' ? '2' : '1');
				expect(route).toBe(chooseRoute('churn', rule, `customer-${k}`));
				if (route === 'canary') canary++;
			}
			// Binomial(500, 0.2): mean 100, sd 8.9; four sd either side.
			expect(canary).toBeGreaterThan(100 - 4 * 8.95);
			expect(canary).toBeLessThan(100 + 4 * 8.95);
			// Sticky: one key always lands on the same side.
			for (const key of ['customer-1', 'customer-2', 'customer-3']) {
				const seen = new Set<string | null>();
				for (let i = 0; i < 10; i++)
					seen.add((await score('churn@champion', { dataframe_records: [records[0]] }, { 'x-routing-key': key })).headers.get('x-driftbook-model-version'));
				expect(seen.size).toBe(1);
			}
			// Another alias of the model is not under the rule.
			expect((await score('churn@challenger', { dataframe_records: [records[0]] })).headers.get('x-driftbook-route')).toBe('direct');
			// Stopping the canary sends everything to the primary.
			expect((await call('POST', '/api/serve/models/churn/routing/stop-canary')).body.rule).toEqual({ primary: 'champion' });
			for (let k = 0; k < 50; k++) {
				expect(
					(await score('churn@champion', { dataframe_records: [records[0]] }, { 'x-routing-key': `customer-${k}` })).headers.get('x-driftbook-model-version')
				).toBe('1');
			}
			const bad = await call('PUT', '/api/serve/models/churn/routing', { primary: 'champion', canary: { alias: 'champion', percent: 10 } });
			expect(bad.status).toBe(400);
			expect(bad.body.error.message).toMatch(/canary alias must differ/);
			expect((await call('PUT', '/api/serve/models/nope/routing', rule)).status).toBe(404);
		});

		it('scores the shadow too, logs it and never returns it; feedback joins the log read as a dataset', async () => {
			await call('PUT', '/api/serve/models/churn/routing', { primary: 'champion', shadow: 'challenger' });
			const answer = await score('churn@champion', { dataframe_records: records.slice(0, 4) }, { 'x-request-id': 'req-shadow-1' });
			expect(answer.status).toBe(200);
			expect(answer.headers.get('x-request-id')).toBe('req-shadow-1');
			expect(answer.headers.get('x-driftbook-model-version')).toBe('1');
			expect(Object.keys(answer.body.predictions[0])).toEqual(['churn_probability']);
			await serving.idle();
			expect((await call('POST', '/api/serve/models/churn/feedback', { request_id: 'req-shadow-1', label: 1 })).status).toBe(202);
			expect((await call('POST', '/api/serve/models/churn/feedback', { request_id: 'req-shadow-1' })).status).toBe(400);

			const listed = await call('GET', `/api/datasets?name=${encodeURIComponent('predictions/churn')}`);
			expect(listed.status).toBe(200);
			const [dataset] = listed.body.datasets;
			expect(dataset).toMatchObject({ name: 'predictions/churn', format: 'parquet' });
			const { versions: _versions, ...described } = dataset;
			expect((await call('GET', `/api/datasets/${dataset.id}`)).body.dataset).toEqual(described);
			const content = await app.request(`/api/datasets/${dataset.id}/content`);
			expect(content.status).toBe(200);
			const bytes = new Uint8Array(await content.arrayBuffer());
			expect(bytes.length).toBe(dataset.size_bytes);
			const file = join(target.dir, 'download.parquet');
			await import('node:fs/promises').then((fs) => fs.writeFile(file, bytes));
			const rows = await readParquet(file);
			const ofRequest = rows.filter((r) => r.request_id === 'req-shadow-1');
			expect(ofRequest.map((r) => [r.route, r.version, r.row]).sort()).toEqual(
				[0, 1, 2, 3]
					.flatMap((row) => [
						['primary', '1', row],
						['shadow', '2', row]
					])
					.sort()
			);
			for (const r of ofRequest) {
				expect(r.label_value).toBe(1);
				expect(JSON.parse(r.inputs as string)).toEqual(records[r.row as number]);
				expect(Number(r.latency_ms)).toBeGreaterThan(0);
			}
			const primary = ofRequest.filter((r) => r.route === 'primary').sort((a, b) => (a.row as number) - (b.row as number));
			primary.forEach((r, i) => expect(JSON.parse(r.outputs as string).churn_probability).toBeCloseTo(expectedMlp[i], 6));
			// Every request of the earlier tests is in the log, unlabelled.
			expect(rows.filter((r) => r.label === null).length).toBeGreaterThan(500);
			// The log itself: Parquet part files under the model's folder, one folder a day.
			const days = await readdir(join(logDir, 'churn'));
			expect(days.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).length).toBeGreaterThan(0);
			expect((await readdir(join(logDir, 'churn', days[0]))).every((f) => /^part-\d+-\d+\.parquet$/.test(f))).toBe(true);
			expect((await call('GET', `/api/datasets?name=${encodeURIComponent('predictions/never-served')}`)).body.datasets).toEqual([]);
			await call('DELETE', '/api/serve/models/churn/routing');
		});

		it('exposes requests, latency and errors per model version at /metrics', async () => {
			const read = async () => {
				const res = await app.request('/api/metrics');
				expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
				return parseMetrics(await res.text());
			};
			const ok = 'driftbook_serving_requests_total{model="churn",version="1",route="direct",status="200"}';
			const bad = 'driftbook_serving_errors_total{model="churn",version="1",kind="input"}';
			const count = 'driftbook_serving_request_duration_seconds_count{model="churn",version="1",route="direct"}';
			const rowsScored = 'driftbook_serving_rows_total{model="churn",version="1",route="direct"}';
			const before = await read();
			await score('churn/1', { dataframe_records: records.slice(0, 5) });
			await score('churn/1', { dataframe_records: records.slice(0, 2) });
			await score('churn/1', { inputs: [[1]] });
			await score('ghost/1', { inputs: [[1]] });
			const after = await read();
			const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
			expect(delta(ok)).toBe(2);
			expect(delta(count)).toBe(2);
			expect(delta(rowsScored)).toBe(7);
			expect(delta(bad)).toBe(1);
			expect(delta('driftbook_serving_requests_total{model="churn",version="1",route="direct",status="400"}')).toBe(1);
			expect(delta('driftbook_serving_errors_total{model="unknown",version="none",kind="not_found"}')).toBe(1);
			expect(after.get(`driftbook_serving_request_duration_seconds_bucket{le="+Inf",model="churn",version="1",route="direct"}`)).toBe(after.get(count));
			serving.metrics.monitorValue({ model: 'churn', monitor: 'psi', metric: 'tenure_months' }, 0.125);
			expect((await read()).get('driftbook_monitor_value{model="churn",monitor="psi",metric="tenure_months"}')).toBe(0.125);
		});

		it('lets a read token score but not change routing or send feedback in team mode', async () => {
			const team = createApp({ store, version: 'test', auth: true, artifactRoot: join(target.dir, 'artifacts'), serving });
			const read = (await store.transaction((tx) => createToken(tx, { role: 'read', name: 'scorer' }))).token;
			const write = (await store.transaction((tx) => createToken(tx, { role: 'write', name: 'deployer' }))).token;
			const as = (token: string) => ({ authorization: `Bearer ${token}` });
			const body = { dataframe_records: records.slice(0, 1) };
			expect((await call('POST', '/api/serve/models/churn@champion/invocations', body, {}, team)).status).toBe(401);
			expect((await call('POST', '/api/serve/models/churn@champion/invocations', body, as(read), team)).status).toBe(200);
			expect((await call('POST', '/api/serve/models/churn/1/invocations', body, as(read), team)).status).toBe(200);
			expect((await call('GET', '/api/metrics', undefined, as(read), team)).status).toBe(200);
			expect((await call('PUT', '/api/serve/models/churn/routing', { primary: 'champion' }, as(read), team)).status).toBe(403);
			expect((await call('POST', '/api/serve/models/churn/feedback', { request_id: 'x', label: 0 }, as(read), team)).status).toBe(403);
			expect((await call('PUT', '/api/serve/models/churn/routing', { primary: 'champion' }, as(write), team)).status).toBe(200);
			expect((await call('DELETE', '/api/serve/models/churn/routing', undefined, as(write), team)).body.removed).toBe(true);
		});
	});
}
