import type { Migration } from './migration';

/**
 * Team features: notebook version history (and whether a user edited a bundled notebook, so
 * seeding leaves it alone), the history of MLflow registry alias moves, and API tokens.
 */
export const migration: Migration = {
	version: 3,
	name: 'team',
	sql: `
-- set on the first save through the API: seeding never overwrites an edited notebook
ALTER TABLE notebooks ADD COLUMN edited boolean NOT NULL DEFAULT false;

-- every saved text of every notebook; notebooks.version is the newest one here
CREATE TABLE notebook_versions (
	notebook_id uuid NOT NULL REFERENCES notebooks ON DELETE CASCADE,
	version integer NOT NULL,
	title text NOT NULL,
	source text NOT NULL,
	-- token name, or 'local' without team mode, or 'seed'
	author text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (notebook_id, version)
);
INSERT INTO notebook_versions (notebook_id, version, title, source, author, created_at)
SELECT id, version, title, source, CASE WHEN bundled THEN 'seed' ELSE 'local' END, updated_at FROM notebooks;

-- every move of a registered model alias (set, moved, deleted, rolled back); null version = absent
CREATE TABLE registry_alias_events (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL REFERENCES mlflow_registered_models ON UPDATE CASCADE ON DELETE CASCADE,
	alias text NOT NULL,
	from_version integer,
	to_version integer,
	actor text NOT NULL,
	reason text,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX registry_alias_events_alias ON registry_alias_events (name, alias, id DESC);

-- API tokens for team mode: only the sha256 of the token is kept
CREATE TABLE api_tokens (
	id text PRIMARY KEY,
	name text NOT NULL,
	role text NOT NULL CHECK (role IN ('read', 'write', 'admin')),
	token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
	created_at timestamptz NOT NULL DEFAULT now(),
	last_used_at timestamptz,
	revoked_at timestamptz
);
`
};
