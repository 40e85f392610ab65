import type { Queryable, Store, Transaction } from '#server/store/index.ts';
import { ApiError } from '#server/http/errors.ts';
import { parseNotebook } from '#lib/notebook/format.ts';
import type { Notebook, NotebookConflictState, NotebookSummary, NotebookVersion, NotebookVersionSummary } from '#lib/contracts/notebooks.ts';

type Row<T> = Omit<T, 'created_at' | 'updated_at'> & { created_at: Date; updated_at: Date };

const COLUMNS = 'id, slug, title, source, version, created_at, updated_at, bundled';

const toNotebook = (row: Row<Notebook>): Notebook => ({
	id: row.id,
	slug: row.slug,
	title: row.title,
	source: row.source,
	version: row.version,
	created_at: row.created_at.toISOString(),
	updated_at: row.updated_at.toISOString(),
	bundled: row.bundled
});

export async function listNotebooks(db: Queryable): Promise<NotebookSummary[]> {
	const rows = await db.query<Omit<Row<NotebookSummary>, 'created_at'>>(
		`SELECT id, slug, title, version, updated_at, bundled FROM notebooks ORDER BY updated_at DESC, slug`
	);
	return rows.map((r) => ({ ...r, updated_at: r.updated_at.toISOString() }));
}

/** By id or slug; an id match wins should a slug ever look like another notebook's id. */
export async function findNotebook(db: Queryable, idOrSlug: string, lock = false): Promise<Notebook | undefined> {
	const [row] = await db.query<Row<Notebook>>(
		`SELECT ${COLUMNS} FROM notebooks
		 WHERE id::text = $1 OR slug = $1 ORDER BY (id::text = $1) DESC LIMIT 1${lock ? ' FOR UPDATE' : ''}`,
		[idOrSlug]
	);
	return row && toNotebook(row);
}

async function mustFind(db: Queryable, idOrSlug: string, lock = false): Promise<Notebook> {
	const notebook = await findNotebook(db, idOrSlug, lock);
	if (!notebook) throw new ApiError(404, 'not_found', `notebook ${idOrSlug} not found`);
	return notebook;
}

/** The notebook's title per its text; a 400 naming the line when the text is not a notebook. */
export function checkSource(source: string): { title: string } {
	try {
		return { title: parseNotebook(source).title };
	} catch (error) {
		// NotebookFormatError's message starts with "line N: …".
		throw new ApiError(400, 'invalid_notebook', `invalid notebook text: ${(error as Error).message}`);
	}
}

function slugify(text: string): string {
	const slug = text
		.normalize('NFKD')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60)
		.replace(/-+$/, '');
	return slug || 'notebook';
}

export async function recordVersion(tx: Queryable, notebook: { id: string; version: number; title: string; source: string }, author: string): Promise<void> {
	await tx.query(
		`INSERT INTO notebook_versions (notebook_id, version, title, source, author) VALUES ($1, $2, $3, $4, $5)
		 ON CONFLICT (notebook_id, version) DO UPDATE SET title = EXCLUDED.title, source = EXCLUDED.source, author = EXCLUDED.author, created_at = now()`,
		[notebook.id, notebook.version, notebook.title, notebook.source, author]
	);
}

export async function createNotebook(store: Store, input: { title?: string; source: string }, author: string): Promise<Notebook> {
	const parsed = checkSource(input.source);
	const title = input.title?.trim() || parsed.title;
	return store.transaction(async (tx) => {
		const base = slugify(title);
		const taken = new Set(
			(await tx.query<{ slug: string }>(`SELECT slug FROM notebooks WHERE slug = $1 OR slug LIKE $2`, [base, `${base}-%`])).map((r) => r.slug)
		);
		let slug = base;
		for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
		const [row] = await tx.query<Row<Notebook>>(
			`INSERT INTO notebooks (slug, title, source, edited) VALUES ($1, $2, $3, true) RETURNING ${COLUMNS}`,
			[slug, title, input.source]
		);
		const notebook = toNotebook(row);
		await recordVersion(tx, notebook, author);
		return notebook;
	});
}

/** A save that lost the race: the client's version is not the newest. */
export class NotebookConflict extends Error {
	constructor(readonly current: NotebookConflictState) {
		super(`notebook changed since the version you edited: it is at version ${current.version}`);
		this.name = 'NotebookConflict';
	}
}

async function save(tx: Transaction, current: Notebook, source: string, author: string): Promise<Notebook> {
	const { title } = checkSource(source);
	const [row] = await tx.query<Row<Notebook>>(
		`UPDATE notebooks SET title = $2, source = $3, version = version + 1, updated_at = now(), edited = true
		 WHERE id = $1 RETURNING ${COLUMNS}`,
		[current.id, title, source]
	);
	const notebook = toNotebook(row);
	await recordVersion(tx, notebook, author);
	return notebook;
}

/** Saves new text if `version` is still the newest; otherwise throws NotebookConflict. */
export async function updateNotebook(store: Store, idOrSlug: string, input: { source: string; version: number }, author: string): Promise<Notebook> {
	checkSource(input.source); // before the transaction: bad text never takes a lock
	return store.transaction(async (tx) => {
		const current = await mustFind(tx, idOrSlug, true);
		if (current.version !== input.version) {
			throw new NotebookConflict({ version: current.version, source: current.source, updated_at: current.updated_at });
		}
		return save(tx, current, input.source, author);
	});
}

export async function deleteNotebook(store: Store, idOrSlug: string): Promise<{ id: string; slug: string }> {
	return store.transaction(async (tx) => {
		const current = await mustFind(tx, idOrSlug, true);
		await tx.query(`DELETE FROM notebooks WHERE id = $1`, [current.id]);
		return { id: current.id, slug: current.slug };
	});
}

export async function listVersions(db: Queryable, idOrSlug: string): Promise<NotebookVersionSummary[]> {
	const notebook = await mustFind(db, idOrSlug);
	const rows = await db.query<{ version: number; title: string; author: string; created_at: Date }>(
		`SELECT version, title, author, created_at FROM notebook_versions WHERE notebook_id = $1 ORDER BY version DESC`,
		[notebook.id]
	);
	return rows.map((r) => ({ version: r.version, title: r.title, author: r.author, created_at: r.created_at.toISOString() }));
}

export async function getVersion(db: Queryable, idOrSlug: string, version: number): Promise<NotebookVersion> {
	const notebook = await mustFind(db, idOrSlug);
	const [row] = await db.query<{ version: number; title: string; source: string; author: string; created_at: Date }>(
		`SELECT version, title, source, author, created_at FROM notebook_versions WHERE notebook_id = $1 AND version = $2`,
		[notebook.id, version]
	);
	if (!row) throw new ApiError(404, 'not_found', `notebook ${idOrSlug} has no version ${version}`);
	return { notebook_id: notebook.id, ...row, created_at: row.created_at.toISOString() };
}

/** Makes an old version's text the newest version (history is kept, never rewritten). */
export async function restoreVersion(store: Store, idOrSlug: string, version: number, author: string): Promise<Notebook> {
	return store.transaction(async (tx) => {
		const current = await mustFind(tx, idOrSlug, true);
		const [old] = await tx.query<{ source: string }>(`SELECT source FROM notebook_versions WHERE notebook_id = $1 AND version = $2`, [current.id, version]);
		if (!old) throw new ApiError(404, 'not_found', `notebook ${idOrSlug} has no version ${version}`);
		return save(tx, current, old.source, author);
	});
}
