import type { Store } from '#server/store/index.ts';

/** A store whose database cannot be reached: every query and transaction fails. */
export function unreachableStore(): Store {
	const refuse = async (): Promise<never> => {
		throw new Error('connection refused');
	};
	return { kind: 'postgres', query: refuse, transaction: refuse, close: async () => {} };
}
