import { describe, expect, it } from 'vitest';
import { _setSmirnovAnchorEvery, kstwoCdf, kstwoSf, smirnovSf } from '#lib/stats/kolmogorov.ts';
import { loadFixture, relErr } from './fixtures';

type Row = [number, number, number | null, number | null, number];
const { rows } = loadFixture<{ rows: Row[] }>('kolmogorov.json');

function worst(rowsIn: Row[], f: (n: number, x: number) => number, col: 2 | 3 | 4) {
	let max = 0;
	let at = '';
	for (const r of rowsIn) {
		const expected = r[col];
		if (expected === null) continue;
		const err = relErr(f(r[0], r[1]), expected, 1e-300);
		if (!(err <= max)) {
			max = err;
			at = `n=${r[0]} x=${r[1]} got ${f(r[0], r[1])} expected ${expected}`;
		}
	}
	return { max, at };
}

describe('kolmogorov distributions vs SciPy 1.10', () => {
	it('has a grid covering all regimes of _kolmogn', () => {
		expect(rows.length).toBeGreaterThan(900);
	});

	it('kstwo.sf matches to 1e-10 relative', () => {
		const small = rows.filter((r) => r[0] <= 100000);
		const { max, at } = worst(small, (n, x) => kstwoSf(x, n), 2);
		expect(max, at).toBeLessThan(1e-10);
	});

	it('kstwo.sf matches for n > 100000 (Pelz-Good, 2·smirnov)', () => {
		const big = rows.filter((r) => r[0] > 100000);
		const { max, at } = worst(big, (n, x) => kstwoSf(x, n), 2);
		expect(max, at).toBeLessThan(1e-10);
	});

	it('kstwo.cdf matches to 1e-10 relative', () => {
		const { max, at } = worst(rows, (n, x) => kstwoCdf(x, n), 3);
		expect(max, at).toBeLessThan(1e-10);
	});

	it('smirnov (one-sided) matches to 1e-12 relative', () => {
		const { max, at } = worst(rows, (n, x) => smirnovSf(n, x), 4);
		expect(max, at).toBeLessThan(1e-12);
	});

	it("smirnov's fast recurrence agrees with the term-by-term double-double port", () => {
		const cases: [number, number][] = [];
		for (const n of [3000, 20000, 60000]) for (const nx2 of [0.3, 2.2, 7, 60, 300]) cases.push([n, Math.sqrt(nx2 / n)]);
		const fast = cases.map(([n, x]) => smirnovSf(n, x));
		_setSmirnovAnchorEvery(0);
		try {
			const direct = cases.map(([n, x]) => smirnovSf(n, x));
			for (let i = 0; i < cases.length; i++) {
				expect(relErr(fast[i], direct[i], 1e-300), `n=${cases[i][0]} x=${cases[i][1]}`).toBeLessThan(1e-13);
			}
		} finally {
			_setSmirnovAnchorEvery(1024);
		}
	});

	it('handles the support boundaries like scipy.stats.kstwo', () => {
		expect(kstwoSf(0, 10)).toBe(1);
		expect(kstwoSf(0.05, 10)).toBe(1); // x <= 0.5/n
		expect(kstwoSf(1, 10)).toBe(0);
		expect(kstwoSf(1.5, 10)).toBe(0);
		expect(kstwoCdf(0.05, 10)).toBe(0);
		expect(kstwoSf(0.5, 0)).toBeNaN();
		expect(kstwoSf(0.5, 2.5)).toBeNaN();
		expect(smirnovSf(5, 0)).toBe(1);
		expect(smirnovSf(5, 1)).toBe(0);
	});
});
