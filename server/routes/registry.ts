import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { aliasHistory, rollbackAlias } from '#server/registry/aliases.ts';
import { addLineage, getLineage } from '#server/registry/lineage.ts';
import type { Store } from '#server/store/index.ts';
import { validate, validBody } from '#server/validate.ts';

const modelName = z.string().min(1, 'must not be empty').max(500);
const aliasName = z.string().regex(/^[\w-]{1,255}$/, 'expected an alias name (letters, digits, _ and -)');
const rollbackBody = z.object({ reason: z.string().max(2000).optional() });
const versionNumber = z.string().regex(/^[1-9]\d{0,8}$/, 'expected a version number');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256 (64 lower-case hex digits)');
// Reports' summaries are shown, not queried: 64 KB of JSON each is plenty.
const summary = z
	.record(z.string(), z.unknown())
	.refine((value) => JSON.stringify(value).length <= 65_536, 'must be at most 64 KB of JSON');
const lineageBody = z
	.object({
		dataset: z
			.object({
				sha256,
				name: z.string().trim().min(1).max(200).optional(),
				rows: z.number().int().nonnegative().optional(),
				dataset_id: z.uuid('expected a dataset id (a uuid)').optional()
			})
			.optional(),
		reports: z
			.array(
				z.object({
					kind: z.enum(['drift', 'ab', 'champion']),
					run_id: z.string().regex(/^[0-9a-f]{32}$/, 'expected a run id (32 hex digits)').optional(),
					artifact_path: z.string().min(1).max(1000).optional(),
					summary
				})
			)
			.max(50)
			.optional()
	})
	.refine((b) => b.dataset !== undefined || (b.reports?.length ?? 0) > 0, 'give a dataset or at least one report');

/** driftbook's own API over the MLflow model registry: lineage, alias history and rollback. */
export function registryRoutes({ store }: { store: Store }): Hono {
	const params = (c: Context) => ({
		name: validate(modelName, c.req.param('name'), 'model name'),
		alias: validate(aliasName, c.req.param('alias'), 'alias')
	});
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
			const input = await validBody(c, lineageBody, 'lineage');
			return c.json(await addLineage(store, name, v, input));
		})
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
