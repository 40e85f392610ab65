import { describe, expect, it } from 'vitest';
import { columnDistribution, columnFromStrings, histogramCounts, prepareColumn, sturgesEdges, type NumericalData } from '#lib/stats/index.ts';
import { columnsOf, overTime } from './over-time-data';

describe('columnDistribution', () => {
	it('counts numerical values in the Sturges bins, as numpy.histogram on the sorted data', () => {
		const r = columnsOf(overTime.reference, ['x']).x;
		const c = columnsOf(overTime.current, ['x']).x;
		const prepared = prepareColumn(r, c) as NumericalData;
		const d = columnDistribution('x', prepared)!;
		const edges = sturgesEdges(prepared.ref, prepared.cur);
		expect(d.kind).toBe('numerical');
		if (d.kind !== 'numerical') return;
		expect(d.edges).toEqual(Array.from(edges));
		expect(d.reference).toEqual(Array.from(histogramCounts(prepared.ref, edges), (k) => k / prepared.ref.length));
		expect(d.current).toEqual(Array.from(histogramCounts(prepared.cur, edges), (k) => k / prepared.cur.length));
		expect(d.reference_count).toBe(prepared.reference.count);
	});

	it('gives category shares, pooling the rarest beyond the limit', () => {
		const d = columnDistribution('c', prepareColumn(columnFromStrings(['a', 'a', 'b', 'c', 'd', '']), columnFromStrings(['a', 'b', 'b', 'e'])), 3)!;
		expect(d.kind).toBe('categorical');
		if (d.kind === 'numerical') return;
		expect(d.categories).toEqual(['a', 'b', '(3 others)']);
		expect(d.reference).toEqual([0.4, 0.2, 0.4]);
		expect(d.current).toEqual([0.25, 0.5, 0.25]);
		expect(d.pooled).toBe(3);
	});

	it('is null when a sample has no values', () => {
		expect(columnDistribution('c', prepareColumn(columnFromStrings(['', 'NA']), columnFromStrings(['a'])))).toBeNull();
	});
});
