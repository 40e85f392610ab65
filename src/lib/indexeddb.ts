/**
 * One IndexedDB object store of this browser (one store per database, version 1): `transact`
 * runs one request in a transaction and resolves when the transaction commits.
 */
export type Transact = <T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>) => Promise<T>;

export function objectStore(dbName: string, storeName: string, keyPath: string, label: string): Transact {
	const open = () =>
		new Promise<IDBDatabase>((resolve, reject) => {
			const request = indexedDB.open(dbName, 1);
			request.onupgradeneeded = () => request.result.createObjectStore(storeName, { keyPath });
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
	return async (mode, work) => {
		const db = await open();
		try {
			return await new Promise((resolve, reject) => {
				const tx = db.transaction(storeName, mode);
				const request = work(tx.objectStore(storeName));
				tx.oncomplete = () => resolve(request.result);
				tx.onerror = () => reject(tx.error);
				tx.onabort = () => reject(tx.error ?? new Error(`${label} transaction aborted`));
			});
		} finally {
			db.close();
		}
	};
}
