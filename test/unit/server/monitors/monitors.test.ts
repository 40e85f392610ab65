import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '#server/app.ts';
import { runDueMonitors } from '#server/monitors/scheduler.ts';
import { openStore, type Store } from '#server/store/index.ts';
import { deliverDue } from '#server/webhooks/delivery.ts';
import { WebhookSecrets } from '#server/webhooks/secrets.ts';
import { parseNotebook } from '#lib/notebook/format.ts';
import { columnFromStrings, driftReport } from '#lib/stats/index.ts';
import { mulberry32 } from '../../../support/mulberry32';
import { startReceiver } from '../../../support/webhook-receiver';
import { targets, warnIfPostgresSkipped, type StoreTarget } from '../targets';

warnIfPostgresSkipped('monitors.test.ts');

type Answer = { status: number; body: any };
type Row = { time: string; x: string; plan: string };

const DAY = 86_400_000;
const DAY1 = Date.parse('2026-03-01T00:00:00Z');

/** Rows of a standard normal `x` (Box–Muller) shifted by `shift`, and a plan whose mix `premium` tilts, one every `step` ms from `start`. */
function rows(seed: number, n: number, start: number, step: number, shift: number, premium: number): Row[] {
	const random = mulberry32(seed);
	return Array.from({ length: n }, (_, i) => {
		const x = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()) + shift;
		const u = random();
		return { time: new Date(start + i * step).toISOString(), x: x.toFixed(6), plan: u < premium ? 'premium' : u < 0.7 ? 'standard' : 'basic' };
	});
}
const csv = (data: Row[]) => ['time,x,plan', ...data.map((r) => `${r.time},${r.x},${r.plan}`)].join('\n') + '\n';
const columnsOf = (data: Row[]) => ({ x: columnFromStrings(data.map((r) => r.x)), plan: columnFromStrings(data.map((r) => r.plan)) });

const reference = rows(1, 400, DAY1 - 30 * DAY, 60_000, 0, 0.2);
const steady = rows(2, 400, DAY1, DAY / 400, 0, 0.2); // day 1: as the reference
const shifted = rows(3, 400, DAY1 + DAY, DAY / 400, 1, 0.5); // day 2: x moved by one standard deviation, more premium

for (const factory of targets) {
	describe.runIf(factory.enabled)(`monitors on ${factory.kind}`, () => {
		let target: StoreTarget;
		let store: Store;
		let secrets: WebhookSecrets;
		let app: Hono;
		let receiver: Awaited<ReturnType<typeof startReceiver>>;
		const clock = { t: DAY1, now: () => clock.t };
		const ids = { reference: '', current: '' };

		async function call(method: string, path: string, body?: unknown): Promise<Answer> {
			const res = await app.request(path, {
				method,
				...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
			});
			return { status: res.status, body: await res.json() };
		}
		const mlflow = (method: string, endpoint: string, body?: unknown) => call(method, `/api/2.0/mlflow/${endpoint}`, body);
		async function upload(name: string, text: string): Promise<string> {
			const res = await app.request(`/api/datasets?name=${name}&format=csv`, { method: 'POST', body: text });
			expect(res.status).toBe(201);
			return ((await res.json()) as any).dataset.id;
		}
		async function monitor(body: Record<string, unknown>): Promise<any> {
			const res = await call('POST', '/api/monitors', {
				model_name: 'churn',
				reference_dataset_id: ids.reference,
				current_dataset_id: ids.current,
				time_column: 'time',
				window_seconds: 86_400,
				...body
			});
			expect(res.status, JSON.stringify(res.body)).toBe(201);
			return res.body.monitor;
		}
		const evaluateAt = async (id: string, at: number) => {
			clock.t = at;
			return call('POST', `/api/monitors/${id}/evaluate`);
		};

		beforeAll(async () => {
			target = await factory.create();
			store = await openStore(target.options);
			secrets = new WebhookSecrets({ dataDir: target.dir, env: {} });
			app = createApp({
				store,
				version: 'test',
				auth: false,
				clock,
				artifactRoot: join(target.dir, 'artifacts'),
				webhooks: { allowedSchemes: ['http'], secrets }
			});
			receiver = await startReceiver();
			ids.reference = await upload('training', csv(reference));
			ids.current = await upload('predictions', csv([...steady, ...shifted]));
			await mlflow('POST', 'registered-models/create', { name: 'churn' });
			for (const v of [1, 2]) await mlflow('POST', 'model-versions/create', { name: 'churn', source: `s3://b/churn/${v}` });
			await mlflow('POST', 'registered-models/alias', { name: 'churn', alias: 'canary', version: '1' });
			await mlflow('POST', 'registered-models/alias', { name: 'churn', alias: 'canary', version: '2' });
			await mlflow('POST', 'webhooks', {
				name: 'retrain',
				url: receiver.url,
				secret: 'k',
				events: [
					{ entity: 'MONITOR', action: 'ALERTED' },
					{ entity: 'MODEL_VERSION_ALIAS', action: 'CREATED' }
				]
			});
		});
		afterAll(async () => {
			await receiver?.close();
			await store?.close();
			await target?.dispose();
		});

		it('evaluates the window on demand as an MLflow run with the drift library’s numbers: no alert on steady data, an alert on shifted data', async () => {
			const m = await monitor({ name: 'drift-watch', alias: 'canary' });
			const quiet = await evaluateAt(m.id, DAY1 + DAY);
			expect(quiet.status, JSON.stringify(quiet.body)).toBe(200);
			const calm = quiet.body.evaluation;
			const expectedCalm = driftReport(
				{ x: columnFromStrings(reference.map((r) => r.x)), plan: columnFromStrings(reference.map((r) => r.plan)) },
				columnsOf(steady),
				{ columns: ['x', 'plan'] }
			);
			expect(calm).toMatchObject({ alerted: false, trigger: 'manual', window_start: DAY1, window_end: DAY1 + DAY, model_version: '2', drifted_columns: 0 });
			expect(calm.report.columns.map((c: any) => c.tests[0].statistic)).toEqual(expectedCalm.columns.map((c) => c.tests[0].statistic));

			const loud = (await evaluateAt(m.id, DAY1 + 2 * DAY)).body.evaluation;
			const expected = driftReport(
				{ x: columnFromStrings(reference.map((r) => r.x)), plan: columnFromStrings(reference.map((r) => r.plan)) },
				columnsOf(shifted),
				{ columns: ['x', 'plan'] }
			);
			expect(expected.drifted_columns).toBe(2);
			expect(loud).toMatchObject({ alerted: true, drifted_columns: 2, tested_columns: 2, share: 1, rollback: null });

			const run = (await mlflow('GET', `runs/get?run_id=${loud.run_id}`)).body.run;
			const metric = (key: string) => run.data.metrics.find((x: any) => x.key === key)?.value;
			expect(run.info.status).toBe('FINISHED');
			expect(metric('drift_share')).toBe(1);
			expect(metric('alert')).toBe(1);
			expect(metric('x.statistic')).toBe(expected.columns[0].tests[0].statistic);
			expect(metric('x.p_value')).toBe(expected.columns[0].tests[0].p_value);
			expect(metric('plan.statistic')).toBe(expected.columns[1].tests[0].statistic);
			const tags = Object.fromEntries(run.data.tags.map((t: any) => [t.key, t.value]));
			expect(tags).toMatchObject({ 'driftbook.monitor_id': m.id, 'driftbook.alerted': 'true', 'driftbook.model_version': '2' });
			const experiment = (await mlflow('GET', `experiments/get?experiment_id=${run.info.experiment_id}`)).body.experiment;
			expect(experiment.name).toBe('monitors/churn');

			const history = (await call('GET', `/api/monitors/${m.id}/evaluations`)).body.evaluations;
			expect(history.map((e: any) => e.alerted)).toEqual([false, true]);

			// The alert reaches webhooks as monitor.alerted; nothing was sent for the quiet evaluation.
			receiver.received.length = 0;
			await deliverDue({ store, clock, secrets });
			const sent = receiver.received.map((r) => JSON.parse(r.body));
			expect(sent.map((b) => `${b.entity}.${b.action}`)).toEqual(['monitor.alerted']);
			expect(sent[0].data).toMatchObject({
				monitor_id: m.id,
				model_name: 'churn',
				alias: 'canary',
				model_version: '2',
				run_id: loud.run_id,
				evaluation_id: loud.id,
				window_start: '2026-03-02T00:00:00.000Z',
				window_end: '2026-03-03T00:00:00.000Z',
				drifted_columns: ['x', 'plan'],
				rollback: null
			});
		});

		it('rolls the alias back on alert when the rule opts in, recording why in the alias history', async () => {
			const m = await monitor({ name: 'canary-guard', alias: 'canary', rollback: true });
			expect((await evaluateAt(m.id, DAY1 + DAY)).body.evaluation.rollback).toBeNull(); // no alert, no move
			const evaluation = (await evaluateAt(m.id, DAY1 + 2 * DAY)).body.evaluation;
			expect(evaluation.rollback).toMatchObject({ rolled_back: true, alias: 'canary', from_version: '2', to_version: '1' });
			const version = (await mlflow('GET', 'registered-models/alias?name=churn&alias=canary')).body.model_version.version;
			expect(version).toBe('1');
			const [last] = (await call('GET', '/api/registry/models/churn/aliases/canary/history')).body.history;
			expect(last).toMatchObject({ from_version: '2', to_version: '1' });
			expect(last.reason).toMatch(/^monitor canary-guard alerted: 2 of 2 columns drifted/);

			receiver.received.length = 0;
			await deliverDue({ store, clock, secrets });
			const sent = receiver.received.map((r) => JSON.parse(r.body));
			expect(sent.map((b) => `${b.entity}.${b.action}`).sort()).toEqual(['model_version_alias.created', 'monitor.alerted']);
			expect(sent.find((b) => b.entity === 'monitor').data.rollback).toMatchObject({ rolled_back: true, to_version: '1' });
			expect(sent.find((b) => b.entity === 'model_version_alias').data).toEqual({ name: 'churn', alias: 'canary', version: '1' });

			// A second alert has no earlier version to go to past v1's first setting: recorded, not thrown.
			await mlflow('POST', 'registered-models/alias', { name: 'churn', alias: 'canary', version: '2' });
			await store.query(`DELETE FROM registry_alias_events WHERE name = 'churn' AND alias = 'canary'`);
			const again = (await evaluateAt(m.id, DAY1 + 2 * DAY)).body.evaluation;
			expect(again).toMatchObject({ alerted: true, rollback: { rolled_back: false, alias: 'canary' } });
		});

		it('evaluates scheduled monitors when the injected clock says they are due', async () => {
			clock.t = DAY1 + 2 * DAY - 3_600_000;
			const m = await monitor({ name: 'hourly', schedule_seconds: 3600 });
			expect(m.next_run_at).toBe(DAY1 + 2 * DAY);
			const deps = { store, artifactRoot: join(target.dir, 'artifacts') };
			expect(await runDueMonitors(deps, DAY1 + 2 * DAY - 1)).toEqual([]);
			expect(await runDueMonitors(deps, DAY1 + 2 * DAY)).toEqual([m.id]);
			expect(await runDueMonitors(deps, DAY1 + 2 * DAY + 1000)).toEqual([]); // claimed: next in an hour
			const [evaluation] = (await call('GET', `/api/monitors/${m.id}/evaluations`)).body.evaluations;
			expect(evaluation).toMatchObject({ trigger: 'schedule', alerted: true, window_end: DAY1 + 2 * DAY });
			expect((await call('GET', `/api/monitors/${m.id}`)).body.monitor.next_run_at).toBe(DAY1 + 2 * DAY + 3_600_000);
		});

		it('opens a notebook on the window an evaluation read', async () => {
			const [m] = (await call('GET', '/api/monitors?model=churn')).body.monitors;
			const [, alerted] = (await call('GET', `/api/monitors/${m.id}/evaluations`)).body.evaluations;
			const created = await call('POST', `/api/monitors/${m.id}/evaluations/${alerted.id}/notebook`);
			expect(created.status).toBe(201);
			const notebook = (await call('GET', `/api/notebooks/${created.body.notebook.slug}`)).body.notebook;
			const spec = parseNotebook(notebook.source);
			const cell = (name: string) => spec.cells.find((c) => c.name === name)?.source;
			expect(cell('reference')).toBe(`url: server:${ids.reference}`);
			expect(cell('current_data')).toBe(`url: server:${ids.current}`);
			expect(cell('current')).toContain(`"time" AS TIMESTAMPTZ) >= TIMESTAMPTZ '2026-03-02T00:00:00.000Z'`);
			expect(cell('current')).toContain(`< TIMESTAMPTZ '2026-03-03T00:00:00.000Z'`);
			expect(cell('drift')).toContain('reference: reference\ncurrent: current\ncolumns: x, plan');
		});

		it('refuses bad definitions and empty windows with a clear error', async () => {
			const bad = await call('POST', '/api/monitors', {
				name: 'x',
				model_name: 'churn',
				reference_dataset_id: ids.reference,
				current_dataset_id: ids.current,
				rollback: true
			});
			expect(bad.status).toBe(400);
			expect(JSON.stringify(bad.body)).toContain('rollback needs the alias');
			const noModel = await call('POST', '/api/monitors', {
				name: 'x',
				model_name: 'nope',
				reference_dataset_id: ids.reference,
				current_dataset_id: ids.current
			});
			expect(noModel.status).toBe(404);
			const m = await monitor({ name: 'typo', columns: ['x', 'nosuch'] });
			const missing = await evaluateAt(m.id, DAY1 + DAY);
			expect(missing.status).toBe(422);
			expect(missing.body.error.message).toContain('has no column "nosuch"');
			const empty = await evaluateAt((await monitor({ name: 'later' })).id, DAY1 + 10 * DAY);
			expect(empty.status).toBe(409);
			expect(empty.body.error.message).toMatch(/dataset predictions v1 has no rows between 2026-03-10T00:00:00.000Z and 2026-03-11T00:00:00.000Z/);
		});
	});
}
