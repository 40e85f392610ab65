import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '#server/app.ts';
import { openWebhookSecrets } from '#server/context.ts';
import { openStore, type Store } from '#server/store/index.ts';
import { migrate } from '#server/store/migrate.ts';
import { migrations } from '#server/store/migrations/index.ts';
import { openPglite } from '#server/store/pglite.ts';
import { openPostgres } from '#server/store/postgres.ts';
import { deliverDue, type DeliveryPolicy } from '#server/webhooks/delivery.ts';
import { SECRET_KEY_ENV, WebhookSecrets } from '#server/webhooks/secrets.ts';
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
		// The key as a server without DRIFTBOOK_SECRET_KEY has it: a file in the data directory.
		let secrets: WebhookSecrets;
		const deliver = (withSecrets = secrets) => deliverDue({ store, clock, policy, secrets: withSecrets });
		/** Every stored value of the webhook's row, as text. */
		const storedRow = async (id: string) => JSON.stringify(await store.query(`SELECT * FROM webhooks WHERE webhook_id = $1`, [id]));

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
			secrets = new WebhookSecrets({ dataDir: target.dir, env: {} });
			app = createApp({ store, version: 'test', auth: false, clock, webhooks: { allowedSchemes: ['http', 'https'], secrets } });
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
			app = createApp({ store, version: 'test', auth: false, clock, webhooks: { allowedSchemes: ['http', 'https'], secrets } });
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
		it('stores each secret encrypted under a key file made once with mode 0600, and still signs with it', async () => {
			const hook = await createHook({ name: 'sealed', events: [REGISTRY_EVENTS[0]], secret: 'plain-text-secret-1' });
			const row = await storedRow(hook.webhook_id);
			expect(row).not.toContain('plain-text-secret-1');
			expect(row).not.toContain(Buffer.from('plain-text-secret-1').toString('base64'));
			expect((await stat(join(target.dir, 'secret.key'))).mode & 0o777).toBe(0o600);
			await mlflow('POST', 'registered-models/create', { name: 'sealed-model' });
			expect(await deliver()).toBe(1);
			const [request] = receiver.received;
			expect(request.headers['x-mlflow-signature']).toBe(mlflowSignature('plain-text-secret-1', request.headers, request.body));
		});

		it('rotates a secret by update: later deliveries are signed with the new one only', async () => {
			const hook = await createHook({ name: 'rotated', events: [REGISTRY_EVENTS[0]], secret: 'old-secret' });
			const updated = await mlflow('PATCH', `webhooks/${hook.webhook_id}`, { secret: 'new-secret' });
			expect(updated.status).toBe(200);
			expect(updated.body.webhook).not.toHaveProperty('secret');
			const row = await storedRow(hook.webhook_id);
			expect(row).not.toContain('new-secret');
			expect(row).not.toContain('old-secret');
			// An update that names no secret keeps it.
			await mlflow('PATCH', `webhooks/${hook.webhook_id}`, { description: 'rotated once' });
			await mlflow('POST', 'registered-models/create', { name: 'rotated-model' });
			expect(await deliver()).toBe(1);
			const [request] = receiver.received;
			expect(request.headers['x-mlflow-signature']).toBe(mlflowSignature('new-secret', request.headers, request.body));
			expect(request.headers['x-mlflow-signature']).not.toBe(mlflowSignature('old-secret', request.headers, request.body));
		});

		it('sends nothing unsigned when the key is missing or wrong: the attempt fails naming the webhook, and is retried', async () => {
			const hook = await createHook({ name: 'keyless', events: [REGISTRY_EVENTS[0]], secret: 'needs-a-key' });
			const elsewhere = await mkdtemp(join(tmpdir(), 'driftbook-nokey-'));
			try {
				await mlflow('POST', 'registered-models/create', { name: 'keyless-model' });
				const missing = new WebhookSecrets({ dataDir: elsewhere, env: {} });
				expect(await deliver(missing)).toBe(1);
				const wrong = new WebhookSecrets({ dataDir: elsewhere, env: { [SECRET_KEY_ENV]: randomBytes(32).toString('base64') } });
				clock.t += 10_000;
				expect(await deliver(wrong)).toBe(1);
				expect(receiver.received).toHaveLength(0);
				const [delivery] = (await call('GET', `/api/webhooks/${hook.webhook_id}/deliveries`)).body.deliveries;
				expect(delivery.status).toBe('pending');
				const [noKey, wrongKey] = delivery.attempts.map((a: any) => a.error);
				expect(noKey).toContain(`webhook 'keyless' (${hook.webhook_id})`);
				expect(noKey).toContain(`${SECRET_KEY_ENV} is not set and ${join(elsewhere, 'secret.key')} does not exist`);
				expect(wrongKey).toContain(`webhook 'keyless' (${hook.webhook_id})`);
				expect(wrongKey).toContain(`does not decrypt with the key from ${SECRET_KEY_ENV}`);

				// The test button answers the same error, and sends nothing either.
				const keylessApp = createApp({ store, version: 'test', auth: false, clock, webhooks: { allowedSchemes: ['http'], secrets: missing } });
				const tested = await keylessApp.request(`/api/2.0/mlflow/webhooks/${hook.webhook_id}/test`, {
					method: 'POST',
					body: '{}',
					headers: { 'content-type': 'application/json' }
				});
				expect((await tested.json()).result).toMatchObject({ success: false, error_message: expect.stringContaining(`webhook 'keyless'`) });
				expect(receiver.received).toHaveLength(0);

				// With the key back, the retry goes out signed.
				clock.t += 20_000;
				expect(await deliver()).toBe(1);
				expect(receiver.received[0].headers['x-mlflow-signature']).toBe(
					mlflowSignature('needs-a-key', receiver.received[0].headers, receiver.received[0].body)
				);
				const log = (await call('GET', `/api/webhooks/${hook.webhook_id}/deliveries`)).body.deliveries;
				expect(log.map((d: any) => [d.test, d.status])).toEqual([
					[true, 'failed'],
					[false, 'delivered']
				]);
			} finally {
				await rm(elsewhere, { recursive: true, force: true });
			}
		});

		it('refuses a key of the wrong size, naming the variable', async () => {
			const short = new WebhookSecrets({ dataDir: target.dir, env: { [SECRET_KEY_ENV]: randomBytes(16).toString('base64') } });
			await expect(short.seal('00000000-0000-4000-8000-000000000000', 'x')).rejects.toThrow(`${SECRET_KEY_ENV} must hold 32 bytes in base64`);
		});

		it('encrypts at start-up the secrets an older version stored in plain text, losing none', async () => {
			const old = await factory.create();
			try {
				// A database as version 010 left it, with a secret in plain text.
				const raw = old.options.databaseUrl ? await openPostgres(old.options.databaseUrl, old.options.schema) : await openPglite(old.options.dataDir!);
				await migrate(
					raw,
					migrations.filter((m) => m.version <= 10),
					old.options.schema
				);
				const [{ webhook_id }] = await raw.query<{ webhook_id: string }>(
					`INSERT INTO webhooks (name, url, secret, status, creation_timestamp, last_updated_timestamp) VALUES ('legacy', $1, 'legacy-secret', 'ACTIVE', 1, 1) RETURNING webhook_id`,
					[receiver.url]
				);
				await raw.query(`INSERT INTO webhook_events (webhook_id, entity, action) VALUES ($1, 'REGISTERED_MODEL', 'CREATED')`, [webhook_id]);
				await raw.close();

				const upgraded = await openStore(old.options);
				try {
					const oldSecrets = await openWebhookSecrets(upgraded, old.dir, {});
					const row = JSON.stringify(await upgraded.query(`SELECT * FROM webhooks WHERE webhook_id = $1`, [webhook_id]));
					expect(row).not.toContain('legacy-secret');
					const oldApp = createApp({ store: upgraded, version: 'test', auth: false, clock, webhooks: { allowedSchemes: ['http'], secrets: oldSecrets } });
					await oldApp.request('/api/2.0/mlflow/registered-models/create', {
						method: 'POST',
						body: JSON.stringify({ name: 'legacy-model' }),
						headers: { 'content-type': 'application/json' }
					});
					expect(await deliverDue({ store: upgraded, clock, secrets: oldSecrets })).toBe(1);
					const [request] = receiver.received;
					expect(request.headers['x-mlflow-signature']).toBe(mlflowSignature('legacy-secret', request.headers, request.body));
				} finally {
					await upgraded.close();
				}
			} finally {
				await old.dispose();
			}
		});
	});
}
