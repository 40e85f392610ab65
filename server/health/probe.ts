import type { Store } from '#server/store/index.ts';

/**
 * The store's answer to `SELECT 1` for health checks, shared by the checks waiting for it. A
 * check never takes an answer older than itself: one arriving while a probe runs waits for the
 * next probe, which starts when that one ends and answers every check that arrived meanwhile. So
 * under N concurrent checks the store sees one probe per round trip instead of N queries, and
 * each answer still comes from a query sent after the check arrived.
 */
export function storeProbe(store: Pick<Store, 'query'>): () => Promise<void> {
	let current: Promise<void> | undefined;
	let queued: Promise<void> | undefined;
	const start = (): Promise<void> => {
		const probe = store.query('SELECT 1').then(() => undefined);
		current = probe;
		const clear = () => {
			if (current === probe) current = undefined;
		};
		probe.then(clear, clear);
		return probe;
	};
	const settle = () => undefined;
	return () => {
		if (!current) return start();
		queued ??= current.then(settle, settle).then(() => {
			queued = undefined;
			return start();
		});
		return queued;
	};
}
