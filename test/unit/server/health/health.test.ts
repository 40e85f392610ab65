import { describe, expect, it } from 'vitest';
import { healthRoutes } from '#server/health/routes.ts';
import type { Store } from '#server/store/index.ts';

/** A store whose `SELECT 1` answers only when the test says so, in the order the queries came. */
function gatedStore() {
	const queries: Array<{ answer(): void; fail(error: Error): void }> = [];
	const store = {
		kind: 'pglite',
		query: () =>
			new Promise((resolve, reject) => {
				queries.push({ answer: () => resolve([{ '?column?': 1 }]), fail: reject });
			})
	} as unknown as Store;
	return { store, queries };
}

/** Lets every request in flight run until it waits on the store. */
async function settle() {
	for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

describe('GET /health under concurrent checks', () => {
	it('checks arriving while a probe runs share the next probe, never an older answer', async () => {
		const { store, queries } = gatedStore();
		const app = healthRoutes({ store, version: '1.0.0' });
		const first = app.request('/');
		await settle();
		const rest = Array.from({ length: 9 }, () => app.request('/'));
		await settle();
		// One query for the first check; the nine that came while it ran wait for the next one.
		expect(queries).toHaveLength(1);
		queries[0].answer();
		expect((await first).status).toBe(200);
		await settle();
		expect(queries).toHaveLength(2);
		// The store went away after the first probe: the nine hear it, not the first's older 200.
		queries[1].fail(new Error('connection refused'));
		const answers = await Promise.all(rest);
		expect(answers.map((r) => r.status)).toEqual(Array(9).fill(503));
		expect(((await answers[0].json()) as { message: string }).message).toContain('connection refused');
		// Idle again: the next check sends its own query.
		const later = app.request('/');
		await settle();
		expect(queries).toHaveLength(3);
		queries[2].answer();
		expect((await later).status).toBe(200);
	});
});
