import { describe, expect, it } from 'vitest';
import { proportionsZTest } from '#lib/stats/ztest.ts';
import { fisherExact } from '#lib/stats/fisher.ts';
import { expectClose, loadFixture } from './fixtures';

interface ZCase {
	count1: number;
	nobs1: number;
	count2: number;
	nobs2: number;
	expected: { z: number; pvalue: number };
}
interface FisherCase {
	table: [[number, number], [number, number]];
	expected: { statistic: number; pvalue: number };
}
const fx = loadFixture<{ ztest: ZCase[]; fisher: FisherCase[] }>('proportions.json');

describe('ztest vs statsmodels proportions_ztest', () => {
	for (const c of fx.ztest) {
		it(`${c.count1}/${c.nobs1} vs ${c.count2}/${c.nobs2}`, () => {
			const r = proportionsZTest(c.count1, c.nobs1, c.count2, c.nobs2);
			expectClose(r.z, c.expected.z, 'z', 1e-12);
			expectClose(r.statistic, Math.abs(c.expected.z), '|z|', 1e-12);
			expectClose(r.pValue ?? NaN, c.expected.pvalue, 'p-value', 1e-9);
		});
	}

	it('reports z = 0, p = 1 when both samples hold one identical value (statsmodels: NaN)', () => {
		const r = proportionsZTest(10, 10, 5, 5);
		expect(r).toMatchObject({ statistic: 0, pValue: 1, method: 'degenerate' });
	});
});

describe('fisher_exact vs scipy.stats.fisher_exact (two-sided)', () => {
	for (const c of fx.fisher) {
		it(JSON.stringify(c.table), () => {
			const [[a, b], [cc, d]] = c.table;
			const r = fisherExact(a, b, cc, d);
			expectClose(r.statistic, c.expected.statistic, 'odds ratio', 1e-15);
			expectClose(r.pValue ?? NaN, c.expected.pvalue, 'p-value', 1e-9);
		});
	}
});
