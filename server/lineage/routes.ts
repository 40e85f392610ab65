import { Hono, type Context } from 'hono';
import { lineageInputSchema } from '#lib/contracts/lineage.ts';
import { addLineage, getLineage } from './service';
import { modelName, versionNumber } from '#server/model-registry/path-params.ts';
import type { Store } from '#server/store/index.ts';
import { validate, validBody } from '#server/http/validate.ts';

/** A registered model version's lineage: read it, or link datasets and reports to it. */
export function lineageRoutes({ store }: { store: Store }): Hono {
	const version = (c: Context) => ({
		name: validate(modelName, c.req.param('name'), 'model name'),
		version: validate(versionNumber, c.req.param('version'), 'version')
	});
	return new Hono()
		.get('/models/:name/versions/:version/lineage', async (c) => {
			const { name, version: v } = version(c);
			return c.json(await getLineage(store, name, v));
		})
		.put('/models/:name/versions/:version/lineage', async (c) => {
			const { name, version: v } = version(c);
			const input = await validBody(c, lineageInputSchema, 'lineage');
			return c.json(await addLineage(store, name, v, input));
		});
}
