/**
 * The notebooks part of driftbook's API, as the browser sees it: wire types (the server's
 * routes answer with exactly these) and a typed client.
 */
import { apiRequest, type Fetch } from './http';
import type { Notebook, NotebookConflictState, NotebookSummary, NotebookVersion, NotebookVersionSummary } from '#lib/contracts/notebooks.ts';
// The wire types, for this client's callers.
export type { Notebook, NotebookConflictState, NotebookSummary, NotebookVersion, NotebookVersionSummary };

export { ApiRequestError } from './http';
export type { ApiErrorBody } from '#lib/contracts/errors.ts';

const notebookPath = (idOrSlug: string) => `/api/notebooks/${encodeURIComponent(idOrSlug)}`;

export async function listNotebooks(fetch: Fetch): Promise<NotebookSummary[]> {
	return (await apiRequest<{ notebooks: NotebookSummary[] }>(fetch, '/api/notebooks')).notebooks;
}

export async function getNotebook(fetch: Fetch, idOrSlug: string): Promise<Notebook> {
	return (await apiRequest<{ notebook: Notebook }>(fetch, notebookPath(idOrSlug))).notebook;
}

export async function createNotebook(fetch: Fetch, input: { title?: string; source: string }): Promise<Notebook> {
	return (await apiRequest<{ notebook: Notebook }>(fetch, '/api/notebooks', { method: 'POST', body: input })).notebook;
}

/** Saves `source` over `version`; a stale version throws ApiRequestError 409 with `current`. */
export async function saveNotebook(fetch: Fetch, id: string, input: { source: string; version: number }): Promise<Notebook> {
	return (await apiRequest<{ notebook: Notebook }>(fetch, notebookPath(id), { method: 'PUT', body: input })).notebook;
}

export async function deleteNotebook(fetch: Fetch, id: string): Promise<void> {
	await apiRequest<unknown>(fetch, notebookPath(id), { method: 'DELETE' });
}

export async function listNotebookVersions(fetch: Fetch, id: string): Promise<NotebookVersionSummary[]> {
	return (await apiRequest<{ versions: NotebookVersionSummary[] }>(fetch, `${notebookPath(id)}/versions`)).versions;
}

export async function getNotebookVersion(fetch: Fetch, id: string, version: number): Promise<NotebookVersion> {
	return (await apiRequest<{ version: NotebookVersion }>(fetch, `${notebookPath(id)}/versions/${version}`)).version;
}

export async function restoreNotebookVersion(fetch: Fetch, id: string, version: number): Promise<Notebook> {
	return (await apiRequest<{ notebook: Notebook }>(fetch, `${notebookPath(id)}/versions/${version}/restore`, { method: 'POST' })).notebook;
}
