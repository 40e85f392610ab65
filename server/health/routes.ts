import { Hono } from 'hono';
import { storeProbe } from './probe';
import type { Store } from '#server/store/index.ts';

/** GET /health: the version and which store answers; 503 when the store does not. */
export function healthRoutes({ store, version }: { store: Store; version: string }): Hono {
	const probe = storeProbe(store);
	return new Hono().get('/', async (c) => {
		try {
			await probe();
			return c.json({ status: 'ok', version, store: store.kind });
		} catch (error) {
			return c.json({ status: 'error', version, store: store.kind, message: `store unavailable: ${(error as Error).message}` }, 503);
		}
	});
}
