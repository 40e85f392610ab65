/**
 * POST /api/sync/runs: a whole run (params, metrics, tags, text artifacts) in one request,
 * keyed by an idempotency key.
 */
import { z } from 'zod';

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

const millis = z.number().int().nonnegative().max(8.64e15);
/** A metric value: a number, or protobuf JSON's "NaN", "Infinity", "-Infinity" (bare tokens arrive as these). */
const metricValue = z.union([
	z.number(),
	z.enum(['NaN', 'Infinity', '-Infinity']).transform((v) => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : -Infinity))
]);
const key = z.string().min(1, 'must not be empty').max(250);

/** The body of POST /api/sync/runs, as the server validates it (a SyncRunInput). */
export const syncRunInputSchema = z.object({
	idempotency_key: z.string().regex(/^[\x21-\x7e]{8,255}$/, 'expected 8 to 255 printable ASCII characters (a uuid is ideal)'),
	experiment_name: z.string().trim().min(1, 'must not be empty').max(500),
	run_name: z.string().max(500).optional(),
	start_time: millis.optional(),
	end_time: millis.optional(),
	status: z.enum(['FINISHED', 'FAILED']).optional(),
	params: z.record(key, z.string().max(6000)).optional(),
	metrics: z
		.array(z.object({ key, value: metricValue, step: z.number().int().optional(), timestamp: millis.optional() }))
		.max(100_000)
		.optional(),
	tags: z.record(key, z.string().max(8000)).optional(),
	artifacts: z
		.array(z.object({ path: z.string().min(1).max(1000), content: z.string().max(5_000_000), content_type: z.string().max(200).optional() }))
		.max(100)
		.optional()
});
