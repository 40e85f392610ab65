/**
 * POST /api/sync/runs: a whole run (params, metrics, tags, text artifacts) in one request and
 * one server transaction, keyed by an idempotency key: a replay answers the first run again
 * (`replayed: true`) instead of logging a second one.
 */
import { apiRequest, type Fetch } from './http';
import type { SyncArtifact, SyncMetric, SyncRunInput, SyncRunResult } from '#lib/contracts/sync.ts';

// The wire types (src/lib/contracts), for this client's callers.
export type { SyncArtifact, SyncMetric, SyncRunInput, SyncRunResult };

/** The key travels in the body, where the server checks it inside the run's own transaction. */
export async function syncRun(fetch: Fetch, input: SyncRunInput, signal?: AbortSignal): Promise<SyncRunResult> {
	return apiRequest<SyncRunResult>(fetch, '/api/sync/runs', { body: input, signal });
}
