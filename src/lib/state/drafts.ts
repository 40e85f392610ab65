/**
 * Autosave: each open notebook's text is kept in this browser's IndexedDB, so a reload or a
 * crash loses nothing. Nothing here leaves the browser.
 */

export interface Draft {
	key: string;
	text: string;
	/** The server version the draft started from. */
	baseVersion: number;
	savedAt: number;
}

const DB_NAME = 'driftbook';
const STORE = 'drafts';

function open(): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const request = indexedDB.open(DB_NAME, 1);
		request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'key' });
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error);
	});
}

async function transact<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
	const db = await open();
	try {
		return await new Promise<T>((resolve, reject) => {
			const tx = db.transaction(STORE, mode);
			const request = work(tx.objectStore(STORE));
			tx.oncomplete = () => resolve(request.result);
			tx.onerror = () => reject(tx.error);
			tx.onabort = () => reject(tx.error ?? new Error('autosave transaction aborted'));
		});
	} finally {
		db.close();
	}
}

export function loadDraft(key: string): Promise<Draft | undefined> {
	return transact('readonly', (store) => store.get(key) as IDBRequest<Draft | undefined>);
}

export async function saveDraft(draft: Draft): Promise<void> {
	await transact('readwrite', (store) => store.put(draft));
}

export async function deleteDraft(key: string): Promise<void> {
	await transact('readwrite', (store) => store.delete(key));
}
