import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { aliasHistory, rollbackAlias } from '../registry/aliases';
import type { Store } from '../store';
import { validate, validBody } from '../validate';

const modelName = z.string().min(1, 'must not be empty').max(500);
const aliasName = z.string().regex(/^[\w-]{1,255}$/, 'expected an alias name (letters, digits, _ and -)');
const rollbackBody = z.object({ reason: z.string().max(2000).optional() });

/** driftbook's own API over the MLflow model registry: alias history and rollback. */
export function registryRoutes({ store }: { store: Store }): Hono {
	const params = (c: Context) => ({
		name: validate(modelName, c.req.param('name'), 'model name'),
		alias: validate(aliasName, c.req.param('alias'), 'alias')
	});
	return new Hono()
		.get('/models/:name/aliases/:alias/history', async (c) => {
			const { name, alias } = params(c);
			return c.json({ name, alias, history: await aliasHistory(store, name, alias) });
		})
		.post('/models/:name/aliases/:alias/rollback', async (c) => {
			const { name, alias } = params(c);
			const { reason } = await validBody(c, rollbackBody, 'rollback request', {});
			const { event, version } = await rollbackAlias(store, name, alias, reason);
			return c.json({ name, alias, version, event });
		});
}
