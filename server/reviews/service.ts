import { randomBytes, timingSafeEqual } from 'node:crypto';
import { parseNotebook } from '#lib/notebook/format.ts';
import { hashToken } from '#server/tokens/service.ts';
import type { Principal } from '#server/auth/principal.ts';
import { ApiError } from '#server/http/errors.ts';
import { findNotebook } from '#server/notebooks/service.ts';
import type { Queryable, Store } from '#server/store/index.ts';
import { REVIEW_TOKEN_PREFIX, type Comment, type ReviewLink, type ReviewRole } from '#lib/contracts/reviews.ts';

/**
 * Review links and comments. A review link's token lets whoever holds it read one notebook (its
 * versions and comments too), or with role 'comment' also comment on it, and nothing else,
 * whatever mode the server runs in. Tokens are shown once and kept only as their sha256.
 */

const DEFAULT_REVIEW_DAYS = 30;

interface LinkRow {
	id: string;
	notebook_id: string;
	role: ReviewRole;
	token_hash: string;
	label: string | null;
	created_by: string;
	created_at: Date;
	expires_at: Date;
	last_used_at: Date | null;
}

const LINK_COLUMNS = 'id, notebook_id, role, token_hash, label, created_by, created_at, expires_at, last_used_at';

const toLink = (r: LinkRow): ReviewLink => ({
	id: r.id,
	role: r.role,
	notebook_id: r.notebook_id,
	label: r.label,
	created_by: r.created_by,
	created_at: r.created_at.toISOString(),
	expires_at: r.expires_at.toISOString(),
	last_used_at: r.last_used_at ? r.last_used_at.toISOString() : null
});

async function mustFindNotebook(db: Queryable, idOrSlug: string) {
	const notebook = await findNotebook(db, idOrSlug);
	if (!notebook) throw new ApiError(404, 'not_found', `notebook ${idOrSlug} not found`);
	return notebook;
}

export async function createReviewLink(
	store: Store,
	idOrSlug: string,
	input: { role: ReviewRole; expires_in_days?: number; label?: string },
	author: string
): Promise<ReviewLink> {
	return store.transaction(async (tx) => {
		const notebook = await mustFindNotebook(tx, idOrSlug);
		const token = REVIEW_TOKEN_PREFIX + randomBytes(32).toString('base64url');
		const id = `rvl_${randomBytes(6).toString('hex')}`;
		const days = input.expires_in_days ?? DEFAULT_REVIEW_DAYS;
		const [row] = await tx.query<LinkRow>(
			`INSERT INTO review_links (id, notebook_id, role, token_hash, label, created_by, expires_at)
			 VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7::float8)) RETURNING ${LINK_COLUMNS}`,
			[id, notebook.id, input.role, hashToken(token), input.label?.trim() || null, author, days * 86_400]
		);
		return { ...toLink(row), token, url: `/notebooks/${encodeURIComponent(notebook.slug)}?review=${token}` };
	});
}

export async function listReviewLinks(db: Queryable, idOrSlug: string): Promise<ReviewLink[]> {
	const notebook = await mustFindNotebook(db, idOrSlug);
	const rows = await db.query<LinkRow>(`SELECT ${LINK_COLUMNS} FROM review_links WHERE notebook_id = $1 ORDER BY created_at, id`, [notebook.id]);
	return rows.map(toLink);
}

export async function deleteReviewLink(store: Store, id: string): Promise<ReviewLink> {
	const [row] = await store.query<LinkRow>(`DELETE FROM review_links WHERE id = $1 RETURNING ${LINK_COLUMNS}`, [id]);
	if (!row) throw new ApiError(404, 'not_found', `review link ${id} not found`);
	return toLink(row);
}

/** The principal a review token stands for; undefined when unknown or expired. */
export async function authenticateReview(db: Queryable, token: string): Promise<Principal | undefined> {
	if (!token.startsWith(REVIEW_TOKEN_PREFIX) || token.length > 200) return undefined;
	const presented = hashToken(token);
	const [row] = await db.query<LinkRow>(`SELECT ${LINK_COLUMNS} FROM review_links WHERE token_hash = $1 AND expires_at > now()`, [presented]);
	if (!row) return undefined;
	const a = Buffer.from(row.token_hash, 'hex');
	const b = Buffer.from(presented, 'hex');
	if (a.length !== b.length || !timingSafeEqual(a, b)) return undefined;
	await db.query(`UPDATE review_links SET last_used_at = now() WHERE id = $1`, [row.id]).catch(() => {});
	return {
		name: `review:${row.label ?? row.id}`,
		role: 'read',
		tokenId: row.id,
		review: { linkId: row.id, notebookId: row.notebook_id, role: row.role }
	};
}

// ----- comments

interface CommentRow extends Omit<Comment, 'created_at' | 'updated_at' | 'resolved_at'> {
	created_at: Date;
	updated_at: Date;
	resolved_at: Date | null;
}

const COMMENT_COLUMNS = 'id, notebook_id, cell, body, author, created_at, updated_at, resolved, resolved_by, resolved_at';

const toComment = (r: CommentRow): Comment => ({
	...r,
	created_at: r.created_at.toISOString(),
	updated_at: r.updated_at.toISOString(),
	resolved_at: r.resolved_at ? r.resolved_at.toISOString() : null
});

export async function listComments(db: Queryable, idOrSlug: string, cell?: string): Promise<Comment[]> {
	const notebook = await mustFindNotebook(db, idOrSlug);
	const rows = await db.query<CommentRow>(
		`SELECT ${COMMENT_COLUMNS} FROM notebook_comments WHERE notebook_id = $1 AND ($2::text IS NULL OR cell = $2) ORDER BY created_at, id`,
		[notebook.id, cell ?? null]
	);
	return rows.map(toComment);
}

/** A comment on a cell the notebook has now (400 naming the cells it does have otherwise). */
export async function addComment(store: Store, idOrSlug: string, input: { cell: string; body: string }, author: string): Promise<Comment> {
	return store.transaction(async (tx) => {
		const notebook = await mustFindNotebook(tx, idOrSlug);
		const cells = parseNotebook(notebook.source).cells.map((c) => c.name);
		if (!cells.includes(input.cell)) {
			throw new ApiError(
				400,
				'invalid_request',
				`invalid comment: cell: notebook ${notebook.slug} has no cell ${JSON.stringify(input.cell)} (it has ${cells.join(', ') || 'none'})`
			);
		}
		const [row] = await tx.query<CommentRow>(
			`INSERT INTO notebook_comments (notebook_id, cell, body, author) VALUES ($1, $2, $3, $4) RETURNING ${COMMENT_COLUMNS}`,
			[notebook.id, input.cell, input.body, author]
		);
		return toComment(row);
	});
}

export async function updateComment(store: Store, id: string, input: { resolved?: boolean; body?: string }, actor: string): Promise<Comment> {
	const [row] = await store.query<CommentRow>(
		`UPDATE notebook_comments SET
		   body = coalesce($2, body),
		   updated_at = CASE WHEN $2::text IS NOT NULL THEN now() ELSE updated_at END,
		   resolved = coalesce($3, resolved),
		   resolved_by = CASE WHEN $3::boolean IS NULL THEN resolved_by WHEN $3 THEN $4 ELSE NULL END,
		   resolved_at = CASE WHEN $3::boolean IS NULL THEN resolved_at WHEN $3 THEN now() ELSE NULL END
		 WHERE id = $1 RETURNING ${COMMENT_COLUMNS}`,
		[id, input.body ?? null, input.resolved ?? null, actor]
	);
	if (!row) throw new ApiError(404, 'not_found', `comment ${id} not found`);
	return toComment(row);
}

export async function deleteComment(store: Store, id: string): Promise<{ id: string }> {
	const rows = await store.query(`DELETE FROM notebook_comments WHERE id = $1 RETURNING id`, [id]);
	if (rows.length === 0) throw new ApiError(404, 'not_found', `comment ${id} not found`);
	return { id };
}
