/** The special functions appended for the A/B statistics, against SciPy 1.10 (scripts/fixtures/generate_ab_fixtures.py). */
import { describe, expect, it } from 'vitest';
import { bdtr, incbet, ndtri, stdtr, stdtrit } from '#lib/stats/special.ts';
import { loadFixture, relErr } from '../fixtures';

const fx = loadFixture<{
	stdtr: [number, number, number][];
	stdtrit: [number, number, number][];
	ndtri: [number, number][];
	incbet: [number, number, number, number][];
	bdtr: [number, number, number][];
}>('ab/special.json');

/** The largest relative error over a table (absolute below 1e-300, where SciPy underflows to 0). */
function worst(rows: { got: number; expected: number; at: string }[]): { err: number; at: string } {
	let err = 0;
	let at = '';
	for (const r of rows) {
		const e = relErr(r.got, r.expected, 1e-300);
		if (!(e <= err)) {
			err = e;
			at = `${r.at}: ${r.got} vs ${r.expected}`;
		}
	}
	return { err, at };
}

describe('Student t distribution as scipy.stats.t (SciPy 1.10: cdflib cdft)', () => {
	it('stdtr = t.cdf over df from 0.7 to 2.5e6 matches to 1e-12 relative', () => {
		const w = worst(fx.stdtr.map(([df, t, e]) => ({ got: stdtr(df, t), expected: e, at: `df=${df} t=${t}` })));
		expect(fx.stdtr.length).toBeGreaterThan(200);
		expect(w.err, w.at).toBeLessThan(1e-12);
	});

	it('stdtrit = t.ppf reproduces SciPy to 1e-12 relative (SciPy is itself ~1e-9 from the exact quantile)', () => {
		const w = worst(fx.stdtrit.map(([df, p, e]) => ({ got: stdtrit(df, p), expected: e, at: `df=${df} p=${p}` })));
		expect(fx.stdtrit.length).toBeGreaterThan(300);
		expect(w.err, w.at).toBeLessThan(1e-12);
	});

	it('handles the edges', () => {
		expect(stdtr(5, Infinity)).toBe(1);
		expect(stdtr(5, -Infinity)).toBe(0);
		expect(stdtr(5, 0)).toBe(0.5);
		expect(stdtrit(5, 0.5)).toBeCloseTo(0, 12);
		expect(stdtrit(5, 1)).toBe(Infinity);
		expect(Number.isNaN(stdtr(0, 1))).toBe(true);
	});
});

describe('ndtri, incbet and bdtr', () => {
	it('ndtri = norm.ppf to 1e-15 relative', () => {
		const w = worst(fx.ndtri.map(([p, e]) => ({ got: ndtri(p), expected: e, at: `p=${p}` })));
		expect(w.err, w.at).toBeLessThan(1e-15);
		expect(ndtri(0)).toBe(-Infinity);
		expect(ndtri(1)).toBe(Infinity);
	});

	it('incbet = betainc to 1e-11 relative (cephes accuracy for parameters up to 1e5)', () => {
		const w = worst(fx.incbet.map(([a, b, x, e]) => ({ got: incbet(a, b, x), expected: e, at: `a=${a} b=${b} x=${x}` })));
		expect(w.err, w.at).toBeLessThan(1e-11);
	});

	it('bdtr = binom.cdf(k, n, 0.5) to 1e-12 relative', () => {
		const w = worst(fx.bdtr.map(([k, n, e]) => ({ got: bdtr(k, n, 0.5), expected: e, at: `k=${k} n=${n}` })));
		expect(w.err, w.at).toBeLessThan(1e-12);
	});
});
