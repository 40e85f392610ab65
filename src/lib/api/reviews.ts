/**
 * Review links (a read or comment token confined to one notebook, in every mode) and per-cell
 * comments.
 */
import { apiRequest, type Fetch } from './http';
import type { Comment, ReviewLink, ReviewRole } from '#lib/contracts/reviews.ts';

// The wire types (src/lib/contracts), for this client's callers.
export type { ReviewLink, ReviewRole };
export type NotebookComment = Comment;

const notebookPath = (idOrSlug: string) => `/api/notebooks/${encodeURIComponent(idOrSlug)}`;

export async function createReviewLink(
	fetch: Fetch,
	notebook: string,
	input: { role: ReviewRole; expires_in_days?: number; label?: string }
): Promise<ReviewLink & { url: string; token: string }> {
	return (await apiRequest<{ review_link: ReviewLink & { url: string; token: string } }>(fetch, `${notebookPath(notebook)}/review-links`, { body: input }))
		.review_link;
}

export async function listReviewLinks(fetch: Fetch, notebook: string): Promise<ReviewLink[]> {
	return (await apiRequest<{ review_links: ReviewLink[] }>(fetch, `${notebookPath(notebook)}/review-links`)).review_links;
}

export async function deleteReviewLink(fetch: Fetch, id: string): Promise<void> {
	await apiRequest(fetch, `/api/review-links/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** A notebook's comments, or one cell's. */
export async function listComments(fetch: Fetch, notebook: string, cell?: string): Promise<NotebookComment[]> {
	return (await apiRequest<{ comments: NotebookComment[] }>(fetch, `${notebookPath(notebook)}/comments`, { query: { cell } })).comments;
}

export async function addComment(fetch: Fetch, notebook: string, input: { cell: string; body: string }): Promise<NotebookComment> {
	return (await apiRequest<{ comment: NotebookComment }>(fetch, `${notebookPath(notebook)}/comments`, { body: input })).comment;
}

export async function updateComment(fetch: Fetch, id: string, input: { body?: string; resolved?: boolean }): Promise<NotebookComment> {
	return (await apiRequest<{ comment: NotebookComment }>(fetch, `/api/comments/${encodeURIComponent(id)}`, { method: 'PATCH', body: input })).comment;
}

export async function deleteComment(fetch: Fetch, id: string): Promise<void> {
	await apiRequest(fetch, `/api/comments/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** The role of the review link this page was opened with (the server says what the token may do). */
export async function reviewLinkRole(fetch: Fetch): Promise<ReviewRole> {
	return (await apiRequest<{ review_link: { role: ReviewRole } }>(fetch, '/api/review-links/current')).review_link.role;
}
