/**
 * Webhooks (MLflow 3's REST API, /api/2.0/mlflow/webhooks) and driftbook's delivery log
 * (/api/webhooks/:id/deliveries). Event names are MLflow's `entity.action`, plus
 * `monitor.alerted`, sent when a monitor's evaluation alerts (server/monitors).
 */

/** MLflow's WebhookEntity names (webhooks.proto), then driftbook's MONITOR. */
export const WEBHOOK_ENTITIES = [
	'REGISTERED_MODEL',
	'MODEL_VERSION',
	'MODEL_VERSION_TAG',
	'MODEL_VERSION_ALIAS',
	'PROMPT',
	'PROMPT_VERSION',
	'PROMPT_TAG',
	'PROMPT_VERSION_TAG',
	'PROMPT_ALIAS',
	'MONITOR'
] as const;
export type WebhookEntity = (typeof WEBHOOK_ENTITIES)[number];

/** MLflow's WebhookAction names in proto order, then driftbook's ALERTED. */
export const WEBHOOK_ACTIONS = ['CREATED', 'UPDATED', 'DELETED', 'SET', 'ALERTED'] as const;
export type WebhookAction = (typeof WEBHOOK_ACTIONS)[number];

/** Which actions each entity has (MLflow's VALID_ENTITY_ACTIONS, and monitor: alerted). */
export const VALID_ENTITY_ACTIONS: Readonly<Record<WebhookEntity, readonly WebhookAction[]>> = {
	REGISTERED_MODEL: ['CREATED'],
	MODEL_VERSION: ['CREATED'],
	MODEL_VERSION_TAG: ['SET', 'DELETED'],
	MODEL_VERSION_ALIAS: ['CREATED', 'DELETED'],
	PROMPT: ['CREATED'],
	PROMPT_VERSION: ['CREATED'],
	PROMPT_TAG: ['SET', 'DELETED'],
	PROMPT_VERSION_TAG: ['SET', 'DELETED'],
	PROMPT_ALIAS: ['CREATED', 'DELETED'],
	MONITOR: ['ALERTED']
};

/** An event on the wire, as MLflow's JSON writes the proto message. */
export interface WebhookEventWire {
	entity: WebhookEntity;
	action: WebhookAction;
}

/** The events driftbook sends (prompts are never sent: driftbook keeps no prompts). */
export type WebhookEventName =
	| 'registered_model.created'
	| 'model_version.created'
	| 'model_version_tag.set'
	| 'model_version_tag.deleted'
	| 'model_version_alias.created'
	| 'model_version_alias.deleted'
	| 'monitor.alerted';

/** `entity.action` in lower case, as MLflow prints an event and puts it in the payload. */
export function eventName(event: WebhookEventWire): string {
	return `${event.entity.toLowerCase()}.${event.action.toLowerCase()}`;
}

export type WebhookStatus = 'ACTIVE' | 'DISABLED';

/** MLflow's Webhook message (the secret is never answered). */
export interface Webhook {
	webhook_id: string;
	name: string;
	description?: string;
	url: string;
	events: WebhookEventWire[];
	status: WebhookStatus;
	creation_timestamp: number;
	last_updated_timestamp: number;
}

/** MLflow's WebhookTestResult. */
export interface WebhookTestResult {
	success: boolean;
	response_status?: number;
	response_body?: string;
	error_message?: string;
}

/** The body every delivery POSTs (MLflow's): the event, when, and its payload. */
export interface WebhookEnvelope {
	entity: string;
	action: string;
	/** ISO 8601, when the event happened. */
	timestamp: string;
	data: Record<string, unknown>;
}

export interface WebhookDeliveryAttempt {
	attempted_at: number;
	response_status: number | null;
	response_body: string | null;
	error: string | null;
}

/** One event sent (or being sent) to one webhook, with every attempt. */
export interface WebhookDelivery {
	delivery_id: string;
	webhook_id: string;
	event: string;
	test: boolean;
	status: 'pending' | 'delivered' | 'failed';
	attempts: WebhookDeliveryAttempt[];
	next_attempt_at: number | null;
	created_at: number;
	payload: WebhookEnvelope;
}
