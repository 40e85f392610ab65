import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type MlflowHarness } from './helpers';
import { targets } from '../targets';

/** `n` comparisons joined with AND, each on its own metric (the shape of the probe's filter). */
// The documented limits (docs/api.md), as literals so that this test also runs against code without them.
const MAX_FILTER_COMPARISONS = 100;
const MAX_FILTER_LENGTH = 16_384;

const filterOf = (n: number) => Array.from({ length: n }, (_, i) => `metrics.m${i} > ${i}`).join(' AND ');

for (const factory of targets) {
	describe.runIf(factory.enabled)(`runs/search filter limits on ${factory.kind}`, () => {
		let h: MlflowHarness;
		beforeAll(async () => {
			h = await openHarness(factory);
		});
		afterAll(async () => {
			await h?.close();
		});

		const search = (filter: string) =>
			h.app.request('/api/2.0/mlflow/runs/search', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ experiment_ids: ['0'], filter })
			});
		const timed = async <T>(fn: () => T | Promise<T>): Promise<[T, number]> => {
			const start = performance.now();
			const value = await fn();
			return [value, performance.now() - start];
		};
		/** A generous bound, relative to how long a one-term search takes on this machine now. */
		const bound = async () => {
			await search(filterOf(1));
			const [, oneTerm] = await timed(() => search(filterOf(1)));
			return 1500 + 10 * oneTerm;
		};

		it('refuses a filter over the length or comparison limits with a 400, fast', async () => {
			const limit = await bound();
			const [tooMany, tooManyMs] = await timed(() => search(filterOf(2001)));
			expect(tooMany.status).toBe(400);
			expect((await tooMany.json()).message).toMatch(/longer than the limit|comparisons/);
			expect(tooManyMs).toBeLessThan(limit);
			const justOver = await search(filterOf(MAX_FILTER_COMPARISONS + 1));
			expect(justOver.status).toBe(400);
			expect((await justOver.json()).message).toContain(`more than ${MAX_FILTER_COMPARISONS} comparisons`);
			const long = await search(`tags.t = '${'x'.repeat(MAX_FILTER_LENGTH)}'`);
			expect(long.status).toBe(400);
			expect((await long.json()).message).toContain(`limit of ${MAX_FILTER_LENGTH}`);
		});

		it('keeps the event loop free (so /api/health answers) while the largest allowed filter runs', { timeout: 120_000 }, async () => {
			const limit = await bound();
			// The longest the event loop went without a turn while the search ran: how long any other request waited.
			let last = performance.now();
			let longestStall = 0;
			const ticker = setInterval(() => {
				const now = performance.now();
				longestStall = Math.max(longestStall, now - last);
				last = now;
			}, 5);
			try {
				const res = await search(filterOf(MAX_FILTER_COMPARISONS));
				expect(res.status).toBe(200);
			} finally {
				clearInterval(ticker);
				longestStall = Math.max(longestStall, performance.now() - last);
			}
			expect(longestStall).toBeLessThan(limit);
			expect((await h.app.request('/api/health')).status).toBe(200);
		});
	});
}
