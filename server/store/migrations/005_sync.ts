import type { Migration } from './migration';

/**
 * Exactly-once writes. sync_runs: each run the browser pushes is created in the same
 * transaction as its idempotency key, so a replay finds the run and never makes a second.
 * idempotent_requests: the stored answer to any API write sent with an Idempotency-Key header
 * (status NULL while the first request with that key is still running).
 */
export const migration: Migration = {
	version: 5,
	name: 'sync',
	sql: `
CREATE TABLE sync_runs (
	idempotency_key text PRIMARY KEY,
	run_id text NOT NULL REFERENCES mlflow_runs ON DELETE CASCADE,
	experiment_id bigint NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE idempotent_requests (
	-- the principal that sent it (token id, or 'local'): one client's keys never answer another's
	scope text NOT NULL,
	key text NOT NULL,
	method text NOT NULL,
	path text NOT NULL,
	status integer,
	content_type text,
	body text,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (scope, key)
);
CREATE INDEX idempotent_requests_created ON idempotent_requests (created_at);
`
};
