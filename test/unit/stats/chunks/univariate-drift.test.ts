/** Univariate drift per chunk: each chunk's rows tested against the whole reference, as driftColumn tests them. */
import { describe, expect, it } from 'vitest';
import { chunkDrift, sizeChunks } from '#lib/stats/chunks/index.ts';
import { columnFromStrings, driftColumn, type Column } from '#lib/stats/index.ts';
import { mulberry32 } from '../../../support/mulberry32';

const random = mulberry32(7);
const numbers = (n: number, shift: (i: number) => number): Column => ({
	type: 'number',
	values: Float64Array.from({ length: n }, (_, i) => (i % 50 === 0 ? NaN : random() + shift(i)))
});
const colours = (n: number, blue: (i: number) => number) => columnFromStrings(Array.from({ length: n }, (_, i) => (random() < blue(i) ? 'blue' : 'red')));

describe('chunkDrift', () => {
	const reference = { x: numbers(3000, () => 0), c: colours(3000, () => 0.3) };
	const analysis = { x: numbers(2000, (i) => (i >= 1000 ? 0.4 : 0)), c: colours(2000, (i) => (i >= 1500 ? 0.7 : 0.3)) };
	const chunks = sizeChunks(2000, 500);

	it('gives each chunk the statistic and alert driftColumn gives its rows, with a missing chunk as null', async () => {
		const drift = await chunkDrift(reference, analysis, chunks, ['x', 'c'], 'jensenshannon');
		for (const series of drift) {
			const want = chunks.map((c) => {
				const source = analysis[series.column as 'x' | 'c'];
				const rows: Column =
					source.type === 'number'
						? { type: 'number', values: source.values.slice(c.start_index, c.end_index + 1) }
						: { type: 'string', values: Array.from(source.values).slice(c.start_index, c.end_index + 1) };
				return driftColumn(series.column, reference[series.column as 'x' | 'c'], rows, { methods: ['jensenshannon'] }).tests[0];
			});
			expect(series.values).toEqual(want.map((t) => t.statistic));
			expect(series.alerts).toEqual(want.map((t) => t.drifted));
			expect(series.threshold).toBe(0.1);
		}
		expect(drift[0].alerts).toEqual([false, false, true, true]);
		expect(drift[1].alerts).toEqual([false, false, false, true]);
		const gap = await chunkDrift(
			reference,
			{ x: { type: 'number', values: new Float64Array(4).fill(NaN) }, c: analysis.c },
			sizeChunks(4, 2),
			['x'],
			'jensenshannon'
		);
		expect(gap[0].values).toEqual([null, null]);
	});
});
