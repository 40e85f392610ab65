/**
 * POST /api/sync/runs: a whole run (params, metrics, tags, text artifacts) in one request,
 * keyed by an idempotency key.
 */

export interface SyncMetric {
	key: string;
	value: number;
	step?: number;
	timestamp?: number;
}

export interface SyncArtifact {
	/** Relative to the run's artifact root, e.g. `reports/drift.json`. */
	path: string;
	/** UTF-8 text. */
	content: string;
	content_type?: string;
}

export interface SyncRunInput {
	idempotency_key: string;
	experiment_name: string;
	run_name?: string;
	start_time?: number;
	end_time?: number;
	status?: 'FINISHED' | 'FAILED';
	params?: Record<string, string>;
	metrics?: SyncMetric[];
	tags?: Record<string, string>;
	artifacts?: SyncArtifact[];
}

export interface SyncRunResult {
	run_id: string;
	experiment_id: string;
	/** True when the key had been seen: nothing new was written. */
	replayed: boolean;
}
