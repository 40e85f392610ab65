import type { Migration } from './migration';

/**
 * Webhooks as MLflow 3 keeps them (a subscription and its events), their deliveries as an outbox
 * written in the transaction of the change that caused them (so a delivery survives a restart and
 * is never sent for a change that rolled back) with every attempt logged; and drift monitors of
 * registered models with their evaluations. Times the delivery queue and the scheduler compare
 * with their clock are epoch milliseconds (bigint), as MLflow's timestamps.
 */
export const migration: Migration = {
	version: 9,
	name: 'webhooks_monitors',
	sql: `
CREATE TABLE webhooks (
	webhook_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	name text NOT NULL,
	description text,
	url text NOT NULL,
	-- the HMAC key of X-MLflow-Signature; never answered by the API
	secret text,
	status text NOT NULL CHECK (status IN ('ACTIVE', 'DISABLED')),
	creation_timestamp bigint NOT NULL,
	last_updated_timestamp bigint NOT NULL,
	-- deleted webhooks are kept (soft delete, as MLflow) so their delivery log stays readable
	deleted_timestamp bigint
);

CREATE TABLE webhook_events (
	webhook_id uuid NOT NULL REFERENCES webhooks ON DELETE CASCADE,
	entity text NOT NULL,
	action text NOT NULL,
	PRIMARY KEY (webhook_id, entity, action)
);
CREATE INDEX webhook_events_event ON webhook_events (entity, action);

CREATE TABLE webhook_deliveries (
	-- sent as X-MLflow-Delivery-Id, the same on every attempt so receivers can drop repeats
	delivery_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	-- insertion order: the delivery log lists newest first by it (created_at can tie)
	seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
	webhook_id uuid NOT NULL REFERENCES webhooks ON DELETE CASCADE,
	event text NOT NULL,
	-- the exact JSON body, signed as written
	payload text NOT NULL,
	test boolean NOT NULL DEFAULT false,
	status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
	attempts integer NOT NULL DEFAULT 0,
	-- when a pending delivery is next due (NULL: at once); NULL once delivered or failed
	next_attempt_at bigint,
	created_at bigint NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at NULLS FIRST) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, seq);

CREATE TABLE webhook_delivery_attempts (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	delivery_id uuid NOT NULL REFERENCES webhook_deliveries ON DELETE CASCADE,
	attempted_at bigint NOT NULL,
	response_status integer,
	-- the receiver's answer, cut to 2 KiB
	response_body text,
	error text
);
CREATE INDEX webhook_delivery_attempts_delivery ON webhook_delivery_attempts (delivery_id, id);

CREATE TABLE monitors (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	name text NOT NULL,
	model_name text NOT NULL REFERENCES mlflow_registered_models (name) ON UPDATE CASCADE ON DELETE CASCADE,
	-- the alias whose version is watched (and rolled back when rollback is on)
	alias text,
	reference_dataset_id uuid NOT NULL,
	current_dataset_id uuid NOT NULL,
	time_column text,
	window_ms bigint CHECK (window_ms > 0),
	columns jsonb,
	methods jsonb NOT NULL,
	threshold double precision CHECK (threshold > 0),
	alert_share double precision NOT NULL CHECK (alert_share > 0 AND alert_share <= 1),
	schedule_ms bigint CHECK (schedule_ms > 0),
	rollback boolean NOT NULL DEFAULT false,
	next_run_at bigint,
	created_at bigint NOT NULL,
	created_by text NOT NULL,
	CHECK ((time_column IS NULL) = (window_ms IS NULL)),
	CHECK (NOT rollback OR alias IS NOT NULL)
);
CREATE INDEX monitors_model ON monitors (model_name);
CREATE INDEX monitors_due ON monitors (next_run_at) WHERE schedule_ms IS NOT NULL;

CREATE TABLE monitor_evaluations (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	monitor_id uuid NOT NULL REFERENCES monitors ON DELETE CASCADE,
	run_id text,
	trigger text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
	window_start bigint,
	window_end bigint,
	model_version integer,
	alerted boolean NOT NULL,
	share double precision NOT NULL,
	drifted_columns integer NOT NULL,
	tested_columns integer NOT NULL,
	-- what rollback did, when the rule is on and the evaluation alerted
	rollback jsonb,
	report jsonb NOT NULL,
	evaluated_at bigint NOT NULL
);
CREATE INDEX monitor_evaluations_monitor ON monitor_evaluations (monitor_id, id);
`
};
