/**
 * The drift methods mannwhitney, ttest, cramer_von_mises and energy against SciPy 1.10, the
 * fisher_exact far tails and wasserstein/energy with infinite values
 * (scripts/fixtures/generate_drift_methods_fixtures.py → test/fixtures/stats/drift-methods.json).
 */
import { describe, expect, it } from 'vitest';
import { besselK, cramerVonMisesSorted, cvmLimitCdf } from '#lib/stats/cramer-von-mises.ts';
import { energyDistanceSorted } from '#lib/stats/cdf-distance.ts';
import { fisherExact } from '#lib/stats/fisher.ts';
import { mannWhitneySorted } from '#lib/stats/mann-whitney.ts';
import { moments } from '#lib/stats/moments.ts';
import { wassersteinSorted } from '#lib/stats/wasserstein.ts';
import { welchStatistic } from '#lib/stats/welch.ts';
import { columnFromValues, driftColumn, DRIFT_METHODS, isDriftMethod } from '#lib/stats/index.ts';
import { expectClose, loadFixture, numericSample, sampleValues, type Sample } from './fixtures';

interface PTest {
	statistic: number;
	pvalue: number;
	method?: 'exact' | 'asymptotic';
}
interface Expected {
	mannwhitney: PTest;
	ttest: PTest | null;
	cramer_von_mises: PTest | null;
	energy: number;
}
const fx = loadFixture<{
	methods: { name: string; reference: Sample; current: Sample; expected: Expected }[];
	kv: [number, number, number][];
	cvm_limit: [number, number][];
	fisher: { table: [[number, number], [number, number]]; expected: { statistic: number; pvalue: number } }[];
	infinite: { u: number[]; v: number[]; expected: { wasserstein: number; energy: number } }[];
}>('drift-methods.json');

const METHODS = ['mannwhitney', 'ttest', 'cramer_von_mises', 'energy'];
const present = (s: Sample): Float64Array => numericSample(s).filter((v) => !Number.isNaN(v));
const sorted = (s: Sample): Float64Array => present(s).sort();

/**
 * SciPy's Cramér–von Mises p-value is 1 − (a series summed to 1e-7): its rounding is absolute, so
 * p-values are compared to 1e-12 relative or 1e-14 absolute, whichever is looser.
 */
function expectPValueOfComplement(actual: number, expected: number, label: string): void {
	expect(Math.abs(actual - expected), `${label}: got ${actual}, expected ${expected}`).toBeLessThanOrEqual(Math.max(1e-12 * expected, 1e-14));
}

describe('drift methods vs SciPy 1.10 (reference first)', () => {
	for (const c of fx.methods) {
		describe(c.name, () => {
			const e = c.expected;
			it('mannwhitneyu: U of the reference, p and the exact/asymptotic choice', () => {
				const r = mannWhitneySorted(sorted(c.reference), sorted(c.current));
				expect(r.u).toBe(e.mannwhitney.statistic);
				expectClose(r.pValue, e.mannwhitney.pvalue, 'p', 1e-12, 1e-300);
				expect(r.method).toBe(e.mannwhitney.method);
			});
			it('ttest_ind(equal_var=False): t and p', () => {
				if (!e.ttest) return;
				const r = welchStatistic(moments(present(c.reference)), moments(present(c.current)));
				expectClose(r.t, e.ttest.statistic, 't', 1e-12);
				expectClose(r.pValue, e.ttest.pvalue, 'p', 1e-12, 1e-300);
			});
			it('cramervonmises_2samp: T, p and the exact/asymptotic choice', () => {
				if (!e.cramer_von_mises) {
					expect(() => cramerVonMisesSorted(sorted(c.reference), sorted(c.current))).toThrow(/at least 2 values/);
					return;
				}
				const r = cramerVonMisesSorted(sorted(c.reference), sorted(c.current));
				expectClose(r.statistic, e.cramer_von_mises.statistic, 'T', 1e-12);
				expectPValueOfComplement(r.pValue, e.cramer_von_mises.pvalue, 'p');
				expect(r.method).toBe(e.cramer_von_mises.method);
			});
			it('energy_distance', () => {
				expectClose(energyDistanceSorted(sorted(c.reference), sorted(c.current)), e.energy, 'energy', 1e-12);
			});
			it('the drift report gives the same numbers, or says why a sample is too small', () => {
				const ref = columnFromValues(sampleValues(c.reference));
				const cur = columnFromValues(sampleValues(c.current));
				if (!e.ttest) {
					expect(() => driftColumn('x', ref, cur, { methods: METHODS })).toThrow(
						'Column "x": ttest needs at least 2 non-missing values in each sample (the reference has 1)'
					);
					return;
				}
				const col = driftColumn('x', ref, cur, { methods: METHODS });
				expect(col.kind).toBe('numerical');
				expect(col.tests.map((t) => t.method)).toEqual(METHODS);
				const [mw, tt, cvm, en] = col.tests;
				expect(mw.statistic).toBe(e.mannwhitney.statistic);
				expectClose(mw.p_value!, e.mannwhitney.pvalue, 'mannwhitney p', 1e-12, 1e-300);
				expect(mw.method_detail).toBe(e.mannwhitney.method);
				// The report's moments sum the sorted values, SciPy the given order: the last bits
				// differ, which a mean of 1e15 against a difference of 1e8 magnifies 1e7-fold.
				expectClose(tt.statistic, Math.abs(e.ttest.statistic), 'ttest |t|', 1e-10);
				expectClose(tt.p_value!, e.ttest.pvalue, 'ttest p', 1e-10, 1e-300);
				expectClose(cvm.statistic, e.cramer_von_mises!.statistic, 'cramer_von_mises T', 1e-12);
				expectPValueOfComplement(cvm.p_value!, e.cramer_von_mises!.pvalue, 'cramer_von_mises p');
				expectClose(en.statistic, e.energy, 'energy', 1e-12);
				expect(en.p_value).toBeNull();
				for (const t of [mw, tt, cvm]) expect(t.drifted).toBe(t.p_value! < 0.05);
				expect(en.threshold).toBe(0.1);
				expect(en.drifted).toBe(en.statistic >= 0.1);
				for (const t of col.tests) expect(t.reading).toMatch(/^(Mann–Whitney U test|Welch's t-test|Cramér–von Mises test|Energy distance): /);
			});
		});
	}

	it('the four methods are drift methods for numerical columns; p-value tests except energy', () => {
		for (const m of METHODS) {
			expect(isDriftMethod(m)).toBe(true);
			expect(DRIFT_METHODS[m as keyof typeof DRIFT_METHODS].kinds).toEqual(['numerical']);
		}
		expect(METHODS.map((m) => DRIFT_METHODS[m as keyof typeof DRIFT_METHODS].type)).toEqual(['p_value', 'p_value', 'p_value', 'distance']);
	});
});

describe('Cramér–von Mises limiting distribution', () => {
	it('K_1/4(x) to 1e-15 of mpmath (SciPy’s AMOS is 6e-14 off at x = 2 and underflows at 700)', () => {
		for (const [x, exact] of fx.kv) expectClose(besselK(0.25, x), exact, `K(${x})`, 1e-15, 0);
	});
	it('_cdf_cvm_inf to 1e-13 of SciPy', () => {
		for (const [x, cdf] of fx.cvm_limit) expectClose(cvmLimitCdf(x), cdf, `cdf(${x})`, 1e-13);
	});
});

describe('fisher_exact sums the tail it is asked for (far tails, random tables)', () => {
	for (const c of fx.fisher) {
		it(JSON.stringify(c.table), () => {
			const [[a, b], [cc, d]] = c.table;
			const r = fisherExact(a, b, cc, d);
			expectClose(r.statistic, c.expected.statistic, 'odds ratio', 1e-15);
			expectClose(r.pValue ?? NaN, c.expected.pvalue, 'p-value', 1e-12, 1e-300);
		});
	}
});

describe('wasserstein and energy with infinite values, as SciPy (inf where a gap is infinite, NaN for inf − inf)', () => {
	for (const c of fx.infinite) {
		it(`${JSON.stringify(c.u.map(String))} vs ${JSON.stringify(c.v.map(String))}`, () => {
			const u = Float64Array.from(c.u).sort();
			const v = Float64Array.from(c.v).sort();
			expect(wassersteinSorted(u, v)).toBe(c.expected.wasserstein);
			expect(energyDistanceSorted(u, v)).toBe(c.expected.energy);
		});
	}
});
