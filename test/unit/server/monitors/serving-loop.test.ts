import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '#server/app.ts';
import { runDueMonitors } from '#server/monitors/scheduler.ts';
import { servingMonitorDeps } from '#server/monitors/evaluate.ts';
import { Serving } from '#server/serving/service.ts';
import { openStore, type Store } from '#server/store/index.ts';
import { deliverDue } from '#server/webhooks/delivery.ts';
import { WebhookSecrets } from '#server/webhooks/secrets.ts';
import { preprocessingTags } from '#lib/cells/model/register.ts';
import { parseNotebook } from '#lib/notebook/format.ts';
import { startReceiver } from '../../../support/webhook-receiver';
import { targets, warnIfPostgresSkipped, type StoreTarget } from '../targets';

warnIfPostgresSkipped('serving-loop.test.ts');

/**
 * Issue 20's loop end to end on the real app: two ONNX versions, champion/challenger, a 10 %
 * canary with a shadow, 5,000 requests, a shifted batch on the canary, the scheduled monitor over
 * the prediction log alerts, a real webhook receiver gets the signed event, the canary alias
 * moves back and routing serves the champion, and the log opens in a notebook.
 */

type Answer = { status: number; body: any; headers: Headers };

const NUMERIC = ['tenure_months', 'monthly_charges', 'sessions_per_week', 'avg_session_minutes', 'support_tickets', 'days_since_last_login'];
const [HEADER, ...LINES] = readFileSync('static/samples/churn_events.csv', 'utf8').trim().split('\n');
const REQUESTS = 5_000;
const MINUTE = 60_000;
const T0 = Date.parse('2026-04-01T00:00:00Z');

/** Sample churn rows `from`..`to`, typed as a client sends them. */
function records(from: number, to: number): Array<Record<string, unknown>> {
	const names = HEADER.split(',');
	return LINES.slice(from, to).map((line) => {
		const cells = line.split(',');
		return Object.fromEntries(names.map((n, j) => [n, NUMERIC.includes(n) ? Number(cells[j]) : n === 'autopay' ? cells[j] === 'true' : cells[j]]));
	});
}

for (const factory of targets) {
	describe.runIf(factory.enabled)(`the serving → monitor → rollback loop on ${factory.kind}`, () => {
		let target: StoreTarget;
		let store: Store;
		let secrets: WebhookSecrets;
		let serving: Serving;
		let app: Hono;
		let receiver: Awaited<ReturnType<typeof startReceiver>>;
		const clock = { t: T0, now: () => clock.t };
		const sent = records(0, REQUESTS);
		const canaryKeys: string[] = [];
		let monitorId = '';
		let alertedEvaluation = 0;

		async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
			const res = await app.request(path, {
				method,
				headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
				...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) })
			});
			return { status: res.status, body: await res.json(), headers: res.headers };
		}
		const mlflow = (endpoint: string, body: unknown) => call('POST', `/api/2.0/mlflow/${endpoint}`, body);
		const score = (rows: Array<Record<string, unknown>>, key: string) =>
			call('POST', '/api/serve/models/churn@champion/invocations', { dataframe_records: rows }, { 'x-routing-key': key });

		async function registerVersion(file: string, cellName: string): Promise<string> {
			const path = `loop-test/${file}`;
			const put = await app.request(`/api/2.0/mlflow-artifacts/artifacts/${path}/${file}.onnx`, {
				method: 'PUT',
				body: readFileSync(`static/models/${file}.onnx`)
			});
			expect(put.status).toBe(200);
			const notebook = parseNotebook(readFileSync('notebooks/churn-models-in-the-browser.driftbook.md', 'utf8'));
			const tags = preprocessingTags({ cellName, cellSource: notebook.cells.find((c) => c.name === cellName)!.source });
			const created = await mlflow('model-versions/create', { name: 'churn', source: `mlflow-artifacts:/${path}`, tags });
			expect(created.status).toBe(200);
			return created.body.model_version.version;
		}

		beforeAll(async () => {
			target = await factory.create();
			store = await openStore(target.options);
			const artifactRoot = join(target.dir, 'artifacts');
			serving = new Serving({ store, artifactRoot, log: { dir: join(target.dir, 'predictions') } });
			secrets = new WebhookSecrets({ dataDir: target.dir, env: {} });
			app = createApp({ store, version: 'test', auth: false, artifactRoot, serving, clock, webhooks: { allowedSchemes: ['http'], secrets } });
			receiver = await startReceiver();
			expect((await mlflow('registered-models/create', { name: 'churn' })).status).toBe(200);
			expect(await registerVersion('churn_mlp', 'mlp_scores')).toBe('1');
			expect(await registerVersion('churn_gbt', 'gbt_scores')).toBe('2');
			expect((await mlflow('registered-models/alias', { name: 'churn', alias: 'champion', version: '1' })).status).toBe(200);
			// The challenger was version 1 before version 2 came: the version a rollback returns it to.
			expect((await mlflow('registered-models/alias', { name: 'churn', alias: 'challenger', version: '1' })).status).toBe(200);
			expect((await mlflow('registered-models/alias', { name: 'churn', alias: 'challenger', version: '2' })).status).toBe(200);
			const hook = await mlflow('webhooks', { name: 'on-call', url: receiver.url, secret: 'loop-secret', events: [{ entity: 'MONITOR', action: 'ALERTED' }] });
			expect(hook.status, JSON.stringify(hook.body)).toBe(200);
		});

		afterAll(async () => {
			await receiver?.close();
			await serving?.close();
			await store?.close();
			await target?.dispose();
		});

		it('splits 5,000 requests 10 % to the canary within binomial bounds, with every request scored in the shadow', async () => {
			const rule = { primary: 'champion', canary: { alias: 'challenger', percent: 10 }, shadow: 'challenger' };
			expect((await call('PUT', '/api/serve/models/churn/routing', rule)).status).toBe(200);
			const routes: string[] = [];
			for (let start = 0; start < REQUESTS; start += 250) {
				const answers = await Promise.all(sent.slice(start, start + 250).map((row, i) => score([row], `customer-${start + i}`)));
				for (const [i, answer] of answers.entries()) {
					expect(answer.status).toBe(200);
					const route = answer.headers.get('x-driftbook-route')!;
					expect(answer.headers.get('x-driftbook-model-version')).toBe(route === 'canary' ? '2' : '1');
					routes.push(route);
					if (route === 'canary') canaryKeys.push(`customer-${start + i}`);
				}
			}
			// Binomial(5000, 0.1): mean 500, sd √450 ≈ 21.2; four sd either side.
			const sd = Math.sqrt(REQUESTS * 0.1 * 0.9);
			expect(new Set(routes)).toEqual(new Set(['primary', 'canary']));
			expect(canaryKeys.length).toBeGreaterThan(500 - 4 * sd);
			expect(canaryKeys.length).toBeLessThan(500 + 4 * sd);
			await serving.idle();
		});

		it('alerts on a shifted batch sent to the canary, signs the webhook, rolls the canary back and routes to the champion', async () => {
			// The reference: the very rows the requests sent (the canary's share of them does not drift).
			const reference = ['tenure_months,monthly_charges,sessions_per_week,avg_session_minutes,support_tickets,days_since_last_login,plan']
				.concat(sent.map((r) => [...NUMERIC, 'plan'].map((c) => r[c]).join(',')))
				.join('\n');
			const uploaded = await app.request('/api/datasets?name=churn-training&format=csv', { method: 'POST', body: reference });
			expect(uploaded.status).toBe(201);
			const referenceId = ((await uploaded.json()) as any).dataset.id;
			const created = await call('POST', '/api/monitors', {
				name: 'canary-drift',
				model_name: 'churn',
				alias: 'challenger',
				reference_dataset_id: referenceId,
				current_dataset_name: 'predictions/churn',
				current_routes: ['canary'],
				columns: NUMERIC,
				schedule_seconds: 600,
				rollback: true
			});
			expect(created.status, JSON.stringify(created.body)).toBe(201);
			monitorId = created.body.monitor.id;

			// The canary's rows so far: no drift, no alert, nothing moved.
			clock.t = T0 + 10 * MINUTE;
			expect(await runDueMonitors({ store, artifactRoot: join(target.dir, 'artifacts'), ...servingMonitorDeps(serving) }, clock.now())).toEqual([monitorId]);
			const [calm] = (await call('GET', `/api/monitors/${monitorId}/evaluations`)).body.evaluations;
			expect(calm).toMatchObject({ alerted: false, tested_columns: NUMERIC.length, rollback: null });
			expect(calm.report.columns.map((c: { column: string }) => c.column)).toEqual(NUMERIC);

			// A shifted batch on the canary: longer tenure, dearer plans, fewer and shorter sessions.
			const shifted = records(REQUESTS, REQUESTS + 800).map((r) => ({
				...r,
				tenure_months: (r.tenure_months as number) + 36,
				monthly_charges: (r.monthly_charges as number) * 1.6 + 25,
				sessions_per_week: (r.sessions_per_week as number) * 0.3,
				avg_session_minutes: (r.avg_session_minutes as number) * 0.4
			}));
			const batch = await score(shifted, canaryKeys[0]);
			expect(batch.status).toBe(200);
			expect(batch.headers.get('x-driftbook-route')).toBe('canary');
			await serving.idle();

			clock.t = T0 + 20 * MINUTE;
			expect(await runDueMonitors({ store, artifactRoot: join(target.dir, 'artifacts'), ...servingMonitorDeps(serving) }, clock.now())).toEqual([monitorId]);
			const [, alerted] = (await call('GET', `/api/monitors/${monitorId}/evaluations`)).body.evaluations;
			alertedEvaluation = alerted.id;
			expect(alerted.alerted).toBe(true);
			expect(alerted.drifted_columns).toBeGreaterThanOrEqual(4);
			expect(alerted.model_version).toBe('2');
			expect(alerted.rollback).toMatchObject({ rolled_back: true, alias: 'challenger', from_version: '2', to_version: '1', canary_cleared: true });

			// The webhook: delivered to a real receiver, signed with MLflow's scheme.
			await deliverDue({ store, clock, secrets });
			expect(receiver.received).toHaveLength(1);
			const [delivery] = receiver.received;
			const id = String(delivery.headers['x-mlflow-delivery-id']);
			const seconds = String(delivery.headers['x-mlflow-timestamp']);
			const expected = `v1,${createHmac('sha256', 'loop-secret').update(`${id}.${seconds}.${delivery.body}`).digest('base64')}`;
			expect(delivery.headers['x-mlflow-signature']).toBe(expected);
			const event = JSON.parse(delivery.body);
			expect(`${event.entity}.${event.action}`).toBe('monitor.alerted');
			expect(event.data).toMatchObject({
				monitor_id: monitorId,
				model_name: 'churn',
				alias: 'challenger',
				model_version: '2',
				rollback: { rolled_back: true }
			});

			// The alias moved back with the reason in its history.
			const history = (await call('GET', '/api/registry/models/churn/aliases/challenger/history')).body;
			expect(JSON.stringify(history)).toContain('monitor canary-drift alerted');
			expect((await call('GET', '/api/2.0/mlflow/registered-models/alias?name=churn&alias=challenger')).body.model_version.version).toBe('1');

			// Routing serves the champion now: the canary's own keys land on the primary.
			expect((await call('GET', '/api/serve/models/churn/routing')).body.rule).toEqual({ primary: 'champion', shadow: 'challenger' });
			for (const key of canaryKeys.slice(0, 20)) {
				const answer = await score([sent[0]], key);
				expect(answer.headers.get('x-driftbook-route')).toBe('primary');
				expect(answer.headers.get('x-driftbook-model-version')).toBe('1');
			}
			await serving.idle();
		});

		it('keeps the shadow rows and one typed column per input feature and output in the log', async () => {
			const [dataset] = (await call('GET', `/api/datasets?name=${encodeURIComponent('predictions/churn')}`)).body.datasets;
			const { DuckDBInstance } = await import('@duckdb/node-api');
			const bytes = new Uint8Array(await (await app.request(`/api/datasets/${dataset.id}/content`)).arrayBuffer());
			const file = join(target.dir, 'log.parquet');
			await import('node:fs/promises').then((fs) => fs.writeFile(file, bytes));
			const connection = await (await DuckDBInstance.create(':memory:')).connect();
			const described = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).getRowObjectsJson();
			const types = Object.fromEntries(described.map((r) => [r.column_name, r.column_type]));
			expect(types).toMatchObject({
				tenure_months: 'BIGINT',
				monthly_charges: 'DOUBLE',
				plan: 'VARCHAR',
				autopay: 'BOOLEAN',
				output_churn_probability: expect.any(String)
			});
			const counts = (await connection.runAndReadAll(`SELECT route, count(*) AS n FROM read_parquet('${file}') GROUP BY route`)).getRowObjectsJson();
			const byRoute = Object.fromEntries(counts.map((r) => [r.route, Number(r.n)]));
			// Every request of the split and the batch, and the 20 after the rollback, in the shadow too.
			expect(byRoute.shadow).toBe(REQUESTS + 800 + 20);
			expect(byRoute.canary).toBe(canaryKeys.length + 800);
			const [first] = (
				await connection.runAndReadAll(`SELECT inputs, monthly_charges FROM read_parquet('${file}') WHERE route = 'primary' LIMIT 1`)
			).getRowObjectsJson();
			expect(first.monthly_charges).toBe(JSON.parse(String(first.inputs)).monthly_charges);
			connection.closeSync();
		});

		it('opens the alerted evaluation in a notebook on the prediction log', async () => {
			const created = await call('POST', `/api/monitors/${monitorId}/evaluations/${alertedEvaluation}/notebook`);
			expect(created.status).toBe(201);
			const notebook = (await call('GET', `/api/notebooks/${created.body.notebook.slug}`)).body.notebook;
			const cell = (name: string) => parseNotebook(notebook.source).cells.find((c) => c.name === name)?.source;
			expect(cell('current_data')).toBe('url: server:predictions/churn');
			expect(cell('current')).toBe("SELECT * FROM current_data\nWHERE route IN ('canary')");
			expect(cell('drift')).toContain(`current: current\ncolumns: ${NUMERIC.join(', ')}`);
		});
	});
}
