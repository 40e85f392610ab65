import { describe, expect, it } from 'vitest';
import { frexp, ldexp, pairwiseSum, roundHalfEven } from '#lib/stats/float.ts';
import { addDD_d_d, divDD_d_d, mulDD_d_d } from '#lib/stats/double-double.ts';

describe('float helpers', () => {
	it('frexp / ldexp behave like C, including subnormals', () => {
		for (const x of [1, 0.5, 0.75, 3, -3, 1e300, -1e-300, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308]) {
			const [m, e] = frexp(x);
			expect(Math.abs(m) >= 0.5 && Math.abs(m) < 1, String(x)).toBe(true);
			expect(ldexp(m, e)).toBe(x);
		}
		expect(frexp(0)).toEqual([0, 0]);
		expect(frexp(8)).toEqual([0.5, 4]);
		expect(ldexp(1, -1074)).toBe(5e-324);
		expect(ldexp(1, -1075)).toBe(0);
		expect(ldexp(1.5, -1074)).toBe(1e-323); // rounds half to even: 1.5 * 2^-1074 -> 2^-1073
		expect(ldexp(1, 1024)).toBe(Infinity);
		expect(ldexp(0.75, 3)).toBe(6);
	});

	it('rounds half to even like numpy.round', () => {
		expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4999, 2.5001].map((x) => roundHalfEven(x) + 0)).toEqual([0, 2, 2, 0, -2, 2, 3]);
	});

	it('sums like numpy.add.reduce', () => {
		// values chosen so that the summation order matters
		const a = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 1e16 : 1) * (i % 2 ? -1 : 1) + i * 0.1);
		const b = pairwiseSum(a);
		expect(Number.isFinite(b)).toBe(true);
		expect(pairwiseSum([1, 2, 3])).toBe(6);
	});

	it('double-double operations are exact where they should be', () => {
		const s = addDD_d_d(1, 1e-20);
		expect(s.hi).toBe(1);
		expect(s.lo).toBe(1e-20);
		const p = mulDD_d_d(1 + 2 ** -30, 1 + 2 ** -30);
		expect(p.hi + p.lo).toBe(p.hi);
		expect(p.lo).toBe(2 ** -60);
		const q = divDD_d_d(1, 3);
		expect(q.hi).toBe(1 / 3);
		expect(Math.abs(q.lo)).toBeLessThan(2 ** -54);
	});
});
