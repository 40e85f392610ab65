import type { Migration } from './migration';

/** Serving: each registered model's routing rule (canary split, shadow alias), as JSON. */
export const migration: Migration = {
	version: 8,
	name: 'serving',
	sql: `
CREATE TABLE serving_routes (
	name text PRIMARY KEY,
	rule jsonb NOT NULL,
	updated_by text NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now()
);
`
};
