import { describe, expect, it } from 'vitest';
import { ks2samp, probOutsideInsideMethod, probOutsideSquare } from '#lib/stats/ks.ts';
import { expectClose, loadFixture, numericSample, type Sample } from './fixtures';

interface KsCase {
	name: string;
	reference: Sample;
	current: Sample;
	expected: { statistic: number; pvalue: number; method: 'exact' | 'asymp'; location: number; sign: 1 | -1 };
}

const { cases } = loadFixture<{ cases: KsCase[] }>('ks.json');

describe('ks_2samp vs scipy.stats.ks_2samp (method="auto")', () => {
	it('covers the exact and asymptotic regimes', () => {
		expect(cases.filter((c) => c.expected.method === 'exact').length).toBeGreaterThan(10);
		expect(cases.filter((c) => c.expected.method === 'asymp').length).toBeGreaterThan(10);
	});

	for (const c of cases) {
		it(c.name, () => {
			const r = ks2samp(numericSample(c.reference), numericSample(c.current));
			expect(r.method).toBe(c.expected.method);
			expectClose(r.statistic, c.expected.statistic, 'statistic', 1e-12);
			expectClose(r.pValue ?? NaN, c.expected.pvalue, 'p-value', 1e-9);
			expect(r.location).toBe(c.expected.location);
			expect(r.sign).toBe(c.expected.sign);
		});
	}

	it('drops NaN and rejects empty samples', () => {
		expect(() => ks2samp([NaN], [1, 2])).toThrow(/empty/);
		const a = ks2samp([1, 2, NaN, 3], [2, 3, 4]);
		const b = ks2samp([1, 2, 3], [2, 3, 4]);
		expect(a).toEqual(b);
	});

	it('is symmetric in D and p', () => {
		const x = [0.1, 0.5, 0.9, 1.3, 2.0, 2.2];
		const y = [0.4, 1.1, 1.5, 2.5];
		const r1 = ks2samp(x, y);
		const r2 = ks2samp(y, x);
		expect(r1.statistic).toBe(r2.statistic);
		expect(r1.pValue).toBe(r2.pValue);
		expect(r1.sign).toBe(-r2.sign);
	});

	it('exact path helpers agree with each other on n x n', () => {
		// the inside method and the square formula compute the same probability for m = n
		for (const [n, h] of [
			[10, 3],
			[25, 7],
			[60, 12]
		]) {
			expectClose(probOutsideInsideMethod(n, n, n, h * 1), probOutsideSquare(n, h), `n=${n} h=${h}`, 1e-12);
		}
	});
});
