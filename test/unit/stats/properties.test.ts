import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chiSquareContingency, hellinger, jensenShannon, ks2samp, proportions, psi, wassersteinSorted } from '#lib/stats/index.ts';
import { mannWhitneyU } from '#lib/stats/ab/mannwhitney.ts';
import { welchTest } from '#lib/stats/ab/welch.ts';
import { proportionTest } from '#lib/stats/ab/proportion.ts';

// Invariants every implementation of these statistics must keep, on arbitrary samples: bounds,
// symmetry, invariance under permutation (and, for rank tests, under shifts and scaling), and
// "no drift" between identical samples. Runs are kept small: these are quick checks, not benchmarks.

const RUNS = { numRuns: 60 };
/** Integer-valued samples keep shifts and power-of-two scalings exact in floating point. */
const sample = (min = 1, max = 40) => fc.array(fc.integer({ min: -50, max: 50 }), { minLength: min, maxLength: max });
const sorted = (xs: readonly number[]) => Float64Array.from(xs).sort();
/** A random permutation drawn from fast-check's own randomness, so failures replay from the seed. */
const shuffled = (xs: readonly number[], keys: readonly number[]) =>
	xs
		.map((x, i) => [keys[i % keys.length] + i / xs.length, x] as const)
		.sort((a, b) => a[0] - b[0])
		.map(([, x]) => x);
const keys = fc.array(fc.integer(), { minLength: 1, maxLength: 40 });
/** Two histograms over the same bins, as proportions (no empty total). */
const histograms = fc
	.integer({ min: 1, max: 8 })
	.chain((k) => fc.tuple(fc.array(fc.nat(30), { minLength: k, maxLength: k }), fc.array(fc.nat(30), { minLength: k, maxLength: k })))
	.filter(([a, b]) => a.some((x) => x > 0) && b.some((x) => x > 0));

const close = (a: number, b: number, tolerance = 1e-9) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(a), Math.abs(b)));

describe('Kolmogorov–Smirnov', () => {
	it('has D in [0, 1] and p in [0, 1], symmetric in its samples', () => {
		fc.assert(
			fc.property(sample(), sample(), (a, b) => {
				const ab = ks2samp(a, b);
				const ba = ks2samp(b, a);
				expect(ab.statistic).toBeGreaterThanOrEqual(0);
				expect(ab.statistic).toBeLessThanOrEqual(1);
				expect(ab.pValue).toBeGreaterThanOrEqual(0);
				expect(ab.pValue).toBeLessThanOrEqual(1);
				close(ab.statistic, ba.statistic);
				close(ab.pValue!, ba.pValue!);
			}),
			RUNS
		);
	});

	it('ignores the order of each sample, a common shift and a common positive scale', () => {
		fc.assert(
			fc.property(sample(), sample(), keys, fc.integer({ min: -1000, max: 1000 }), fc.constantFrom(0.5, 2, 4), (a, b, k, shift, scale) => {
				const base = ks2samp(a, b);
				expect(ks2samp(shuffled(a, k), shuffled(b, k))).toEqual(base);
				const moved = ks2samp(
					a.map((x) => x + shift),
					b.map((x) => x + shift)
				);
				expect([moved.statistic, moved.pValue]).toEqual([base.statistic, base.pValue]);
				const scaled = ks2samp(
					a.map((x) => x * scale),
					b.map((x) => x * scale)
				);
				expect([scaled.statistic, scaled.pValue]).toEqual([base.statistic, base.pValue]);
			}),
			RUNS
		);
	});

	it('finds no drift between a sample and itself', () => {
		fc.assert(
			fc.property(sample(), (a) => {
				const r = ks2samp(a, a);
				expect(r.statistic).toBe(0);
				expect(r.pValue).toBe(1);
			}),
			RUNS
		);
	});
});

describe('Wasserstein distance', () => {
	it('is ≥ 0, symmetric, zero for identical samples and equal to |c| for a shift by c', () => {
		fc.assert(
			fc.property(sample(), sample(), fc.integer({ min: -100, max: 100 }), (a, b, c) => {
				const d = wassersteinSorted(sorted(a), sorted(b));
				expect(d).toBeGreaterThanOrEqual(0);
				close(d, wassersteinSorted(sorted(b), sorted(a)));
				expect(wassersteinSorted(sorted(a), sorted(a))).toBe(0);
				close(wassersteinSorted(sorted(a), sorted(a.map((x) => x + c))), Math.abs(c));
				// Translation of both samples changes nothing; scaling both scales the distance.
				close(wassersteinSorted(sorted(a.map((x) => x + c)), sorted(b.map((x) => x + c))), d);
				close(wassersteinSorted(sorted(a.map((x) => 2 * x)), sorted(b.map((x) => 2 * x))), 2 * d);
			}),
			RUNS
		);
	});

	it('obeys the triangle inequality', () => {
		fc.assert(
			fc.property(sample(), sample(), sample(), (a, b, c) => {
				const w = (x: number[], y: number[]) => wassersteinSorted(sorted(x), sorted(y));
				expect(w(a, c)).toBeLessThanOrEqual(w(a, b) + w(b, c) + 1e-9);
			}),
			RUNS
		);
	});
});

describe('Histogram distances (PSI, Jensen–Shannon, Hellinger)', () => {
	it('are ≥ 0, bounded where they should be, symmetric, and zero between identical histograms', () => {
		fc.assert(
			fc.property(histograms, ([a, b]) => {
				const p = proportions(a);
				const q = proportions(b);
				for (const distance of [psi, jensenShannon, hellinger]) {
					const d = distance(p, q);
					expect(d).toBeGreaterThanOrEqual(0);
					close(d, distance(q, p));
					expect(distance(p, p)).toBeLessThanOrEqual(1e-12);
				}
				// Jensen–Shannon distance (natural log) ≤ √ln 2; Hellinger ≤ 1.
				expect(jensenShannon(p, q)).toBeLessThanOrEqual(Math.sqrt(Math.LN2) + 1e-12);
				expect(hellinger(p, q)).toBeLessThanOrEqual(1 + 1e-12);
			}),
			RUNS
		);
	});

	it('do not depend on the order of the bins', () => {
		fc.assert(
			fc.property(histograms, keys, ([a, b], k) => {
				const order = shuffled(
					a.map((_, i) => i),
					k
				);
				const p = proportions(a);
				const q = proportions(b);
				const pp = proportions(order.map((i) => a[i]));
				const qq = proportions(order.map((i) => b[i]));
				for (const distance of [psi, jensenShannon, hellinger]) close(distance(pp, qq), distance(p, q));
			}),
			RUNS
		);
	});
});

describe('Chi-square test of two histograms', () => {
	it('has p in [0, 1], is symmetric, and finds nothing between proportional counts', () => {
		fc.assert(
			fc.property(
				histograms.filter(([a, b]) => a.every((x, i) => x + b[i] > 0)),
				fc.integer({ min: 1, max: 5 }),
				([a, b], m) => {
					const r = chiSquareContingency(a, b);
					expect(r.statistic).toBeGreaterThanOrEqual(0);
					expect(r.pValue).toBeGreaterThanOrEqual(0);
					expect(r.pValue).toBeLessThanOrEqual(1);
					close(r.statistic, chiSquareContingency(b, a).statistic);
					// Categories empty on both sides are not allowed (SciPy refuses them too).
					const seen = a.filter((x) => x > 0);
					expect(
						chiSquareContingency(
							seen,
							seen.map((x) => x * m)
						).statistic
					).toBeLessThanOrEqual(1e-9);
				}
			),
			RUNS
		);
	});
});

describe('A/B tests', () => {
	it('Mann–Whitney: p in [0, 1]; swapping variants mirrors U; monotone transforms change nothing', () => {
		fc.assert(
			fc.property(sample(1, 25), sample(1, 25), fc.integer({ min: -100, max: 100 }), (v, c, shift) => {
				const r = mannWhitneyU(v, c);
				expect(r.pValue).toBeGreaterThanOrEqual(0);
				expect(r.pValue).toBeLessThanOrEqual(1);
				const swapped = mannWhitneyU(c, v);
				close(swapped.u, v.length * c.length - r.u);
				close(swapped.probabilityOfSuperiority, 1 - r.probabilityOfSuperiority);
				close(swapped.pValue, r.pValue);
				const transformed = mannWhitneyU(
					v.map((x) => 3 * x + shift),
					c.map((x) => 3 * x + shift)
				);
				expect([transformed.u, transformed.pValue]).toEqual([r.u, r.pValue]);
			}),
			RUNS
		);
	});

	it('Welch: swapping variants flips t and the difference, keeps p; identical samples show no effect', () => {
		fc.assert(
			fc.property(sample(2, 30), sample(2, 30), (v, c) => {
				const r = welchTest(v, c);
				const swapped = welchTest(c, v);
				expect(r.pValue).toBeGreaterThanOrEqual(0);
				expect(r.pValue).toBeLessThanOrEqual(1);
				close(swapped.difference, -r.difference);
				if (Number.isFinite(r.t)) close(swapped.t, -r.t);
				close(swapped.pValue, r.pValue);
				const same = welchTest(v, v);
				expect(same.difference).toBe(0);
				if (!Number.isNaN(same.pValue)) expect(same.pValue).toBe(1);
			}),
			RUNS
		);
	});

	it('Proportions: swapping variants flips z and the difference, keeps p', () => {
		const arm = fc.integer({ min: 1, max: 5000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));
		fc.assert(
			fc.property(arm, arm, ([s, n], [cs, cn]) => {
				const r = proportionTest(s, n, cs, cn);
				const swapped = proportionTest(cs, cn, s, n);
				expect(r.pValue).toBeGreaterThanOrEqual(0);
				expect(r.pValue).toBeLessThanOrEqual(1);
				close(swapped.difference, -r.difference);
				close(swapped.z, -r.z);
				close(swapped.pValue, r.pValue);
				expect(r.ciLow).toBeLessThanOrEqual(r.difference);
				expect(r.ciHigh).toBeGreaterThanOrEqual(r.difference);
			}),
			RUNS
		);
	});
});
