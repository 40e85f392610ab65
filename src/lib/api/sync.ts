/**
 * POST /api/sync/runs: a whole run (params, metrics, tags, text artifacts) in one request and
 * one server transaction, keyed by an idempotency key: a replay answers the first run again
 * (`replayed: true`) instead of logging a second one.
 */
import { apiRequest, type Fetch } from './http';
import type { RunStatus } from './tracking';

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
	status?: Extract<RunStatus, 'FINISHED' | 'FAILED'>;
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

/** The key travels in the body, where the server checks it inside the run's own transaction. */
export async function syncRun(fetch: Fetch, input: SyncRunInput, signal?: AbortSignal): Promise<SyncRunResult> {
	return apiRequest<SyncRunResult>(fetch, '/api/sync/runs', { body: input, signal });
}
