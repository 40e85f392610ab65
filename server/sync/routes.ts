import { Hono } from 'hono';
import type { Store } from '#server/store/index.ts';
import { syncRun } from './service';
import { validBody } from '#server/http/validate.ts';
import { syncRunInputSchema } from '#lib/contracts/sync.ts';

/** /sync: the browser's exactly-once pushes. */
export function syncRoutes({ store, artifactRoot }: { store: Store; artifactRoot: string }): Hono {
	return new Hono().post('/runs', async (c) => {
		const input = await validBody(c, syncRunInputSchema, 'sync run');
		const result = await syncRun(store, artifactRoot, input);
		return c.json(result, result.replayed ? 200 : 201);
	});
}
