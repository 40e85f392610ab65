import type { Migration } from './migration';

export const migration: Migration = {
	version: 1,
	name: 'init',
	sql: `
CREATE TABLE notebooks (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	slug text NOT NULL UNIQUE,
	title text NOT NULL,
	-- the whole *.driftbook.md text: the file format is the storage format
	source text NOT NULL,
	-- bumped on every change of source, so clients can detect concurrent edits
	version integer NOT NULL DEFAULT 1,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	-- shipped in notebooks/ and seeded at start-up
	bundled boolean NOT NULL DEFAULT false
);
`
};
