import { Hono } from 'hono';
import type { Store } from '#server/store/index.ts';

/** GET /health: the version and which store answers; 503 when the store does not. */
export function healthRoutes({ store, version }: { store: Store; version: string }): Hono {
	return new Hono().get('/', async (c) => {
		try {
			await store.query('SELECT 1');
			return c.json({ status: 'ok', version, store: store.kind });
		} catch (error) {
			return c.json({ status: 'error', version, store: store.kind, message: `store unavailable: ${(error as Error).message}` }, 503);
		}
	});
}
