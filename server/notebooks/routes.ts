import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { currentActor } from '#server/auth/principal.ts';
import { notFound } from '#server/http/errors.ts';
import {
	createNotebook,
	deleteNotebook,
	findNotebook,
	getVersion,
	listNotebooks,
	listVersions,
	NotebookConflict,
	restoreVersion,
	updateNotebook
} from './service';
import type { Store } from '#server/store/index.ts';
import { validate, validBody } from '#server/http/validate.ts';
import { createNotebookSchema, updateNotebookSchema } from '#lib/contracts/notebooks.ts';

// Ids are uuids and slugs are file names: both fit here, and nothing else reaches SQL.
export const notebookKey = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, 'expected a notebook id or slug');
const versionNumber = z.string().regex(/^[1-9]\d{0,8}$/, 'expected a version number').transform(Number);
/** /notebooks: list, read, create, save (optimistic concurrency), delete, and version history. */
export function notebookRoutes({ store }: { store: Store }): Hono {
	const key = (c: Context) => validate(notebookKey, c.req.param('idOrSlug'), 'notebook id or slug');
	const version = (c: Context) => validate(versionNumber, c.req.param('version'), 'version');
	return new Hono()
		.get('/', async (c) => c.json({ notebooks: await listNotebooks(store) }))
		.post('/', async (c) => {
			const input = await validBody(c, createNotebookSchema, 'notebook');
			return c.json({ notebook: await createNotebook(store, input, currentActor()) }, 201);
		})
		.get('/:idOrSlug', async (c) => {
			const k = key(c);
			const notebook = await findNotebook(store, k);
			if (!notebook) throw notFound(`notebook ${k} not found`);
			return c.json({ notebook });
		})
		.put('/:idOrSlug', async (c) => {
			const k = key(c);
			const input = await validBody(c, updateNotebookSchema, 'notebook update');
			try {
				return c.json({ notebook: await updateNotebook(store, k, input, currentActor()) });
			} catch (error) {
				if (!(error instanceof NotebookConflict)) throw error;
				return c.json({ error: { code: 'conflict', message: error.message, current: error.current } }, 409);
			}
		})
		.delete('/:idOrSlug', async (c) => c.json({ deleted: await deleteNotebook(store, key(c)) }))
		.get('/:idOrSlug/versions', async (c) => c.json({ versions: await listVersions(store, key(c)) }))
		.get('/:idOrSlug/versions/:version', async (c) => c.json({ version: await getVersion(store, key(c), version(c)) }))
		.post('/:idOrSlug/versions/:version/restore', async (c) =>
			c.json({ notebook: await restoreVersion(store, key(c), version(c), currentActor()) })
		);
}
