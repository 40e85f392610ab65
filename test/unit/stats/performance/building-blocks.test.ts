/**
 * The NumPy and scikit-learn pieces under CBPE, against the libraries themselves
 * (test/fixtures/stats/cbpe/building-blocks.json, from scripts/fixtures/generate_cbpe_fixtures.py):
 * np.argsort's tie order, StratifiedShuffleSplit's draws, IsotonicRegression with tied scores.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { binIndexEdges, fitIsotonic, numpyArgsort, predictIsotonic, stratifiedShuffleSplit } from '#lib/stats/performance/index.ts';
import { CBPE_DIR } from './cbpe-fixtures';

interface BuildingBlocks {
	argsort: { values: number[]; argsort: number[] }[];
	stratified_shuffle_split: { y: number[]; splits: { train: number[]; test: number[] }[] }[];
	isotonic: { x: number[]; y: number[]; knots_x: number[]; knots_y: number[]; t: number[]; predict: number[] }[];
}

const fx = JSON.parse(readFileSync(`${CBPE_DIR}building-blocks.json`, 'utf8')) as BuildingBlocks;

describe('numpyArgsort', () => {
	it.each(fx.argsort.map((c) => [c.values.length, c] as const))('orders ties as np.argsort does (n = %i)', (_, c) => {
		expect(Array.from(numpyArgsort(c.values))).toEqual(c.argsort);
	});

	it('sorts NaN last, and sorts long runs of equal keys', () => {
		expect(Array.from(numpyArgsort([2, NaN, 1, 0]))).toEqual([3, 2, 0, 1]);
		const v = Array.from({ length: 5000 }, (_, i) => (i % 97 === 0 ? i : 1));
		const order = numpyArgsort(v);
		for (let i = 1; i < v.length; i++) expect(v[order[i - 1]] <= v[order[i]]).toBe(true);
	});
});

describe('stratifiedShuffleSplit', () => {
	it.each(fx.stratified_shuffle_split.map((c) => [c.y.length, c] as const))('draws what scikit-learn draws (n = %i)', (_, c) => {
		const splits = stratifiedShuffleSplit(c.y, 10, 0.1, 42);
		expect(splits.map((s) => ({ train: Array.from(s.train), test: Array.from(s.test) }))).toEqual(c.splits);
	});

	it('refuses a class with a single member, as scikit-learn does', () => {
		expect(() => stratifiedShuffleSplit([0, 0, 0, 1], 10, 0.1, 42)).toThrow(/only 1 member/);
	});
});

describe('isotonic regression', () => {
	it.each(fx.isotonic.map((c) => [c.x.length, c] as const))('fits and predicts as scikit-learn, ties pooled by weight (n = %i)', (_, c) => {
		const fit = fitIsotonic(c.x, c.y);
		expect(Array.from(fit.x)).toEqual(c.knots_x);
		expect(Array.from(fit.y)).toEqual(c.knots_y);
		expect(Array.from(predictIsotonic(fit, c.t))).toEqual(c.predict);
	});

	// The calibration check fits ten subsets of the reference from one sort of it.
	it.each(fx.isotonic.map((c) => [c.x.length, c] as const))('fits the rows it is given in ascending order of x as those rows alone (n = %i)', (_, c) => {
		const subset = c.x.map((_, i) => i).filter((i) => i % 3 !== 0);
		const alone = fitIsotonic(
			subset.map((i) => c.x[i]),
			subset.map((i) => c.y[i])
		);
		// Ascending in x, ties in the reverse of their row order: the order of ties must not matter.
		const rows = Int32Array.from(subset).sort((a, b) => c.x[a] - c.x[b] || b - a);
		const given = fitIsotonic(c.x, c.y, rows);
		expect(Array.from(given.x)).toEqual(Array.from(alone.x));
		expect(Array.from(given.y)).toEqual(Array.from(alone.y));
		expect([given.xMin, given.xMax]).toEqual([alone.xMin, alone.xMax]);
	});
});

describe('calibration bins', () => {
	it('splits as NannyML _get_bin_index_edges', () => {
		expect(binIndexEdges(20, 4)).toEqual([
			[0, 5],
			[5, 10],
			[10, 15],
			[15, 20]
		]);
		// Fewer than 2·bins values: n // 2 bins, the last one taking the rest.
		expect(binIndexEdges(25)).toEqual([...Array.from({ length: 11 }, (_, i) => [2 * i, 2 * i + 2]), [22, 25]]);
		expect(() => binIndexEdges(3)).toThrow(/at least 2 bins/);
	});
});
