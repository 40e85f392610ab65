import type { Migration } from './migration';

/**
 * Monitors over a dataset view: the current data may be a name a view makes on each evaluation
 * (the prediction log `predictions/<model>`, newest rows every time) instead of a pinned dataset
 * id, optionally only the log rows of some routes (the canary's).
 */
export const migration: Migration = {
	version: 10,
	name: 'monitor_views',
	sql: `
ALTER TABLE monitors ALTER COLUMN current_dataset_id DROP NOT NULL;
ALTER TABLE monitors ADD COLUMN current_dataset_name text;
ALTER TABLE monitors ADD COLUMN current_routes jsonb;
ALTER TABLE monitors ADD CONSTRAINT monitors_one_current CHECK ((current_dataset_id IS NULL) <> (current_dataset_name IS NULL));
`
};
