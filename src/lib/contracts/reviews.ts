/**
 * Review links (a read or comment token confined to one notebook) and per-cell comments, on the
 * wire. A review token starts with REVIEW_TOKEN_PREFIX.
 */

export const REVIEW_TOKEN_PREFIX = 'dbr_';
export type ReviewRole = 'read' | 'comment';
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
