import { createHmac } from 'node:crypto';
import type { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '#server/app.ts';
import { openStore, type Store } from '#server/store/index.ts';
import { deliverDue, type DeliveryPolicy } from '#server/webhooks/delivery.ts';
import { startReceiver } from '../../../support/webhook-receiver';
import { targets, warnIfPostgresSkipped, type StoreTarget } from '../targets';

warnIfPostgresSkipped('webhooks.test.ts');

type Answer = { status: number; body: any };

/** MLflow's documented check (mlflow/webhooks/delivery.py): HMAC-SHA256 of "<id>.<timestamp>.<body>", base64, "v1," first. */
function mlflowSignature(secret: string, headers: Record<string, string | string[] | undefined>, body: string): string {
	const signed = `${headers['x-mlflow-delivery-id']}.${headers['x-mlflow-timestamp']}.${body}`;
	return `v1,${createHmac('sha256', secret).update(signed).digest('base64')}`;
}

const REGISTRY_EVENTS = [
	{ entity: 'REGISTERED_MODEL', action: 'CREATED' },
	{ entity: 'MODEL_VERSION', action: 'CREATED' },
	{ entity: 'MODEL_VERSION_TAG', action: 'SET' },
	{ entity: 'MODEL_VERSION_TAG', action: 'DELETED' },
	{ entity: 'MODEL_VERSION_ALIAS', action: 'CREATED' },
	{ entity: 'MODEL_VERSION_ALIAS', action: 'DELETED' }
];

for (const factory of targets) {
	describe.runIf(factory.enabled)(`webhooks on ${factory.kind}`, () => {
		let target: StoreTarget;
		let store: Store;
		let app: Hono;
		let receiver: Awaited<ReturnType<typeof startReceiver>>;
		// Moved by hand: retries are due when the test says so.
		const clock = { t: Date.now(), now: () => clock.t };
		const policy: Partial<DeliveryPolicy> = { maxAttempts: 4, baseDelayMs: 10_000, maxDelayMs: 60_000 };
		const deliver = () => deliverDue({ store, clock, policy });

		async function call(method: string, path: string, body?: unknown): Promise<Answer> {
			const res = await app.request(path, {
				method,
				...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
			});
			return { status: res.status, body: await res.json() };
		}
		const mlflow = (method: string, endpoint: string, body?: unknown) => call(method, `/api/2.0/mlflow/${endpoint}`, body);
		const createHook = async (body: Record<string, unknown>) => {
			const res = await mlflow('POST', 'webhooks', { url: receiver.url, ...body });
			expect(res.status, JSON.stringify(res.body)).toBe(200);
			return res.body.webhook;
		};

		beforeAll(async () => {
			target = await factory.create();
			store = await openStore(target.options);
			app = createApp({ store, version: 'test', auth: false, clock, webhooks: { allowedSchemes: ['http', 'https'] } });
			receiver = await startReceiver();
		});
		afterAll(async () => {
			await receiver?.close();
			await store?.close();
			await target?.dispose();
		});
		beforeEach(async () => {
			// Each test starts with no subscription and an empty receiver.
			for (const hook of (await mlflow('GET', 'webhooks')).body.webhooks ?? []) await mlflow('DELETE', `webhooks/${hook.webhook_id}`);
			receiver.received.length = 0;
			receiver.setAnswer(() => 200);
		});

		it('keeps subscriptions as MLflow 3 does: create, get, list, update, delete, never answering the secret', async () => {
			const hook = await createHook({ name: 'registry-hook', events: REGISTRY_EVENTS.slice(0, 2), secret: 's3cret', description: 'to CI' });
			expect(hook).toMatchObject({ name: 'registry-hook', url: receiver.url, status: 'ACTIVE', description: 'to CI' });
			expect(hook).not.toHaveProperty('secret');
			expect(hook.events).toEqual(expect.arrayContaining(REGISTRY_EVENTS.slice(0, 2)));
			expect((await mlflow('GET', `webhooks/${hook.webhook_id}`)).body.webhook).toEqual(hook);
			const updated = await mlflow('PATCH', `webhooks/${hook.webhook_id}`, { status: 'DISABLED', events: [{ entity: 'MONITOR', action: 'ALERTED' }] });
			expect(updated.body.webhook).toMatchObject({ status: 'DISABLED', events: [{ entity: 'MONITOR', action: 'ALERTED' }], name: 'registry-hook' });
			expect((await mlflow('GET', 'webhooks')).body.webhooks.map((w: any) => w.webhook_id)).toEqual([hook.webhook_id]);
			expect((await mlflow('DELETE', `webhooks/${hook.webhook_id}`)).status).toBe(200);
			const gone = await mlflow('GET', `webhooks/${hook.webhook_id}`);
			expect(gone).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });

			// MLflow's checks: name, scheme, events and their combinations.
			const bad = [
				{ name: '-bad', url: receiver.url, events: REGISTRY_EVENTS },
				{ name: 'ok', url: 'ftp://example.com/x', events: REGISTRY_EVENTS },
				{ name: 'ok', url: receiver.url, events: [] },
				{ name: 'ok', url: receiver.url, events: [{ entity: 'REGISTERED_MODEL', action: 'DELETED' }] }
			];
			for (const body of bad) expect((await mlflow('POST', 'webhooks', body)).body.error_code).toBe('INVALID_PARAMETER_VALUE');
		});

		it('sends every registry change with MLflow 3 event names and payloads, signed as MLflow documents', async () => {
			const hook = await createHook({ name: 'registry', events: REGISTRY_EVENTS, secret: 'topsecret' });
			await mlflow('POST', 'registered-models/create', { name: 'churn', tags: [{ key: 'team', value: 'growth' }], description: 'churn model' });
			await mlflow('POST', 'model-versions/create', { name: 'churn', source: 's3://b/churn/1', run_id: 'abc', tags: [{ key: 'k', value: 'v' }] });
			await mlflow('POST', 'model-versions/set-tag', { name: 'churn', version: '1', key: 'validated', value: 'yes' });
			await mlflow('DELETE', 'model-versions/delete-tag', { name: 'churn', version: '1', key: 'validated' });
			await mlflow('POST', 'registered-models/alias', { name: 'churn', alias: 'champion', version: '1' });
			await mlflow('DELETE', 'registered-models/alias', { name: 'churn', alias: 'champion' });
			// A change that fails (and rolls back) sends nothing.
			expect((await mlflow('POST', 'model-versions/create', { name: 'churn', source: 's3://x', tags: [{ key: '', value: 'v' }] })).status).toBe(400);

			expect(await deliver()).toBe(6);
			const bodies = receiver.received.map((r) => JSON.parse(r.body));
			expect(bodies.map((b) => `${b.entity}.${b.action}`)).toEqual([
				'registered_model.created',
				'model_version.created',
				'model_version_tag.set',
				'model_version_tag.deleted',
				'model_version_alias.created',
				'model_version_alias.deleted'
			]);
			expect(bodies.map((b) => b.data)).toEqual([
				{ name: 'churn', tags: { team: 'growth' }, description: 'churn model' },
				{ name: 'churn', version: '1', source: 's3://b/churn/1', run_id: 'abc', tags: { k: 'v' }, description: null },
				{ name: 'churn', version: '1', key: 'validated', value: 'yes' },
				{ name: 'churn', version: '1', key: 'validated' },
				{ name: 'churn', alias: 'champion', version: '1' },
				{ name: 'churn', alias: 'champion' }
			]);
			for (const r of receiver.received) {
				expect(r.headers['content-type']).toBe('application/json');
				expect(r.headers['x-mlflow-delivery-id']).toMatch(/^[0-9a-f-]{36}$/);
				expect(r.headers['x-mlflow-timestamp']).toBe(String(Math.floor(clock.t / 1000)));
				expect(r.headers['x-mlflow-signature']).toBe(mlflowSignature('topsecret', r.headers, r.body));
				expect(Number.isNaN(Date.parse(JSON.parse(r.body).timestamp))).toBe(false);
			}
			expect(new Set(receiver.received.map((r) => r.headers['x-mlflow-delivery-id'])).size).toBe(6);
			// Nothing is sent twice.
			expect(await deliver()).toBe(0);
			const log = (await call('GET', `/api/webhooks/${hook.webhook_id}/deliveries`)).body.deliveries;
			expect(log).toHaveLength(6);
			expect(log.every((d: any) => d.status === 'delivered' && d.attempts.length === 1 && d.attempts[0].response_status === 200)).toBe(true);
		});

		it('retries 5xx answers with exponential backoff by the clock, same delivery id, every attempt logged', async () => {
			const hook = await createHook({ name: 'flaky', events: [REGISTRY_EVENTS[0]], secret: 'k' });
			receiver.setAnswer((n) => (n <= 2 ? 503 : 200));
			await mlflow('POST', 'registered-models/create', { name: 'flaky-model' });
			const t0 = clock.t;
			expect(await deliver()).toBe(1); // attempt 1: 503
			clock.t = t0 + 9_999;
			expect(await deliver()).toBe(0); // not yet: 10 s after the first failure
			clock.t = t0 + 10_000;
			expect(await deliver()).toBe(1); // attempt 2: 503
			clock.t = t0 + 10_000 + 19_999;
			expect(await deliver()).toBe(0); // 20 s after the second
			clock.t = t0 + 30_000;
			expect(await deliver()).toBe(1); // attempt 3: 200
			expect(receiver.received).toHaveLength(3);
			expect(new Set(receiver.received.map((r) => r.headers['x-mlflow-delivery-id'])).size).toBe(1);
			for (const r of receiver.received) expect(r.headers['x-mlflow-signature']).toBe(mlflowSignature('k', r.headers, r.body));
			const [delivery] = (await call('GET', `/api/webhooks/${hook.webhook_id}/deliveries`)).body.deliveries;
			expect(delivery).toMatchObject({ status: 'delivered', event: 'registered_model.created', next_attempt_at: null });
			expect(delivery.attempts.map((a: any) => [a.attempted_at - t0, a.response_status])).toEqual([
				[0, 503],
				[10_000, 503],
				[30_000, 200]
			]);
		});

		it('gives up after the last attempt, and at once on a 4xx other than 429 or a 3xx', async () => {
			const hook = await createHook({ name: 'down', events: [REGISTRY_EVENTS[0]] });
			receiver.setAnswer(() => 500);
			await mlflow('POST', 'registered-models/create', { name: 'down-model' });
			for (let i = 0; i < 6; i++) {
				await deliver();
				clock.t += 60_000;
			}
			expect(receiver.received).toHaveLength(4);
			let [delivery] = (await call('GET', `/api/webhooks/${hook.webhook_id}/deliveries`)).body.deliveries;
			expect(delivery).toMatchObject({ status: 'failed', next_attempt_at: null });
			expect(delivery.attempts.map((a: any) => a.response_status)).toEqual([500, 500, 500, 500]);

			receiver.received.length = 0;
			receiver.setAnswer(() => 410);
			await mlflow('POST', 'registered-models/create', { name: 'gone-model' });
			await deliver();
			clock.t += 60_000;
			expect(await deliver()).toBe(0);
			expect(receiver.received).toHaveLength(1);
			[delivery] = (await call('GET', `/api/webhooks/${hook.webhook_id}/deliveries`)).body.deliveries;
			expect(delivery).toMatchObject({ status: 'failed', attempts: [{ response_status: 410 }] });

			// A redirect is not followed, and not a delivery.
			receiver.setAnswer(() => 302);
			await mlflow('POST', 'registered-models/create', { name: 'moved-model' });
			await deliver();
			[delivery] = (await call('GET', `/api/webhooks/${hook.webhook_id}/deliveries`)).body.deliveries;
			expect(delivery).toMatchObject({ status: 'failed', attempts: [{ response_status: 302 }] });
		});

		it('keeps queued deliveries across a restart of the store', async () => {
			await createHook({ name: 'durable', events: [REGISTRY_EVENTS[0]] });
			await mlflow('POST', 'registered-models/create', { name: 'durable-model' });
			await store.close();
			store = await openStore(target.options);
			app = createApp({ store, version: 'test', auth: false, clock, webhooks: { allowedSchemes: ['http', 'https'] } });
			expect(await deliver()).toBe(1);
			expect(JSON.parse(receiver.received[0].body).data.name).toBe('durable-model');
		});

		it("answers the test button with the receiver's answer, signed, and logs it", async () => {
			const hook = await createHook({ name: 'tested', events: [REGISTRY_EVENTS[4], REGISTRY_EVENTS[0]], secret: 'abc' });
			const tested = await mlflow('POST', `webhooks/${hook.webhook_id}/test`, {});
			expect(tested).toMatchObject({ status: 200, body: { result: { success: true, response_status: 200, response_body: 'ok' } } });
			const [request] = receiver.received;
			const sent = JSON.parse(request.body);
			// The first subscribed event, in events' stored order, with MLflow's example payload.
			expect(`${sent.entity}.${sent.action}`).toMatch(/^(registered_model\.created|model_version_alias\.created)$/);
			expect(request.headers['x-mlflow-signature']).toBe(mlflowSignature('abc', request.headers, request.body));
			const chosen = await mlflow('POST', `webhooks/${hook.webhook_id}/test`, { event: { entity: 'MODEL_VERSION_ALIAS', action: 'CREATED' } });
			expect(chosen.body.result.success).toBe(true);
			expect(JSON.parse(receiver.received[1].body).data).toEqual({ name: 'example_model', alias: 'example_alias', version: '1' });

			receiver.setAnswer(() => 500);
			const failed = await mlflow('POST', `webhooks/${hook.webhook_id}/test`, {});
			expect(failed.body.result).toMatchObject({ success: false, response_status: 500 });
			const log = (await call('GET', `/api/webhooks/${hook.webhook_id}/deliveries`)).body.deliveries;
			expect(log.map((d: any) => [d.test, d.status])).toEqual([
				[true, 'failed'],
				[true, 'delivered'],
				[true, 'delivered']
			]);
			expect((await call('GET', '/api/webhooks/00000000-0000-4000-8000-000000000000/deliveries')).status).toBe(404);
		});
	});
}
