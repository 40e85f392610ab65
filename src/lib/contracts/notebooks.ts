/** Notebooks (/api/notebooks) on the wire; timestamps are ISO 8601 strings. */
import { z } from 'zod';

/** A notebook as the list shows it; timestamps are ISO 8601 strings. */
export interface NotebookSummary {
	id: string;
	slug: string;
	title: string;
	version: number;
	updated_at: string;
	bundled: boolean;
}

export interface Notebook extends NotebookSummary {
	/** The `*.driftbook.md` text. */
	source: string;
	created_at: string;
}

/** One entry of a notebook's history (newest first in the list). */
export interface NotebookVersionSummary {
	version: number;
	title: string;
	/** Token name in team mode, 'local' otherwise, 'seed' for bundled text. */
	author: string;
	created_at: string;
}

export interface NotebookVersion extends NotebookVersionSummary {
	notebook_id: string;
	source: string;
}

/** Where a notebook is now, answered with a 409 `conflict` when a save was based on an older version. */
export interface NotebookConflictState {
	version: number;
	source: string;
	updated_at: string;
}

// 5 MB of notebook text is far beyond any real notebook; the limit keeps a bad client from filling the store.
const source = z.string().max(5_000_000, 'notebook text is larger than 5 MB');

/** The body of POST /api/notebooks. */
export const createNotebookSchema = z.object({ title: z.string().max(500).optional(), source });

/** The body of PUT /api/notebooks/:idOrSlug (the version saved over, for optimistic concurrency). */
export const updateNotebookSchema = z.object({ source, version: z.number().int().positive() });
