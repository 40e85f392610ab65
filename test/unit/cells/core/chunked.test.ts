/**
 * What the per-chunk kinds share: the `chunk` field, series from the library's chunk results
 * (NaN as a gap), their long-form results table, and the chart's title, axes and marks.
 */
import { describe, expect, it } from 'vitest';
import { chunkPlot } from '#lib/cells/core/chunk-plot.ts';
import { chunkResultTable, chunkSeries, parseChunkPlan } from '#lib/cells/core/chunked.ts';
import { cbpe } from '#lib/stats/performance/index.ts';
import { mulberry32 } from '../../../support/mulberry32';

describe('parseChunkPlan', () => {
	it('reads weeks, days, rows and chunk counts, NannyML’s 10 chunks by default', () => {
		expect(parseChunkPlan(undefined, false, 'c')).toEqual({ plan: 'default', label: '10 chunks' });
		expect(parseChunkPlan('week', true, 'c')).toEqual({ plan: { period: 'week' }, label: 'week' });
		expect(parseChunkPlan('5,000 rows', false, 'c')).toEqual({ plan: { chunkSize: 5000 }, label: '5,000 rows' });
		expect(parseChunkPlan('8 chunks', false, 'c')).toEqual({ plan: { chunkNumber: 8 }, label: '8 chunks' });
	});

	it('names the cell and field for what it cannot read', () => {
		expect(() => parseChunkPlan('week', false, 'perf')).toThrow('cell perf, field "chunk": chunks by week need a time column (time: <column>)');
		expect(() => parseChunkPlan('fortnight', true, 'perf')).toThrow('cell perf, field "chunk": "fortnight" is not one of: week, day, <N> rows, <N> chunks');
	});
});

function sample(n: number, seed: number) {
	const random = mulberry32(seed);
	const yPredProba = Float64Array.from({ length: n }, () => random());
	const yTrue = yPredProba.map((p) => (random() < p ? 1 : 0));
	return { yPredProba, yPred: yPredProba.map((p) => (p >= 0.5 ? 1 : 0)), yTrue };
}

describe('chunk series, table and chart', () => {
	const reference = sample(2000, 1);
	const analysis = sample(1000, 2);
	// Labels arrived for the first half of the analysis only.
	analysis.yTrue.fill(NaN, 500);
	const result = cbpe(reference, analysis, { metrics: ['accuracy'], chunking: { chunkSize: 250 } });
	const day = 86_400_000;
	const times = result.metrics.accuracy.map((_, i) => ({ start: i * day, end: i * day + day - 1 }));
	const series = chunkSeries(
		{ metric: 'accuracy', label: 'Accuracy', unit: '0–1', valueKind: 'estimated', thresholdRule: 'mean ± 3σ of the reference chunks' },
		result.metrics.accuracy,
		times
	);

	it('keeps every chunk, with its realized value only where labels exist', () => {
		expect(series.points).toHaveLength(12);
		expect(series.points.filter((p) => p.period === 'analysis').map((p) => p.realized !== null)).toEqual([true, true, false, false]);
		expect(series.upper_threshold).toBe(result.metrics.accuracy[0].upper_threshold);
		const table = chunkResultTable([series]);
		expect(table.numRows).toBe(12);
		expect(table.getChild('realized')!.get(11)).toBeNull();
		expect(table.getChild('value')!.get(11)).toBe(result.metrics.accuracy[11].value);
		expect(table.getChild('start_time')!.get(1)).toBe(day);
	});

	it('draws a titled chart with labelled axes, both series in the legend, the band, thresholds and the period shading', () => {
		const options = chunkPlot(series, 'day');
		expect(options.title).toBe('Accuracy per day: estimated (CBPE) and realized');
		expect(options.x).toMatchObject({ type: 'utc', label: 'Time (UTC), chunks at the middle of their rows' });
		expect(options.y).toMatchObject({ label: 'Accuracy (0–1)' });
		expect((options.color as { domain: string[] }).domain).toEqual(['estimated Accuracy', 'realized Accuracy', 'alert']);
		const untimed = chunkPlot({ ...series, points: series.points.map((p) => ({ ...p, start: null, end: null })) }, '250 rows');
		// Whole chunk numbers only: ticks between chunks would print rounded, twice.
		expect(untimed.x).toMatchObject({ label: 'Chunk (250 rows each)', ticks: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] });
		// Shading, its labels, band, two thresholds, value line and points, realized line and points, alerts.
		expect(options.marks).toHaveLength(10);
		expect(options.subtitle).toContain('band: ± 3 sampling errors; dashed red: thresholds (mean ± 3σ of the reference chunks)');
	});

	it('draws no band where the chunks have none (the domain classifier), and says where its thresholds come from', () => {
		const bare = result.metrics.accuracy.map(({ key, period, value, alert, upper_threshold, lower_threshold }) => ({
			key,
			period,
			value,
			alert,
			upper_threshold,
			lower_threshold
		}));
		const unbanded = chunkSeries({ metric: 'auroc', label: 'AUROC', unit: '0–1', valueKind: 'measured', thresholdRule: 'constant, NannyML’s' }, bare, times);
		expect(unbanded.points.every((p) => p.lower === null && p.upper === null)).toBe(true);
		const options = chunkPlot(unbanded, 'day');
		expect(options.subtitle).not.toContain('band');
		expect(options.subtitle).toContain('dashed red: thresholds (constant, NannyML’s)');
		// Shading, its labels, two thresholds, value line and points, alerts.
		expect(options.marks).toHaveLength(7);
	});

	it('draws a share without a band in percent, saying where its thresholds come from, and gives a flat series an axis', () => {
		const shares = [0, 0, 0, 0.02].map((value, i) => ({
			key: `[${i}:${i}]`,
			period: i < 2 ? ('reference' as const) : ('analysis' as const),
			value,
			alert: value > 0,
			upper_threshold: 0,
			lower_threshold: null
		}));
		const meta = {
			metric: 'out_of_range_values_rate:x',
			label: 'Values outside [1, 9] in x',
			unit: "share of the chunk's rows",
			valueKind: 'measured' as const,
			thresholdRule: 'fixed in the suite'
		};
		const share = chunkSeries({ ...meta, percent: true }, shares, []);
		expect(share.points.map((p) => [p.lower, p.upper])).toEqual(Array(4).fill([null, null]));
		const options = chunkPlot(share, '1 rows');
		expect(options.subtitle).toBe('Shaded: reference (left) and analysis chunks; dashed red: thresholds (fixed in the suite); 1 analysis chunk alert');
		// Shading, its labels, one threshold, value line and points, alerts: no band.
		expect(options.marks).toHaveLength(6);
		expect((options.y as { tickFormat: (v: number) => string }).tickFormat(0.02)).toBe('2%');
		const flat = chunkPlot(chunkSeries(meta, shares.slice(0, 3), []), '1 rows');
		expect(flat.y).toMatchObject({ domain: [0, 0.01] });
		expect(options.y).not.toHaveProperty('domain');
	});
});
