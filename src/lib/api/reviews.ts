/**
 * Review links (a read-only or comment token scoped to one notebook) and cell comments.
 */
import { apiRequest, type Fetch } from './http';

export type ReviewRole = 'read' | 'comment';

export interface ReviewLink {
	id: string;
	/** The secret: shown once, carried in the link. */
	token: string;
	role: ReviewRole;
	url: string;
}

export interface NotebookComment {
	id: string;
	notebook_id?: string;
	cell: string;
	body: string;
	author?: string;
	created_at?: string;
	updated_at?: string;
	resolved?: boolean;
}

const notebookPath = (id: string) => `/api/notebooks/${encodeURIComponent(id)}`;
const commentPath = (id: string) => `/api/comments/${encodeURIComponent(id)}`;

export async function createReviewLink(fetch: Fetch, notebookId: string, role: ReviewRole): Promise<ReviewLink> {
	return (await apiRequest<{ review_link: ReviewLink }>(fetch, `${notebookPath(notebookId)}/review-links`, { body: { role } })).review_link;
}

export async function listComments(fetch: Fetch, notebookId: string): Promise<NotebookComment[]> {
	return (await apiRequest<{ comments: NotebookComment[] }>(fetch, `${notebookPath(notebookId)}/comments`)).comments;
}

export async function addComment(fetch: Fetch, notebookId: string, input: { cell: string; body: string }): Promise<NotebookComment> {
	return (await apiRequest<{ comment: NotebookComment }>(fetch, `${notebookPath(notebookId)}/comments`, { body: input })).comment;
}

export async function updateComment(fetch: Fetch, id: string, input: { body?: string; resolved?: boolean }): Promise<NotebookComment> {
	return (await apiRequest<{ comment: NotebookComment }>(fetch, commentPath(id), { method: 'PATCH', body: input })).comment;
}

export async function deleteComment(fetch: Fetch, id: string): Promise<void> {
	await apiRequest(fetch, commentPath(id), { method: 'DELETE' });
}
