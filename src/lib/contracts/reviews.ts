/**
 * Review links (a read or comment token confined to one notebook) and per-cell comments, on the
 * wire. A review token starts with REVIEW_TOKEN_PREFIX.
 */
import { z } from 'zod';

export const REVIEW_TOKEN_PREFIX = 'dbr_';
export const REVIEW_ROLES = ['read', 'comment'] as const;
export type ReviewRole = (typeof REVIEW_ROLES)[number];
export const MAX_REVIEW_DAYS = 365;

export interface ReviewLink {
	id: string;
	role: ReviewRole;
	notebook_id: string;
	label: string | null;
	created_by: string;
	created_at: string;
	expires_at: string;
	last_used_at: string | null;
	/** Where the notebook opens with this link: /notebooks/<slug>?review=<token> (on creation only). */
	url?: string;
	/** The secret, answered once at creation. */
	token?: string;
}

export interface Comment {
	id: string;
	notebook_id: string;
	cell: string;
	body: string;
	author: string;
	created_at: string;
	updated_at: string;
	resolved: boolean;
	resolved_by: string | null;
	resolved_at: string | null;
}

/** The body of POST /api/notebooks/:idOrSlug/review-links. */
export const reviewLinkInputSchema = z.object({
	role: z.enum(REVIEW_ROLES),
	expires_in_days: z.number().positive().max(MAX_REVIEW_DAYS, `must be at most ${MAX_REVIEW_DAYS}`).optional(),
	label: z.string().max(200).optional()
});

/** A cell's name, as comments refer to it. */
export const cellNameSchema = z.string().min(1, 'must not be empty').max(200);

/** The body of POST /api/notebooks/:idOrSlug/comments. */
export const commentInputSchema = z.object({ cell: cellNameSchema, body: z.string().trim().min(1, 'must not be empty').max(20_000) });

/** The body of PATCH /api/comments/:id. */
export const commentPatchSchema = z
	.object({ resolved: z.boolean().optional(), body: z.string().trim().min(1, 'must not be empty').max(20_000).optional() })
	.refine((p) => p.resolved !== undefined || p.body !== undefined, 'give resolved or body');
