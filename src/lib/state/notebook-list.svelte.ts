/**
 * The home page's list of the user's notebooks: search, duplicate, rename, and delete with a
 * few seconds to undo (the notebook is hidden at once and deleted on the server only when the
 * undo time is over, or when the page goes).
 */
import { createNotebook, deleteNotebook, getNotebook, saveNotebook, type NotebookSummary } from '#lib/api/notebooks.ts';
import type { Fetch } from '#lib/api/http.ts';
import { withTitle } from '#lib/notebook/templates.ts';

export const UNDO_DELETE_MS = 8000;

/** Whether a notebook matches a search: every word of it in the title or slug, any case. */
export function matchesSearch(notebook: Pick<NotebookSummary, 'title' | 'slug'>, query: string): boolean {
	const haystack = `${notebook.title} ${notebook.slug}`.toLowerCase();
	return query
		.toLowerCase()
		.split(/\s+/)
		.every((word) => haystack.includes(word));
}

/** "3 minutes ago", "yesterday": how long ago a notebook was last edited. */
export function editedAgo(iso: string, now = Date.now()): string {
	const seconds = Math.round((Date.parse(iso) - now) / 1000);
	const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
	for (const [unit, size] of [
		['year', 31_536_000],
		['month', 2_592_000],
		['week', 604_800],
		['day', 86_400],
		['hour', 3600],
		['minute', 60]
	] as const) {
		if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
	}
	return 'just now';
}

export class NotebookList {
	notebooks = $state<NotebookSummary[]>([]);
	query = $state('');
	/** The notebook deleted last, while its deletion can still be undone. */
	deleting = $state<NotebookSummary>();
	error = $state<string>();
	readonly shown = $derived(this.notebooks.filter((n) => n.id !== this.deleting?.id && matchesSearch(n, this.query)));
	#timer: ReturnType<typeof setTimeout> | undefined;

	constructor(
		private readonly fetch: Fetch,
		notebooks: NotebookSummary[]
	) {
		this.notebooks = notebooks;
	}

	async duplicate(notebook: NotebookSummary): Promise<NotebookSummary | undefined> {
		return this.#attempt(async () => {
			const { source } = await getNotebook(this.fetch, notebook.id);
			const copy = await createNotebook(this.fetch, { source: withTitle(source, `Copy of ${notebook.title}`) });
			this.notebooks = [copy, ...this.notebooks];
			return copy;
		});
	}

	async rename(notebook: NotebookSummary, title: string): Promise<void> {
		const next = title.trim();
		if (!next || next === notebook.title) return;
		await this.#attempt(async () => {
			const current = await getNotebook(this.fetch, notebook.id);
			const saved = await saveNotebook(this.fetch, notebook.id, { source: withTitle(current.source, next), version: current.version });
			this.notebooks = this.notebooks.map((n) => (n.id === saved.id ? saved : n));
		});
	}

	/** Hides the notebook now and deletes it when the undo time is over. */
	remove(notebook: NotebookSummary): void {
		void this.flush();
		this.deleting = notebook;
		this.#timer = setTimeout(() => void this.flush(), UNDO_DELETE_MS);
	}

	undo(): void {
		clearTimeout(this.#timer);
		this.deleting = undefined;
	}

	/** Deletes the notebook waiting out its undo time, now. */
	async flush(): Promise<void> {
		clearTimeout(this.#timer);
		const doomed = this.deleting;
		if (!doomed) return;
		this.deleting = undefined;
		this.notebooks = this.notebooks.filter((n) => n.id !== doomed.id);
		await this.#attempt(() => deleteNotebook(this.fetch, doomed.id));
	}

	async #attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
		this.error = undefined;
		try {
			return await work();
		} catch (error) {
			this.error = (error as Error).message;
			return undefined;
		}
	}
}
