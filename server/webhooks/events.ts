import type { Queryable } from '#server/store/index.ts';
import type { WebhookEnvelope, WebhookEventName } from '#lib/contracts/webhooks.ts';

/**
 * Emitting an event: one pending delivery per active webhook subscribed to it, written in the
 * caller's transaction (an outbox: a change that rolls back sends nothing, and a delivery
 * written survives a restart). delivery.ts sends them.
 */

/** MLflow's payloads (mlflow/webhooks/types.py), and monitor.alerted's (server/monitors). */
export interface EventPayloads {
	'registered_model.created': { name: string; tags: Record<string, string>; description: string | null };
	'model_version.created': { name: string; version: string; source: string; run_id: string | null; tags: Record<string, string>; description: string | null };
	'model_version_tag.set': { name: string; version: string; key: string; value: string };
	'model_version_tag.deleted': { name: string; version: string; key: string };
	'model_version_alias.created': { name: string; alias: string; version: string };
	'model_version_alias.deleted': { name: string; alias: string };
	'monitor.alerted': MonitorAlertPayload;
}

/** What a retraining pipeline (or a pager) is told when a monitor alerts. */
export interface MonitorAlertPayload {
	monitor_id: string;
	monitor_name: string;
	model_name: string;
	alias: string | null;
	model_version: string | null;
	run_id: string;
	evaluation_id: number;
	/** ISO 8601 bounds of the current window (null when the monitor reads the whole dataset). */
	window_start: string | null;
	window_end: string | null;
	monitor_kind: 'drift' | 'performance' | 'multivariate';
	/** The number the monitor watches (drift: the share drifted; performance: the estimated metric; multivariate: the reconstruction error) … */
	value: number;
	/** … and the thresholds it was judged against (drift: the alert share as upper_threshold). */
	upper_threshold: number | null;
	lower_threshold: number | null;
	/** Drift: the share of tested columns drifted, the monitor's alert share, the drifted columns' names and the tested count. */
	share?: number;
	alert_share?: number;
	drifted_columns?: string[];
	tested_columns?: number;
	/** Performance: the metric, its estimate and its realized value where labels arrived (else null). */
	metric?: string;
	estimated?: number;
	realized?: number | null;
	/** Multivariate: the mean reconstruction error. */
	reconstruction_error?: number;
	/** Performance and multivariate: rows in the window. */
	rows?: number;
	rollback: RollbackOutcome | null;
}

/** What an opt-in rollback did (or why it did not). */
export type RollbackOutcome =
	| {
			rolled_back: true;
			alias: string;
			from_version: string | null;
			to_version: string;
			reason: string;
			/** Whether the alias was the canary of the model's routing rule, now removed (all traffic to the primary). */
			canary_cleared: boolean;
	  }
	| { rolled_back: false; alias: string; error: string };

// Compile-time check that the payload table covers exactly the event names of the contract.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _covered: Same<keyof EventPayloads, WebhookEventName> = true;
void _covered;

/** The body a delivery of this event POSTs, as MLflow builds it. */
export function envelope<E extends WebhookEventName>(event: E, data: EventPayloads[E] | Record<string, unknown>, at: number): WebhookEnvelope {
	const [entity, action] = event.split('.');
	return { entity, action, timestamp: new Date(at).toISOString(), data: data as Record<string, unknown> };
}

/**
 * Queues `event` for every active webhook subscribed to it, due at once (no next_attempt_at:
 * whatever the sender's clock says); returns how many deliveries were queued.
 */
export async function emitEvent<E extends WebhookEventName>(tx: Queryable, event: E, data: EventPayloads[E], at = Date.now()): Promise<number> {
	const [entity, action] = event.toUpperCase().split('.');
	const rows = await tx.query(
		`INSERT INTO webhook_deliveries (webhook_id, event, payload, status, next_attempt_at, created_at)
		 SELECT w.webhook_id, $3, $4, 'pending', NULL, $5 FROM webhooks w JOIN webhook_events e ON e.webhook_id = w.webhook_id
		 WHERE w.deleted_timestamp IS NULL AND w.status = 'ACTIVE' AND e.entity = $1 AND e.action = $2
		 RETURNING delivery_id`,
		[entity, action, event, JSON.stringify(envelope(event, data, at)), at]
	);
	return rows.length;
}

/** What the test button sends: MLflow's example payloads (`…Payload.example()`), and one for monitor.alerted. */
export const EXAMPLE_PAYLOADS: { [E in WebhookEventName]: EventPayloads[E] } = {
	'registered_model.created': { name: 'example_model', tags: { example_key: 'example_value' }, description: 'An example registered model' },
	'model_version.created': {
		name: 'example_model',
		version: '1',
		source: 'models:/123',
		run_id: 'abcd1234abcd5678',
		tags: { example_key: 'example_value' },
		description: 'An example model version'
	},
	'model_version_tag.set': { name: 'example_model', version: '1', key: 'example_key', value: 'example_value' },
	'model_version_tag.deleted': { name: 'example_model', version: '1', key: 'example_key' },
	'model_version_alias.created': { name: 'example_model', alias: 'example_alias', version: '1' },
	'model_version_alias.deleted': { name: 'example_model', alias: 'example_alias' },
	'monitor.alerted': {
		monitor_id: '00000000-0000-4000-8000-000000000000',
		monitor_name: 'example_monitor',
		model_name: 'example_model',
		alias: 'champion',
		model_version: '1',
		run_id: 'abcd1234abcd5678abcd1234abcd5678',
		evaluation_id: 1,
		window_start: '2026-01-01T00:00:00.000Z',
		window_end: '2026-01-02T00:00:00.000Z',
		monitor_kind: 'drift',
		value: 0.5,
		upper_threshold: 0.5,
		lower_threshold: null,
		share: 0.5,
		alert_share: 0.5,
		drifted_columns: ['example_feature'],
		tested_columns: 2,
		rollback: null
	}
};

export function isSentEvent(name: string): name is WebhookEventName {
	return Object.hasOwn(EXAMPLE_PAYLOADS, name);
}
