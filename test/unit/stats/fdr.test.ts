import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from '#lib/stats/index.ts';
import { expectClose, loadFixture } from './fixtures';

interface Case {
	name: string;
	alpha: number;
	p: number[];
	reject: boolean[];
	adjusted: number[];
}
const { cases } = loadFixture<{ cases: Case[] }>('fdr.json');

describe("benjaminiHochberg equals statsmodels' multipletests(method='fdr_bh')", () => {
	for (const c of cases) {
		it(`${c.name}, alpha ${c.alpha}`, () => {
			const r = benjaminiHochberg(c.p, c.alpha);
			expect(r.rejected).toEqual(c.reject);
			c.adjusted.forEach((a, i) => expectClose(r.adjusted[i], a, `adjusted[${i}]`, 1e-14, 1e-300));
		});
	}

	it('handles no p-values', () => {
		expect(benjaminiHochberg([])).toEqual({ adjusted: [], rejected: [], alpha: 0.05 });
	});

	it('refuses p-values outside [0, 1] and a level outside (0, 1)', () => {
		expect(() => benjaminiHochberg([0.2, NaN])).toThrow(/p-value 1 is NaN/);
		expect(() => benjaminiHochberg([1.2])).toThrow(/must be in \[0, 1\]/);
		expect(() => benjaminiHochberg([0.2], 0)).toThrow(/FDR level/);
	});
});
