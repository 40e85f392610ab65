import { ApiRequestError, createNotebook, saveNotebook, type Notebook, type NotebookConflictState } from '#lib/api/notebooks.ts';

export type SaveStatus = 'saved' | 'unsaved' | 'saving' | 'conflict' | 'failed';

/**
 * Saving one notebook to the server with optimistic concurrency: every save names the version
 * it was based on, and a save over someone else's newer version comes back as a conflict to
 * resolve, never as a silent overwrite. The text being edited stays in the browser's drafts
 * (NotebookView) until it is on the server.
 */
export class ServerSave {
	/** The server version this editor's text is based on. */
	version = $state(0);
	/** The text last saved to (or loaded from) the server. */
	savedText = $state('');
	saving = $state(false);
	error = $state<string>();
	/** Set when a save found a newer version on the server. */
	conflict = $state<NotebookConflictState & { mine: string }>();

	constructor(
		readonly id: string,
		version: number,
		savedText: string,
		private readonly fetcher: typeof fetch = fetch
	) {
		this.version = version;
		this.savedText = savedText;
	}

	status(text: string): SaveStatus {
		if (this.saving) return 'saving';
		if (this.conflict) return 'conflict';
		if (this.error) return 'failed';
		return text === this.savedText ? 'saved' : 'unsaved';
	}

	/** Saves `text` over the version it was based on. Resolves to the saved notebook, or undefined on a conflict or failure. */
	save(text: string): Promise<Notebook | undefined> {
		return this.#put(text, this.version);
	}

	/** The explicit choice after a conflict: my text becomes the version after theirs. */
	overwrite(): Promise<Notebook | undefined> {
		const conflict = this.conflict;
		if (!conflict) return Promise.resolve(undefined);
		return this.#put(conflict.mine, conflict.version);
	}

	/** The other choice: take their version; returns its text for the editor to load. */
	takeTheirs(): string | undefined {
		const conflict = this.conflict;
		if (!conflict) return undefined;
		this.version = conflict.version;
		this.savedText = conflict.source;
		this.conflict = undefined;
		this.error = undefined;
		return conflict.source;
	}

	/** The third choice: my text as a new notebook; this one keeps their version. */
	async saveAsNew(): Promise<Notebook | undefined> {
		const conflict = this.conflict;
		if (!conflict) return undefined;
		this.saving = true;
		try {
			const copy = await createNotebook(this.fetcher, { source: conflict.mine });
			this.conflict = undefined;
			this.error = undefined;
			return copy;
		} catch (error) {
			this.error = `could not save a copy: ${(error as Error).message}`;
			return undefined;
		} finally {
			this.saving = false;
		}
	}

	async #put(text: string, version: number): Promise<Notebook | undefined> {
		if (this.saving) return undefined;
		this.saving = true;
		this.error = undefined;
		try {
			const saved = await saveNotebook(this.fetcher, this.id, { source: text, version });
			this.version = saved.version;
			this.savedText = saved.source;
			this.conflict = undefined;
			return saved;
		} catch (error) {
			if (error instanceof ApiRequestError && error.status === 409 && error.current) {
				this.conflict = { ...error.current, mine: text };
			} else {
				this.error = `not saved: ${(error as Error).message}`;
			}
			return undefined;
		} finally {
			this.saving = false;
		}
	}
}
