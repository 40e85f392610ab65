/**
 * Review of one server notebook: its per-cell comment threads, and (for its owner) the review
 * links that share it. The page opened from a review link is a reviewer (`read` or `comment`);
 * any other page of a server notebook is its owner, who may resolve and delete comments.
 */
import { getContext, setContext } from 'svelte';
import {
	addComment,
	createReviewLink,
	deleteComment,
	deleteReviewLink,
	listComments,
	listReviewLinks,
	updateComment,
	type NotebookComment,
	type ReviewLink,
	type ReviewRole
} from '#lib/api/reviews.ts';

export type ReviewAccess = 'owner' | ReviewRole;

const CONTEXT = Symbol('driftbook.review');

export class NotebookReview {
	comments = $state.raw<NotebookComment[]>([]);
	/** The last failure (loading, posting, resolving), shown next to the threads. */
	error = $state<string>();
	/** Cells whose thread is open. */
	expanded = $state<Record<string, boolean>>({});

	constructor(
		readonly notebookId: string,
		readonly access: ReviewAccess
	) {}

	get canComment(): boolean {
		return this.access !== 'read';
	}

	/** Resolving and deleting need the notebook's write role, which review links never have. */
	get canModerate(): boolean {
		return this.access === 'owner';
	}

	forCell(cell: string): NotebookComment[] {
		return this.comments.filter((c) => c.cell === cell);
	}

	/** Comments whose cell is no longer in the notebook (renamed or deleted since). */
	onRemovedCells(cells: readonly string[]): NotebookComment[] {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup for one filter, not kept
		const present = new Set(cells);
		return this.comments.filter((c) => !present.has(c.cell));
	}

	async load(): Promise<void> {
		await this.#attempt(async () => {
			this.comments = await listComments(fetch, this.notebookId);
		});
	}

	/** True when the comment was posted. */
	async add(cell: string, body: string): Promise<boolean> {
		return this.#attempt(async () => {
			const comment = await addComment(fetch, this.notebookId, { cell, body });
			this.comments = [...this.comments, comment];
		});
	}

	async setResolved(id: string, resolved: boolean): Promise<void> {
		await this.#attempt(async () => {
			const updated = await updateComment(fetch, id, { resolved });
			this.comments = this.comments.map((c) => (c.id === id ? updated : c));
		});
	}

	async remove(id: string): Promise<void> {
		await this.#attempt(async () => {
			await deleteComment(fetch, id);
			this.comments = this.comments.filter((c) => c.id !== id);
		});
	}

	async #attempt(work: () => Promise<void>): Promise<boolean> {
		try {
			await work();
			this.error = undefined;
			return true;
		} catch (error) {
			this.error = (error as Error).message;
			return false;
		}
	}
}

/** The owner's review links of one notebook. */
export class ReviewLinks {
	links = $state.raw<ReviewLink[]>([]);
	/** The link made last, with its full address: the token is shown only once. */
	created = $state.raw<{ link: ReviewLink; url: string }>();
	error = $state<string>();
	busy = $state(false);

	constructor(readonly notebookId: string) {}

	async load(): Promise<void> {
		await this.#attempt(async () => {
			this.links = await listReviewLinks(fetch, this.notebookId);
		});
	}

	async create(input: { role: ReviewRole; expires_in_days?: number; label?: string }): Promise<void> {
		await this.#attempt(async () => {
			const link = await createReviewLink(fetch, this.notebookId, input);
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- built only to read its `href` once
			this.created = { link, url: new URL(link.url, location.origin).href };
			this.links = await listReviewLinks(fetch, this.notebookId);
		});
	}

	async revoke(id: string): Promise<void> {
		await this.#attempt(async () => {
			await deleteReviewLink(fetch, id);
			this.links = this.links.filter((l) => l.id !== id);
			if (this.created?.link.id === id) this.created = undefined;
		});
	}

	async #attempt(work: () => Promise<void>): Promise<void> {
		this.busy = true;
		try {
			await work();
			this.error = undefined;
		} catch (error) {
			this.error = (error as Error).message;
		} finally {
			this.busy = false;
		}
	}
}

/** "review:<label>" (a comment made through a review link) reads as "<label> (review link)". */
export function authorName(author: string): string {
	return author.startsWith('review:') ? `${author.slice('review:'.length)} (review link)` : author;
}

export function provideReview(review: NotebookReview): void {
	setContext(CONTEXT, review);
}

/** The open notebook's review; undefined for notebooks not on the server (files, shared fragments). */
export function currentReview(): NotebookReview | undefined {
	return getContext<NotebookReview | undefined>(CONTEXT);
}
