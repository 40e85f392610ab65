import { describe, expect, it } from 'vitest';
import { chi2Sf, normSf } from '#lib/stats/special.ts';
import { chiSquareContingency } from '#lib/stats/chisquare.ts';
import { expectClose, loadFixture, relErr } from './fixtures';

interface ChiCase {
	name: string;
	reference: number[];
	current: number[];
	expected: { statistic: number; pvalue: number; dof: number };
}
const fx = loadFixture<{ cases: ChiCase[]; chi2_sf: [number, number, number][]; norm_sf: [number, number][] }>('chisquare.json');

describe('chi2.sf and norm.sf vs SciPy (cephes ports)', () => {
	it('chi2.sf over a grid of x and df matches to 1e-12 relative', () => {
		let max = 0;
		let at = '';
		for (const [x, df, expected] of fx.chi2_sf) {
			const got = chi2Sf(x, df);
			const err = relErr(got, expected, 1e-300);
			if (!(err <= max)) {
				max = err;
				at = `x=${x} df=${df}: ${got} vs ${expected}`;
			}
		}
		expect(fx.chi2_sf.length).toBeGreaterThan(500);
		expect(max, at).toBeLessThan(1e-12);
	});

	it('norm.sf matches to 1e-13 relative', () => {
		for (const [x, expected] of fx.norm_sf) expectClose(normSf(x), expected, `x=${x}`, 1e-13, 1e-300);
	});
});

describe('chisquare vs scipy.stats.chi2_contingency(correction=False)', () => {
	for (const c of fx.cases) {
		it(c.name, () => {
			const r = chiSquareContingency(c.reference, c.current);
			expect(r.dof).toBe(c.expected.dof);
			expectClose(r.statistic, c.expected.statistic, 'statistic', 1e-12);
			expectClose(r.pValue ?? NaN, c.expected.pvalue, 'p-value', 1e-9);
			expect(r.method).toBe('pearson');
		});
	}

	it('rejects a category absent from both samples, like SciPy', () => {
		expect(() => chiSquareContingency([1, 0], [2, 0])).toThrow(/zero element/);
	});

	it("reports Cramér's V", () => {
		const r = chiSquareContingency([10, 20, 30], [12, 25, 18]);
		expectClose(r.cramersV, Math.sqrt(r.statistic / 115), 'V', 1e-15);
	});
});
