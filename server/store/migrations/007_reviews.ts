import type { Migration } from './migration';

/**
 * Reviews of notebooks: share links whose token (stored as its sha256, like API tokens) lets
 * its holder read one notebook, or read and comment on it; and comments on a notebook's cells.
 */
export const migration: Migration = {
	version: 7,
	name: 'reviews',
	sql: `
CREATE TABLE review_links (
	id text PRIMARY KEY,
	notebook_id uuid NOT NULL REFERENCES notebooks ON DELETE CASCADE,
	role text NOT NULL CHECK (role IN ('read', 'comment')),
	token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
	label text,
	created_by text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	last_used_at timestamptz
);
CREATE INDEX review_links_notebook ON review_links (notebook_id, created_at);

CREATE TABLE notebook_comments (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	notebook_id uuid NOT NULL REFERENCES notebooks ON DELETE CASCADE,
	-- the cell's name; kept when the cell is renamed or removed later
	cell text NOT NULL,
	body text NOT NULL,
	author text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	resolved boolean NOT NULL DEFAULT false,
	resolved_by text,
	resolved_at timestamptz
);
CREATE INDEX notebook_comments_notebook ON notebook_comments (notebook_id, created_at);
`
};
