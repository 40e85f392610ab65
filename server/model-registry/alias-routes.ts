import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { aliasHistory, rollbackAlias } from './alias-history';
import { aliasName, modelName } from './path-params';
import type { Store } from '#server/store/index.ts';
import { validate, validBody } from '#server/http/validate.ts';

const rollbackBody = z.object({ reason: z.string().max(2000).optional() });

/** driftbook's own API over the MLflow model registry: an alias's history and its rollback. */
export function aliasRoutes({ store }: { store: Store }): Hono {
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
