/** Notebooks (/api/notebooks) on the wire; timestamps are ISO 8601 strings. */

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
