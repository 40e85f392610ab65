import type { Migration } from './migration';

/**
 * Monitors of three kinds (univariate drift, estimated performance by CBPE, multivariate drift by
 * PCA reconstruction) and a reference that may be the training run's dataset, found at each
 * evaluation instead of pinned. Every evaluation keeps the one number its kind watches and the
 * thresholds it was judged against (for drift: the share of columns drifted and the alert share),
 * so one chart reads them all; the drift-only counts become null for the other kinds.
 */
export const migration: Migration = {
	version: 11,
	name: 'monitor_kinds',
	sql: `
ALTER TABLE monitors ADD COLUMN kind text NOT NULL DEFAULT 'drift' CHECK (kind IN ('drift', 'performance', 'multivariate'));
-- kind performance: the columns CBPE reads and the metric watched ({probability, prediction?, cutoff?, target, metric})
ALTER TABLE monitors ADD COLUMN performance jsonb;
ALTER TABLE monitors ADD CONSTRAINT monitors_performance CHECK ((kind = 'performance') = (performance IS NOT NULL));
ALTER TABLE monitors ALTER COLUMN reference_dataset_id DROP NOT NULL;
ALTER TABLE monitors ADD COLUMN reference_training_run boolean NOT NULL DEFAULT false;
ALTER TABLE monitors ADD CONSTRAINT monitors_one_reference CHECK ((reference_dataset_id IS NULL) = reference_training_run);

ALTER TABLE monitor_evaluations ADD COLUMN kind text NOT NULL DEFAULT 'drift' CHECK (kind IN ('drift', 'performance', 'multivariate'));
ALTER TABLE monitor_evaluations ADD COLUMN value double precision;
-- the reference it was judged against (a training run's dataset is found anew at each evaluation); null before 11
ALTER TABLE monitor_evaluations ADD COLUMN reference_dataset_id uuid;
ALTER TABLE monitor_evaluations ADD COLUMN upper_threshold double precision;
ALTER TABLE monitor_evaluations ADD COLUMN lower_threshold double precision;
UPDATE monitor_evaluations e SET value = e.share, upper_threshold = m.alert_share, report = e.report || '{"kind": "drift"}'::jsonb
  FROM monitors m WHERE m.id = e.monitor_id;
ALTER TABLE monitor_evaluations ALTER COLUMN value SET NOT NULL;
ALTER TABLE monitor_evaluations ALTER COLUMN share DROP NOT NULL;
ALTER TABLE monitor_evaluations ALTER COLUMN drifted_columns DROP NOT NULL;
ALTER TABLE monitor_evaluations ALTER COLUMN tested_columns DROP NOT NULL;
`
};
