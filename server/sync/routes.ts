import { Hono } from 'hono';
import { z } from 'zod';
import type { Store } from '#server/store/index.ts';
import { syncRun } from './service.ts';
import { validBody } from '#server/http/validate.ts';

const millis = z.number().int().nonnegative().max(8.64e15);
/** A metric value: a number, or protobuf JSON's "NaN", "Infinity", "-Infinity" (bare tokens arrive as these). */
const metricValue = z.union([
	z.number(),
	z.enum(['NaN', 'Infinity', '-Infinity']).transform((v) => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : -Infinity))
]);
const key = z.string().min(1, 'must not be empty').max(250);

const syncRunBody = z.object({
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

/** /sync: the browser's exactly-once pushes. */
export function syncRoutes({ store, artifactRoot }: { store: Store; artifactRoot: string }): Hono {
	return new Hono().post('/runs', async (c) => {
		const input = await validBody(c, syncRunBody, 'sync run');
		const result = await syncRun(store, artifactRoot, input);
		return c.json(result, result.replayed ? 200 : 201);
	});
}
