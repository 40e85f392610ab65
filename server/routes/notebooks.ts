import { Hono } from 'hono';
import { z } from 'zod';
import { notFound } from '../errors';
import { findNotebook, listNotebooks } from '../notebooks';
import type { Store } from '../store';
import { validate } from '../validate';

// Ids are uuids and slugs are file names: both fit here, and nothing else reaches SQL.
const idOrSlug = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, 'expected a notebook id or slug');

/** GET /notebooks and GET /notebooks/:idOrSlug. */
export function notebookRoutes({ store }: { store: Store }): Hono {
	return new Hono()
		.get('/', async (c) => c.json({ notebooks: await listNotebooks(store) }))
		.get('/:idOrSlug', async (c) => {
			const key = validate(idOrSlug, c.req.param('idOrSlug'), 'notebook id or slug');
			const notebook = await findNotebook(store, key);
			if (!notebook) throw notFound(`notebook ${key} not found`);
			return c.json({ notebook });
		});
}
