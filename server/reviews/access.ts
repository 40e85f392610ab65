import type { Principal } from '#server/auth/principal.ts';
import { findNotebook } from '#server/notebooks/service.ts';
import type { Queryable } from '#server/store/index.ts';

const NOTEBOOK_PATH = /^\/api\/notebooks\/([^/]+)(\/versions(?:\/[^/]+)?|\/comments)?\/?$/;
const DATASET_PATH = /^\/api\/datasets\/([0-9a-f-]{36})(?:\/content)?\/?$/;

function decode(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/**
 * What a review link may do: read its notebook, its versions and comments (and comment, with
 * role 'comment'), and read the uploaded datasets that notebook's text refers to. Nothing else.
 */
export async function reviewAllows(db: Queryable, review: NonNullable<Principal['review']>, method: string, path: string): Promise<boolean> {
	const read = method === 'GET' || method === 'HEAD';
	if (path === '/api/health' || (read && path === '/api/review-links/current')) return true;
	const nb = NOTEBOOK_PATH.exec(path);
	if (nb) {
		const commenting = method === 'POST' && nb[2] === '/comments' && review.role === 'comment';
		if (!read && !commenting) return false;
		return (await findNotebook(db, decode(nb[1])))?.id === review.notebookId;
	}
	const ds = DATASET_PATH.exec(path);
	if (ds && read) {
		const notebook = await findNotebook(db, review.notebookId);
		return notebook !== undefined && notebook.source.includes(ds[1]);
	}
	return false;
}
