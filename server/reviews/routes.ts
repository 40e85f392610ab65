import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { currentActor, currentPrincipal } from '#server/auth/principal.ts';
import { ApiError } from '#server/http/errors.ts';
import { addComment, createReviewLink, deleteComment, deleteReviewLink, listComments, listReviewLinks, updateComment } from './service';
import type { Store } from '#server/store/index.ts';
import { validate, validBody } from '#server/http/validate.ts';
import { notebookKey } from '#server/notebooks/routes.ts';
import { cellNameSchema, commentInputSchema, commentPatchSchema, reviewLinkInputSchema } from '#lib/contracts/reviews.ts';

const linkId = z.string().regex(/^rvl_[0-9a-f]{12}$/, 'expected a review link id (rvl_…)');
const commentId = z.uuid('expected a comment id (a uuid)');

/** Under /notebooks/:idOrSlug: review links and comments of one notebook. */
export function notebookReviewRoutes({ store }: { store: Store }): Hono {
	const key = (c: Context) => validate(notebookKey, c.req.param('idOrSlug'), 'notebook id or slug');
	return new Hono()
		.get('/:idOrSlug/review-links', async (c) => c.json({ review_links: await listReviewLinks(store, key(c)) }))
		.post('/:idOrSlug/review-links', async (c) => {
			const k = key(c);
			const input = await validBody(c, reviewLinkInputSchema, 'review link');
			return c.json({ review_link: await createReviewLink(store, k, input, currentActor()) }, 201);
		})
		.get('/:idOrSlug/comments', async (c) => {
			const cell = c.req.query('cell');
			return c.json({ comments: await listComments(store, key(c), cell === undefined ? undefined : validate(cellNameSchema, cell, 'cell')) });
		})
		.post('/:idOrSlug/comments', async (c) => {
			const k = key(c);
			const input = await validBody(c, commentInputSchema, 'comment');
			return c.json({ comment: await addComment(store, k, input, currentActor()) }, 201);
		});
}

/**
 * /review-links/current: what the review link this request carries may do, so a page opened
 * from one can show the right controls; /review-links/:id: revoke.
 */
export function reviewLinkRoutes({ store }: { store: Store }): Hono {
	return new Hono()
		.get('/current', (c) => {
			const review = currentPrincipal().review;
			if (!review) throw new ApiError(404, 'not_found', 'this request carries no review link');
			return c.json({ review_link: { id: review.linkId, notebook_id: review.notebookId, role: review.role } });
		})
		.delete('/:id', async (c) => c.json({ deleted: await deleteReviewLink(store, validate(linkId, c.req.param('id'), 'review link id')) }));
}

export function commentRoutes({ store }: { store: Store }): Hono {
	const id = (c: Context) => validate(commentId, c.req.param('id'), 'comment id');
	return new Hono()
		.patch('/:id', async (c) => {
			const i = id(c);
			const input = await validBody(c, commentPatchSchema, 'comment update');
			return c.json({ comment: await updateComment(store, i, input, currentActor()) });
		})
		.delete('/:id', async (c) => c.json({ deleted: await deleteComment(store, id(c)) }));
}
