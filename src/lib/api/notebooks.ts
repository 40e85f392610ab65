/**
 * The notebooks part of driftbook's API, as the browser sees it: wire types (the server's
 * routes answer with exactly these) and a typed client.
 */

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

export class ApiRequestError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
		this.name = 'ApiRequestError';
	}
}

async function getJson<T>(fetch: typeof globalThis.fetch, path: string): Promise<T> {
	const response = await fetch(path);
	if (!response.ok) {
		const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
		throw new ApiRequestError(response.status, body?.error?.message ?? `${path}: HTTP ${response.status}`);
	}
	return (await response.json()) as T;
}

export async function listNotebooks(fetch: typeof globalThis.fetch): Promise<NotebookSummary[]> {
	return (await getJson<{ notebooks: NotebookSummary[] }>(fetch, '/api/notebooks')).notebooks;
}

export async function getNotebook(fetch: typeof globalThis.fetch, idOrSlug: string): Promise<Notebook> {
	return (await getJson<{ notebook: Notebook }>(fetch, `/api/notebooks/${encodeURIComponent(idOrSlug)}`)).notebook;
}
