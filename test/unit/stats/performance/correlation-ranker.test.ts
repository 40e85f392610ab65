/**
 * The correlation ranker against NannyML 0.13.1's CorrelationRanker (test/fixtures/stats/ranker/,
 * from scripts/fixtures/generate_ranker_fixtures.py): NannyML's own per-chunk jensen_shannon
 * values and performance values go in, its ranking must come out.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pearson, rankByCorrelation } from '#lib/stats/performance/index.ts';

interface RankerFixture {
	metric: string;
	basis: string;
	performance: { reference: number[]; analysis: number[] };
	drift: { column: string; values: number[]; alerts: boolean[] }[];
	ranking: { column: string; correlation: number; p_value: number; has_drifted: boolean; rank: number }[];
}

const DIR = new URL('../../../fixtures/stats/ranker/', import.meta.url);
const cases = readdirSync(DIR)
	.filter((f) => f.endsWith('.json'))
	.map((f) => [f, JSON.parse(readFileSync(new URL(f, DIR), 'utf8')) as RankerFixture] as const);

describe('rankByCorrelation', () => {
	it.each(cases)('ranks as NannyML does (%s)', (_, fx) => {
		const ranked = rankByCorrelation(fx.drift, fx.performance.reference, fx.performance.analysis);
		expect(ranked.map((r) => r.column)).toEqual(fx.ranking.map((r) => r.column));
		ranked.forEach((r, i) => {
			const want = fx.ranking[i];
			expect(r.rank).toBe(want.rank);
			expect(r.has_drifted).toBe(want.has_drifted);
			expect(r.correlation).toBeCloseTo(want.correlation, 12);
			expect(Math.abs(r.p_value - want.p_value)).toBeLessThan(1e-12 + 1e-9 * want.p_value);
		});
	});

	it('leaves out chunks without a value, and ranks a feature with fewer than two chunks last', () => {
		const ranked = rankByCorrelation(
			[
				{ column: 'one_chunk', values: [0.3, null, null], alerts: [true, false, false] },
				{ column: 'follows', values: [0.1, NaN, 0.3], alerts: [false, false, false] }
			],
			[0.8, 0.8],
			[0.8, 0.7, 0.6]
		);
		expect(ranked.map((r) => [r.column, r.rank, r.has_drifted])).toEqual([
			['follows', 1, false],
			['one_chunk', 2, true]
		]);
		expect(ranked[0].correlation).toBeCloseTo(1, 12);
		expect(ranked[1].correlation).toBeNaN();
	});

	it('names the feature whose chunks do not match the performance', () => {
		expect(() => rankByCorrelation([{ column: 'x', values: [1], alerts: [false] }], [1], [1, 2])).toThrow(/feature "x": drift for 1 chunks, performance for 2/);
	});
});

describe('pearson', () => {
	it('is NaN for constant input and 1 with p = 1 for two points', () => {
		expect(pearson([1, 1, 1], [1, 2, 3]).correlation).toBeNaN();
		expect(pearson([1, 2], [3, 5])).toEqual({ correlation: 1, p_value: 1 });
	});
});
