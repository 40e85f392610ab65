import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type MlflowHarness } from './helpers';
import { targets } from '../targets';
import { compileFilter, parseFilter, SqlParams } from '#server/mlflow/search-filter.ts';
import { RUN_SEARCH } from '#server/tracking/runs.ts';

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
		it('refuses a filter over the length or comparison limits with a 400', async () => {
			const tooMany = await search(filterOf(2001));
			expect(tooMany.status).toBe(400);
			expect((await tooMany.json()).message).toMatch(/longer than the limit|comparisons/);
			const justOver = await search(filterOf(MAX_FILTER_COMPARISONS + 1));
			expect(justOver.status).toBe(400);
			expect((await justOver.json()).message).toContain(`more than ${MAX_FILTER_COMPARISONS} comparisons`);
			const long = await search(`tags.t = '${'x'.repeat(MAX_FILTER_LENGTH)}'`);
			expect(long.status).toBe(400);
			expect((await long.json()).message).toContain(`limit of ${MAX_FILTER_LENGTH}`);
		});

		it('plans every keyed term as a per-row check, never a chain of semi-joins (the work grows linearly with the terms)', async () => {
			// Bare EXISTS terms are pulled up into one semi-join each, and planning n of them took 4.6 s at 100 terms and 19 s at 200.
			const params = new SqlParams();
			const where = compileFilter(RUN_SEARCH, parseFilter(filterOf(MAX_FILTER_COMPARISONS)), params);
			const plan = (await h.store.query<Record<string, string>>(`EXPLAIN SELECT r.run_id FROM mlflow_runs r WHERE ${where}`, params.values))
				.map((row) => Object.values(row)[0])
				.join('\n');
			expect(plan).not.toMatch(/Semi Join/);
			expect(plan).toMatch(/SubPlan/);
			const res = await search(filterOf(MAX_FILTER_COMPARISONS));
			expect(res.status).toBe(200);
			expect((await h.app.request('/api/health')).status).toBe(200);
		});
	});
}
