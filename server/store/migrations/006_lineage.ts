import type { Migration } from './migration';

/**
 * Lineage of registered model versions: the datasets (by content hash) a version was trained or
 * evaluated on, and the drift / A/B / champion reports that judged it. The run, experiment and
 * MLflow dataset inputs come from the registry and tracking tables themselves.
 */
export const migration: Migration = {
	version: 6,
	name: 'lineage',
	sql: `
CREATE TABLE model_version_datasets (
	name text NOT NULL,
	version integer NOT NULL,
	sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	dataset_name text,
	rows bigint CHECK (rows >= 0),
	-- the uploaded dataset holding these bytes, when there is one (kept if it is deleted later)
	dataset_id uuid,
	created_at timestamptz NOT NULL DEFAULT now(),
	created_by text NOT NULL,
	PRIMARY KEY (name, version, sha256),
	FOREIGN KEY (name, version) REFERENCES mlflow_model_versions ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX model_version_datasets_sha256 ON model_version_datasets (sha256);

CREATE TABLE model_version_reports (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL,
	version integer NOT NULL,
	kind text NOT NULL CHECK (kind IN ('drift', 'ab', 'champion')),
	run_id text,
	artifact_path text,
	summary jsonb NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	created_by text NOT NULL,
	FOREIGN KEY (name, version) REFERENCES mlflow_model_versions ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX model_version_reports_version ON model_version_reports (name, version, id);
`
};
