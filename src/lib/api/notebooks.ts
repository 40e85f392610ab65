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

/** The newest saved state, sent with a 409 when a save was based on an older version. */
export interface NotebookConflictState {
	version: number;
	source: string;
	updated_at: string;
}

/** Error answers: `{"error":{"code","message"}}`; a conflict adds `current`. */
export interface ApiErrorBody {
	error: { code: string; message: string; current?: NotebookConflictState };
}

export class ApiRequestError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly code?: string,
		/** Set on a 409 conflict: what is saved now. */
		readonly current?: NotebookConflictState
	) {
		super(message);
		this.name = 'ApiRequestError';
	}
}

async function requestJson<T>(fetch: typeof globalThis.fetch, path: string, init?: { method: string; body?: unknown }): Promise<T> {
	const response = await fetch(
		path,
		init && {
			method: init.method,
			...(init.body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) })
		}
	);
	if (!response.ok) {
		const body = (await response.json().catch(() => undefined)) as Partial<ApiErrorBody> | undefined;
		throw new ApiRequestError(response.status, body?.error?.message ?? `${path}: HTTP ${response.status}`, body?.error?.code, body?.error?.current);
	}
	return (await response.json()) as T;
}

const getJson = <T>(fetch: typeof globalThis.fetch, path: string): Promise<T> => requestJson<T>(fetch, path);
const notebookPath = (idOrSlug: string) => `/api/notebooks/${encodeURIComponent(idOrSlug)}`;

export async function listNotebooks(fetch: typeof globalThis.fetch): Promise<NotebookSummary[]> {
	return (await getJson<{ notebooks: NotebookSummary[] }>(fetch, '/api/notebooks')).notebooks;
}

export async function getNotebook(fetch: typeof globalThis.fetch, idOrSlug: string): Promise<Notebook> {
	return (await getJson<{ notebook: Notebook }>(fetch, notebookPath(idOrSlug))).notebook;
}

export async function createNotebook(fetch: typeof globalThis.fetch, input: { title?: string; source: string }): Promise<Notebook> {
	return (await requestJson<{ notebook: Notebook }>(fetch, '/api/notebooks', { method: 'POST', body: input })).notebook;
}

/** Saves `source` over `version`; a stale version throws ApiRequestError 409 with `current`. */
export async function saveNotebook(fetch: typeof globalThis.fetch, id: string, input: { source: string; version: number }): Promise<Notebook> {
	return (await requestJson<{ notebook: Notebook }>(fetch, notebookPath(id), { method: 'PUT', body: input })).notebook;
}

export async function deleteNotebook(fetch: typeof globalThis.fetch, id: string): Promise<void> {
	await requestJson<unknown>(fetch, notebookPath(id), { method: 'DELETE' });
}

export async function listNotebookVersions(fetch: typeof globalThis.fetch, id: string): Promise<NotebookVersionSummary[]> {
	return (await getJson<{ versions: NotebookVersionSummary[] }>(fetch, `${notebookPath(id)}/versions`)).versions;
}

export async function getNotebookVersion(fetch: typeof globalThis.fetch, id: string, version: number): Promise<NotebookVersion> {
	return (await getJson<{ version: NotebookVersion }>(fetch, `${notebookPath(id)}/versions/${version}`)).version;
}

export async function restoreNotebookVersion(fetch: typeof globalThis.fetch, id: string, version: number): Promise<Notebook> {
	return (await requestJson<{ notebook: Notebook }>(fetch, `${notebookPath(id)}/versions/${version}/restore`, { method: 'POST' })).notebook;
}
