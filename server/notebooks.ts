import type { Queryable } from './store';
import type { Notebook, NotebookSummary } from '../src/lib/api/notebooks';

export type { Notebook, NotebookSummary };

type Row<T> = Omit<T, 'created_at' | 'updated_at'> & { created_at: Date; updated_at: Date };

export async function listNotebooks(db: Queryable): Promise<NotebookSummary[]> {
	const rows = await db.query<Omit<Row<NotebookSummary>, 'created_at'>>(
		`SELECT id, slug, title, version, updated_at, bundled FROM notebooks ORDER BY updated_at DESC, slug`
	);
	return rows.map((r) => ({ ...r, updated_at: r.updated_at.toISOString() }));
}

/** By id or slug; an id match wins should a slug ever look like another notebook's id. */
export async function findNotebook(db: Queryable, idOrSlug: string): Promise<Notebook | undefined> {
	const [row] = await db.query<Row<Notebook>>(
		`SELECT id, slug, title, source, version, created_at, updated_at, bundled FROM notebooks
		 WHERE id::text = $1 OR slug = $1 ORDER BY (id::text = $1) DESC LIMIT 1`,
		[idOrSlug]
	);
	return row && { ...row, created_at: row.created_at.toISOString(), updated_at: row.updated_at.toISOString() };
}
