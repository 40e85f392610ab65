import { randomUUID } from 'node:crypto';
import { isUuid } from '#server/http/validate.ts';
import { doesNotExist, invalidParameter } from '#server/mlflow/errors.ts';
import { checkMaxResults, compact, decodePageToken, now, page } from '#server/mlflow/wire.ts';
import type { Queryable } from '#server/store/index.ts';
import type { WebhookRef, WebhookSecrets } from './secrets';
import { VALID_ENTITY_ACTIONS, eventName, type Webhook, type WebhookEventWire, type WebhookStatus } from '#lib/contracts/webhooks.ts';

/**
 * Webhook subscriptions, with MLflow 3's rules (SqlAlchemyStore and utils/validation.py): names
 * of letters, digits, `.`, `_`, `-` (1–63, starting and ending alphanumeric), URLs of an allowed
 * scheme, a non-empty list of valid events; deleting keeps the row (soft delete).
 */

const NAME = /^(?=.{1,63}$)[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/i;

/** Which URL schemes a webhook may use: DRIFTBOOK_WEBHOOK_ALLOWED_SCHEMES (comma-separated), default https only as MLflow. */
export function allowedSchemes(env: NodeJS.ProcessEnv = process.env): string[] {
	const raw = env.DRIFTBOOK_WEBHOOK_ALLOWED_SCHEMES ?? env.MLFLOW_WEBHOOK_ALLOWED_SCHEMES;
	const schemes = (raw ?? 'https')
		.split(',')
		.map((s) => s.trim().toLowerCase())
		.filter(Boolean);
	return schemes.length > 0 ? schemes : ['https'];
}

export interface WebhookInput {
	name?: string;
	description?: string;
	url?: string;
	events?: WebhookEventWire[];
	secret?: string;
	status?: WebhookStatus;
}

/** A webhook as the delivery side needs it: with its secret, sealed (secrets.ts opens it). */
export interface WebhookTarget extends WebhookRef {
	url: string;
	sealed_secret: string | null;
	/** A secret written before migration 12 that start-up has not sealed yet. */
	plain_secret: boolean;
	events: WebhookEventWire[];
}

interface Row {
	webhook_id: string;
	name: string;
	description: string | null;
	url: string;
	sealed_secret: string | null;
	plain_secret: boolean;
	status: WebhookStatus;
	creation_timestamp: number | string;
	last_updated_timestamp: number | string;
}

function checkName(name: string): void {
	if (!NAME.test(name)) {
		throw invalidParameter(
			`Webhook name '${name}' is invalid. It must start and end with a letter or digit, be less than 63 characters long, and contain only letters, digits, dots (.), underscores (_), and hyphens (-).`
		);
	}
}

function checkUrl(url: string, schemes: readonly string[]): void {
	if (url.trim() === '') throw invalidParameter(`Webhook URL cannot be empty or just whitespace: '${url}'`);
	let scheme: string;
	try {
		scheme = new URL(url).protocol.replace(/:$/, '');
	} catch {
		throw invalidParameter(`Invalid webhook URL '${url}': not an absolute URL.`);
	}
	if (!schemes.includes(scheme)) throw invalidParameter(`Invalid webhook URL scheme: '${scheme}'. Allowed schemes are: ${schemes.join(', ')}.`);
}

function checkEvents(events: readonly WebhookEventWire[]): void {
	if (events.length === 0) throw invalidParameter('Webhook events must be a non-empty list of WebhookEvent objects.');
	for (const event of events) {
		if (!VALID_ENTITY_ACTIONS[event.entity].includes(event.action)) {
			throw invalidParameter(
				`Invalid action '${event.action.toLowerCase()}' for entity '${event.entity.toLowerCase()}'. Valid actions are: ${VALID_ENTITY_ACTIONS[event.entity].map((a) => a.toLowerCase()).join(', ')}`
			);
		}
	}
}

async function loadEvents(db: Queryable, ids: readonly string[]): Promise<Map<string, WebhookEventWire[]>> {
	const byId = new Map<string, WebhookEventWire[]>(ids.map((id) => [id, []]));
	if (ids.length === 0) return byId;
	const rows = await db.query<{ webhook_id: string; entity: WebhookEventWire['entity']; action: WebhookEventWire['action'] }>(
		`SELECT webhook_id, entity, action FROM webhook_events WHERE webhook_id = ANY($1::uuid[]) ORDER BY entity, action`,
		[ids]
	);
	for (const r of rows) byId.get(r.webhook_id)?.push({ entity: r.entity, action: r.action });
	return byId;
}

const toWebhook = (r: Row, events: WebhookEventWire[]): Webhook =>
	compact({
		webhook_id: r.webhook_id,
		name: r.name,
		description: r.description ?? undefined,
		url: r.url,
		events,
		status: r.status,
		creation_timestamp: Number(r.creation_timestamp),
		last_updated_timestamp: Number(r.last_updated_timestamp)
	});

const COLUMNS =
	'webhook_id, name, description, url, sealed_secret, plain_secret IS NOT NULL AS plain_secret, status, creation_timestamp, last_updated_timestamp';

async function getRow(db: Queryable, id: string, lock = false): Promise<Row> {
	const [row] = isUuid(id)
		? await db.query<Row>(`SELECT ${COLUMNS} FROM webhooks WHERE webhook_id = $1 AND deleted_timestamp IS NULL${lock ? ' FOR UPDATE' : ''}`, [id])
		: [];
	if (!row) throw doesNotExist(`Webhook with ID ${id} not found.`);
	return row;
}

/** Whether a webhook was ever created with this id (deleted ones keep their delivery log). */
export async function webhookExisted(db: Queryable, id: string): Promise<boolean> {
	return isUuid(id) && (await db.query(`SELECT 1 FROM webhooks WHERE webhook_id = $1`, [id])).length > 0;
}

export async function getWebhook(db: Queryable, id: string): Promise<Webhook> {
	const row = await getRow(db, id);
	return toWebhook(row, (await loadEvents(db, [id])).get(id) ?? []);
}

/** The webhook with its secret, for sending to it. */
export async function getWebhookTarget(db: Queryable, id: string): Promise<WebhookTarget> {
	const row = await getRow(db, id);
	return {
		webhook_id: row.webhook_id,
		name: row.name,
		url: row.url,
		sealed_secret: row.sealed_secret,
		plain_secret: row.plain_secret,
		events: (await loadEvents(db, [id])).get(id) ?? []
	};
}

async function writeEvents(tx: Queryable, id: string, events: readonly WebhookEventWire[]): Promise<void> {
	await tx.query(`DELETE FROM webhook_events WHERE webhook_id = $1`, [id]);
	const unique = [...new Map(events.map((e) => [eventName(e), e])).values()];
	for (const e of unique) await tx.query(`INSERT INTO webhook_events (webhook_id, entity, action) VALUES ($1, $2, $3)`, [id, e.entity, e.action]);
}

export async function createWebhook(
	tx: Queryable,
	input: WebhookInput & { name: string; url: string; events: WebhookEventWire[] },
	schemes: readonly string[],
	secrets: WebhookSecrets
): Promise<Webhook> {
	checkName(input.name);
	checkUrl(input.url, schemes);
	checkEvents(input.events);
	// The id is made here rather than by the database: the sealed secret is bound to it.
	const id = randomUUID();
	await tx.query(
		`INSERT INTO webhooks (webhook_id, name, description, url, sealed_secret, status, creation_timestamp, last_updated_timestamp)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
		[id, input.name, input.description || null, input.url, input.secret ? await secrets.seal(id, input.secret) : null, input.status ?? 'ACTIVE', now()]
	);
	await writeEvents(tx, id, input.events);
	return getWebhook(tx, id);
}

/** Changes what is given; as MLflow, an empty string or list means "not given". */
export async function updateWebhook(tx: Queryable, id: string, input: WebhookInput, schemes: readonly string[], secrets: WebhookSecrets): Promise<Webhook> {
	const { webhook_id } = await getRow(tx, id, true);
	if (input.name) checkName(input.name);
	if (input.url) checkUrl(input.url, schemes);
	if (input.events?.length) {
		checkEvents(input.events);
		await writeEvents(tx, id, input.events);
	}
	await tx.query(
		`UPDATE webhooks SET name = coalesce($2, name), description = coalesce($3, description), url = coalesce($4, url),
		 sealed_secret = coalesce($5, sealed_secret), plain_secret = CASE WHEN $5::text IS NULL THEN plain_secret END,
		 status = coalesce($6, status), last_updated_timestamp = $7 WHERE webhook_id = $1`,
		[
			id,
			input.name || null,
			input.description || null,
			input.url || null,
			input.secret ? await secrets.seal(webhook_id, input.secret) : null,
			input.status ?? null,
			now()
		]
	);
	return getWebhook(tx, id);
}

/** Soft delete (as MLflow): it stops receiving, its pending deliveries are dropped, its log stays. */
export async function deleteWebhook(tx: Queryable, id: string): Promise<void> {
	await getRow(tx, id, true);
	const time = now();
	await tx.query(`UPDATE webhooks SET deleted_timestamp = $2, last_updated_timestamp = $2 WHERE webhook_id = $1`, [id, time]);
	await tx.query(`UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL WHERE webhook_id = $1 AND status = 'pending'`, [id]);
}

/** Newest first, as MLflow. */
export async function listWebhooks(
	db: Queryable,
	input: { max_results?: number; page_token?: string }
): Promise<{ webhooks: Webhook[]; next_page_token?: string }> {
	const maxResults = input.max_results || 100;
	checkMaxResults(maxResults, 1000);
	const offset = decodePageToken(input.page_token);
	const rows = await db.query<Row>(
		`SELECT ${COLUMNS} FROM webhooks WHERE deleted_timestamp IS NULL ORDER BY creation_timestamp DESC, webhook_id LIMIT $1 OFFSET $2`,
		[maxResults + 1, offset]
	);
	const { items, next_page_token } = page(rows, offset, maxResults);
	const events = await loadEvents(
		db,
		items.map((r) => r.webhook_id)
	);
	return compact({ webhooks: items.map((r) => toWebhook(r, events.get(r.webhook_id) ?? [])), next_page_token });
}
