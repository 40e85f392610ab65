/**
 * Autosave: each open notebook's text is kept in this browser's IndexedDB, so a reload or a
 * crash loses nothing. Nothing here leaves the browser.
 */

import { objectStore } from '#lib/indexeddb.ts';

export interface Draft {
	key: string;
	text: string;
	/** The server version the draft started from. */
	baseVersion: number;
	savedAt: number;
}

const transact = objectStore('driftbook', 'drafts', 'key', 'autosave');

export function loadDraft(key: string): Promise<Draft | undefined> {
	return transact('readonly', (store) => store.get(key) as IDBRequest<Draft | undefined>);
}

export async function saveDraft(draft: Draft): Promise<void> {
	await transact('readwrite', (store) => store.put(draft));
}

export async function deleteDraft(key: string): Promise<void> {
	await transact('readwrite', (store) => store.delete(key));
}
