import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { invalidParameter } from '#server/mlflow/errors.ts';
import type { Queryable, Store } from '#server/store/index.ts';
import { EXAMPLE_PAYLOADS, envelope, isSentEvent } from './events';
import type { WebhookSecrets } from './secrets';
import { getWebhookTarget, type WebhookTarget } from './service';
import { DELIVERY_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookSignature } from './signature';
import { eventName, type WebhookDelivery, type WebhookEnvelope, type WebhookEventWire, type WebhookTestResult } from '#lib/contracts/webhooks.ts';

/**
 * Sending queued deliveries (events.ts queues them): each is POSTed with MLflow's headers and
 * signature; a network error, a timeout, 429 or 5xx is retried with exponential backoff
 * (`baseDelayMs · 2^(attempt−1)`, capped at `maxDelayMs`) until `maxAttempts`; a 2xx delivers it,
 * any other answer fails it at once. Every attempt is logged. Time comes from an injected clock,
 * so tests drive the backoff without waiting.
 */

export interface Clock {
	now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface DeliveryPolicy {
	/** Attempts in all, the first included. */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** How long one request may take. */
	timeoutMs: number;
	/** A delivery being sent is not picked again before this long (a crash mid-send retries it after). */
	leaseMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = { maxAttempts: 6, baseDelayMs: 10_000, maxDelayMs: 600_000, timeoutMs: 30_000, leaseMs: 120_000 };

export interface DeliveryDeps {
	store: Store;
	/** Opens the webhooks' sealed secrets. */
	secrets: WebhookSecrets;
	clock?: Clock;
	policy?: Partial<DeliveryPolicy>;
}

/** The wait before attempt `attempt + 1`, after `attempt` failed ones. */
export function retryDelay(attempt: number, policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY): number {
	return Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
}

interface AttemptResult {
	response_status: number | null;
	response_body: string | null;
	error: string | null;
}

const BODY_LIMIT = 2048;
const retryable = (r: AttemptResult) => r.response_status === null || r.response_status === 429 || r.response_status >= 500;
// 2xx only: redirects are not followed (a POST redirected is not delivered).
const succeeded = (r: AttemptResult) => r.response_status !== null && r.response_status >= 200 && r.response_status < 300;

/** The answer to one POST: its status and the start of its body. */
function send(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<{ status: number; text: string }> {
	const target = new URL(url);
	const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
	return new Promise((resolve, reject) => {
		// A fresh connection per attempt (agent: false): a kept-alive socket the receiver has
		// closed meanwhile would fail the attempt for nothing.
		const req = request(
			target,
			{ method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: false, timeout: timeoutMs },
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => {
					if (text.length < BODY_LIMIT) text += chunk;
				});
				res.on('end', () => resolve({ status: res.statusCode ?? 0, text: text.slice(0, BODY_LIMIT) }));
				res.on('error', reject);
			}
		);
		req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		req.on('error', reject);
		req.end(body);
	});
}

type SecretSource = Pick<WebhookTarget, 'webhook_id' | 'name' | 'sealed_secret' | 'plain_secret'>;

/** The webhook's secret (null: it has none); throws naming the webhook when it cannot be opened. */
async function signingSecret(secrets: WebhookSecrets, hook: SecretSource): Promise<string | null> {
	if (hook.plain_secret) {
		throw new Error(`webhook '${hook.name}' (${hook.webhook_id}): its secret is still in plain text from before migration 12; start the server to encrypt it`);
	}
	return hook.sealed_secret === null ? null : secrets.open(hook, hook.sealed_secret);
}

/**
 * One POST, signed when the webhook has a secret. A secret that cannot be opened fails the attempt
 * (retried, as the key may be restored meanwhile): a delivery is never sent unsigned instead.
 */
async function post(
	secrets: WebhookSecrets,
	hook: SecretSource & { url: string },
	deliveryId: string,
	body: string,
	at: number,
	timeoutMs: number
): Promise<AttemptResult> {
	const timestamp = String(Math.floor(at / 1000));
	const headers: Record<string, string> = { 'content-type': 'application/json', [DELIVERY_ID_HEADER]: deliveryId, [TIMESTAMP_HEADER]: timestamp };
	let secret: string | null;
	try {
		secret = await signingSecret(secrets, hook);
	} catch (error) {
		return { response_status: null, response_body: null, error: (error as Error).message };
	}
	if (secret) headers[SIGNATURE_HEADER] = webhookSignature(secret, deliveryId, timestamp, body);
	const { url } = hook;
	try {
		const { status, text } = await send(url, headers, body, timeoutMs);
		return { response_status: status, response_body: text, error: null };
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		return { response_status: null, response_body: null, error: `request to ${url} failed: ${code ?? (error as Error).message}` };
	}
}

async function logAttempt(db: Queryable, deliveryId: string, at: number, result: AttemptResult): Promise<void> {
	await db.query(`INSERT INTO webhook_delivery_attempts (delivery_id, attempted_at, response_status, response_body, error) VALUES ($1, $2, $3, $4, $5)`, [
		deliveryId,
		at,
		result.response_status,
		result.response_body,
		result.error
	]);
}

interface Claimed extends SecretSource {
	delivery_id: string;
	payload: string;
	attempts: number;
	url: string;
	live: boolean;
}

/** Takes the next due delivery for this sender (leased, so another loop or process skips it). */
async function claimNext(store: Store, at: number, policy: DeliveryPolicy): Promise<Claimed | undefined> {
	const [row] = await store.query<Claimed>(
		`WITH next AS (
			SELECT delivery_id FROM webhook_deliveries WHERE status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
			ORDER BY next_attempt_at NULLS FIRST, seq LIMIT 1 FOR UPDATE SKIP LOCKED
		)
		UPDATE webhook_deliveries d SET next_attempt_at = $2 FROM next, webhooks w
		WHERE d.delivery_id = next.delivery_id AND w.webhook_id = d.webhook_id
		RETURNING d.delivery_id, d.payload, d.attempts, w.webhook_id, w.name, w.url, w.sealed_secret, w.plain_secret IS NOT NULL AS plain_secret,
			(w.deleted_timestamp IS NULL AND w.status = 'ACTIVE') AS live`,
		[at, at + policy.leaseMs]
	);
	return row;
}

/**
 * Sends every delivery due by the clock's now, one after another; returns how many attempts it
 * made. Safe to call from several loops: each delivery is leased while it is being sent.
 */
export async function deliverDue(deps: DeliveryDeps): Promise<number> {
	const clock = deps.clock ?? systemClock;
	const policy = { ...DEFAULT_DELIVERY_POLICY, ...deps.policy };
	const started = clock.now();
	let attempts = 0;
	for (let claimed = await claimNext(deps.store, started, policy); claimed; claimed = await claimNext(deps.store, started, policy)) {
		const at = clock.now();
		const result = claimed.live
			? await post(deps.secrets, claimed, claimed.delivery_id, claimed.payload, at, policy.timeoutMs)
			: { response_status: null, response_body: null, error: 'the webhook was disabled or deleted before this delivery was sent' };
		const attempt = claimed.attempts + 1;
		const retry = claimed.live && !succeeded(result) && retryable(result) && attempt < policy.maxAttempts;
		const status = succeeded(result) ? 'delivered' : retry ? 'pending' : 'failed';
		await deps.store.transaction(async (tx) => {
			await logAttempt(tx, claimed.delivery_id, at, result);
			await tx.query(`UPDATE webhook_deliveries SET attempts = $2, status = $3, next_attempt_at = $4 WHERE delivery_id = $1`, [
				claimed.delivery_id,
				attempt,
				status,
				retry ? at + retryDelay(attempt, policy) : null
			]);
		});
		attempts++;
	}
	return attempts;
}

/**
 * MLflow's test button: one signed POST of the event's example payload (the webhook's first
 * event unless one is given), answered at once and kept in the delivery log; not retried.
 */
export async function testWebhook(deps: DeliveryDeps, webhookId: string, event?: WebhookEventWire): Promise<WebhookTestResult> {
	const clock = deps.clock ?? systemClock;
	const policy = { ...DEFAULT_DELIVERY_POLICY, ...deps.policy };
	const target = await getWebhookTarget(deps.store, webhookId);
	const name = eventName(event ?? target.events[0]);
	if (!isSentEvent(name)) throw invalidParameter(`driftbook never sends ${name} (it keeps no prompts); test another event`);
	const at = clock.now();
	const body = JSON.stringify(envelope(name, EXAMPLE_PAYLOADS[name], at));
	const [{ delivery_id }] = await deps.store.query<{ delivery_id: string }>(
		`INSERT INTO webhook_deliveries (webhook_id, event, payload, test, status, created_at) VALUES ($1, $2, $3, true, 'pending', $4) RETURNING delivery_id`,
		[webhookId, name, body, at]
	);
	const result = await post(deps.secrets, target, delivery_id, body, at, policy.timeoutMs);
	await deps.store.transaction(async (tx) => {
		await logAttempt(tx, delivery_id, at, result);
		await tx.query(`UPDATE webhook_deliveries SET attempts = 1, status = $2 WHERE delivery_id = $1`, [delivery_id, succeeded(result) ? 'delivered' : 'failed']);
	});
	const answer: WebhookTestResult = { success: succeeded(result) };
	if (result.response_status !== null) answer.response_status = result.response_status;
	if (result.response_body) answer.response_body = result.response_body;
	if (result.error) answer.error_message = result.error;
	return answer;
}

/** The webhook's deliveries, newest first, each with its attempts in order. */
export async function listDeliveries(db: Queryable, webhookId: string, limit = 100): Promise<WebhookDelivery[]> {
	const rows = await db.query<{
		delivery_id: string;
		webhook_id: string;
		event: string;
		payload: string;
		test: boolean;
		status: WebhookDelivery['status'];
		next_attempt_at: string | null;
		created_at: string;
	}>(
		`SELECT delivery_id, webhook_id, event, payload, test, status, next_attempt_at, created_at FROM webhook_deliveries
		 WHERE webhook_id = $1 ORDER BY seq DESC LIMIT $2`,
		[webhookId, limit]
	);
	const attempts = await db.query<{
		delivery_id: string;
		attempted_at: string;
		response_status: number | null;
		response_body: string | null;
		error: string | null;
	}>(`SELECT delivery_id, attempted_at, response_status, response_body, error FROM webhook_delivery_attempts WHERE delivery_id = ANY($1::uuid[]) ORDER BY id`, [
		rows.map((r) => r.delivery_id)
	]);
	return rows.map((r) => ({
		delivery_id: r.delivery_id,
		webhook_id: r.webhook_id,
		event: r.event,
		test: r.test,
		status: r.status,
		next_attempt_at: r.next_attempt_at === null ? null : Number(r.next_attempt_at),
		created_at: Number(r.created_at),
		payload: JSON.parse(r.payload) as WebhookEnvelope,
		attempts: attempts
			.filter((a) => a.delivery_id === r.delivery_id)
			.map((a) => ({ attempted_at: Number(a.attempted_at), response_status: a.response_status, response_body: a.response_body, error: a.error }))
	}));
}

/** Sends due deliveries every `intervalMs` until stopped (the server's background sender). */
export function startDeliveryLoop(deps: DeliveryDeps, intervalMs = 1000): { stop(): void } {
	let running = false;
	const timer = setInterval(() => {
		if (running) return;
		running = true;
		deliverDue(deps)
			.catch((error: Error) => console.error(`[webhooks] delivering failed: ${error.message}`))
			.finally(() => (running = false));
	}, intervalMs);
	timer.unref();
	return { stop: () => clearInterval(timer) };
}
