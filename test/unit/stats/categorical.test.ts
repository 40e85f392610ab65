import { describe, expect, it } from 'vitest';
import { prepareColumn, type CategoricalData } from '#lib/stats/column-kind.ts';
import { columnFromStrings } from '#lib/stats/column.ts';
import { chiSquareContingency } from '#lib/stats/chisquare.ts';
import { hellinger, jensenShannon, proportions, psi } from '#lib/stats/distance.ts';
import { proportionsZTest } from '#lib/stats/ztest.ts';
import { fisherExact } from '#lib/stats/fisher.ts';
import { expectClose, loadFixture, stringSample, type Sample } from './fixtures';

interface CatCase {
	name: string;
	reference: Sample;
	current: Sample;
	expected: {
		categories: string[];
		ref_counts: number[];
		cur_counts: number[];
		psi: number;
		jensenshannon: number;
		hellinger: number;
		chisquare: { statistic: number; pvalue: number };
		ztest?: { statistic: number; pvalue: number };
		fisher_exact?: { statistic: number; pvalue: number };
	};
}
const { cases } = loadFixture<{ cases: CatCase[] }>('categorical.json');

describe('categorical and binary tests vs SciPy / statsmodels', () => {
	for (const c of cases) {
		it(c.name, () => {
			const data = prepareColumn(columnFromStrings(stringSample(c.reference)), columnFromStrings(stringSample(c.current))) as CategoricalData;
			expect(data.kind).toBe(c.expected.categories.length <= 2 ? 'binary' : 'categorical');
			expect(data.categories).toEqual(c.expected.categories);
			expect(Array.from(data.refCounts)).toEqual(c.expected.ref_counts);
			expect(Array.from(data.curCounts)).toEqual(c.expected.cur_counts);
			const pr = proportions(data.refCounts, data.reference.count);
			const pc = proportions(data.curCounts, data.current.count);
			expectClose(psi(pr, pc), c.expected.psi, 'psi', 1e-12);
			expectClose(jensenShannon(pr, pc), c.expected.jensenshannon, 'jensenshannon', 1e-12);
			expectClose(hellinger(pr, pc), c.expected.hellinger, 'hellinger', 1e-12);
			const chi = chiSquareContingency(data.refCounts, data.curCounts);
			expectClose(chi.statistic, c.expected.chisquare.statistic, 'chi2', 1e-12);
			expectClose(chi.pValue ?? NaN, c.expected.chisquare.pvalue, 'chi2 p', 1e-9);
			if (c.expected.ztest) {
				const z = proportionsZTest(data.refCounts[0], data.reference.count, data.curCounts[0], data.current.count);
				if (Number.isNaN(c.expected.ztest.statistic)) {
					expect(z).toMatchObject({ statistic: 0, pValue: 1, method: 'degenerate' });
				} else {
					expectClose(z.statistic, c.expected.ztest.statistic, 'z', 1e-12);
					expectClose(z.pValue ?? NaN, c.expected.ztest.pvalue, 'z p', 1e-9);
				}
			}
			if (c.expected.fisher_exact) {
				const two = data.categories.length === 2;
				const f = fisherExact(data.refCounts[0], two ? data.refCounts[1] : 0, data.curCounts[0], two ? data.curCounts[1] : 0);
				expectClose(f.statistic, c.expected.fisher_exact.statistic, 'odds ratio', 1e-15);
				expectClose(f.pValue ?? NaN, c.expected.fisher_exact.pvalue, 'fisher p', 1e-9);
			}
		});
	}
});
