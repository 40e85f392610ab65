import type { Migration } from './migration';

/**
 * Uploaded datasets (CSV, TSV, Parquet, Arrow, JSON, NDJSON) the browser loads into DuckDB.
 * The bytes live content-addressed beside the MLflow artifacts (server/blobs/content-addressed.ts); each upload
 * under a name is a new version of it.
 */
export const migration: Migration = {
	version: 4,
	name: 'datasets',
	sql: `
CREATE TABLE datasets (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	name text NOT NULL,
	version integer NOT NULL CHECK (version > 0),
	format text NOT NULL CHECK (format IN ('csv', 'tsv', 'parquet', 'arrow', 'json', 'ndjson')),
	size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
	sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	created_at timestamptz NOT NULL DEFAULT now(),
	-- token name, or 'local' without team mode
	created_by text NOT NULL,
	UNIQUE (name, version)
);
CREATE INDEX datasets_sha256 ON datasets (sha256);
`
};
