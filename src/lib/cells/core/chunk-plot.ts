/**
 * One chunked series as NannyML draws it: the value per chunk (line and points), its confidence
 * band where it has one, the upper and lower thresholds (dashed red), alerts (red points), the reference chunks
 * shaded apart from the analysis chunks, and, for performance, the realized value where labels
 * exist next to the estimate. The x axis is time (the middle of each chunk's rows) when the cell
 * has a time column, else the chunk's position.
 */
import * as Plot from '@observablehq/plot';
import { formatPercent } from '#lib/format/number.ts';
import type { ChunkPoint, ChunkSeries } from './chunked';

const VALUE_COLOUR = '#2563eb';
const REALIZED_COLOUR = '#0f766e';
const ALERT_COLOUR = '#dc2626';

interface Drawn extends ChunkPoint {
	x: Date | number;
	/** The chunk's extent on the x axis, for the period shading. */
	x1: Date | number;
	x2: Date | number;
}

function placed(points: readonly ChunkPoint[]): { drawn: Drawn[]; timed: boolean } {
	const timed = points.length > 0 && points.every((p) => p.start !== null && p.end !== null);
	const drawn = points.map((p): Drawn => {
		if (!timed) return { ...p, x: p.index + 1, x1: p.index + 0.5, x2: p.index + 1.5 };
		return { ...p, x: new Date((p.start! + p.end!) / 2), x1: new Date(p.start!), x2: new Date(p.end!) };
	});
	return { drawn, timed };
}

function periodExtent(drawn: readonly Drawn[], period: ChunkPoint['period']): { period: string; x1: Date | number; x2: Date | number } | null {
	const of = drawn.filter((d) => d.period === period);
	if (of.length === 0) return null;
	return { period, x1: of[0].x1, x2: of[of.length - 1].x2 };
}

/** The plot of one series; `chunkLabel` says what a chunk is (`week`, `5,000 rows`). */
export function chunkPlot(series: ChunkSeries, chunkLabel: string): Plot.PlotOptions {
	const { drawn, timed } = placed(series.points);
	const values = drawn.filter((d) => d.value !== null);
	const realized = drawn.filter((d) => d.realized !== null);
	const banded = values.filter((d) => d.lower !== null && d.upper !== null);
	const alerts = values.filter((d) => d.alert && d.period === 'analysis');
	const shading = [periodExtent(drawn, 'reference'), periodExtent(drawn, 'analysis')].filter((x) => x !== null);
	const valueName = series.valueKind === 'estimated' ? `estimated ${series.label}` : series.label;
	const names = [valueName, ...(realized.length > 0 ? [`realized ${series.label}`] : []), 'alert'];
	const thresholds = [series.upper_threshold, series.lower_threshold].filter((t): t is number => t !== null);
	const written = (v: number) => (series.percent ? formatPercent(v) : v.toFixed(4));
	const tip = (d: Drawn, what: string, v: number | null) => `${d.period} chunk ${d.key}\n${what}: ${v === null ? '—' : written(v)}`;
	// A flat series (a share that stays 0 with its threshold at 0) still gets a y axis with ticks.
	const ys = [...values.map((d) => d.value as number), ...thresholds];
	const flat = ys.length > 0 && Math.min(...ys) === Math.max(...ys);
	return {
		title: `${series.label} per ${chunkLabel === 'week' || chunkLabel === 'day' ? chunkLabel : 'chunk'}${series.valueKind === 'estimated' ? ': estimated (CBPE) and realized' : ''}`,
		subtitle:
			`Shaded: reference (left) and analysis chunks` +
			(banded.length > 0 ? '; band: ± 3 sampling errors' : '') +
			(thresholds.length > 0 ? `; dashed red: thresholds (${series.thresholdRule})` : '') +
			(alerts.length > 0 ? `; ${alerts.length} analysis chunk${alerts.length === 1 ? '' : 's'} alert` : '; no analysis chunk alerts'),
		width: 720,
		height: 280,
		marginLeft: 60,
		marginBottom: 42,
		x: timed
			? { type: 'utc', label: 'Time (UTC), chunks at the middle of their rows' }
			: { label: `Chunk (${chunkLabel} each)`, tickFormat: 'd', ticks: chunkTicks(drawn.length) },
		y: {
			label: `${series.label} (${series.unit})`,
			grid: true,
			...(series.percent ? { tickFormat: (v: number) => formatPercent(v) } : {}),
			...(flat ? { domain: [ys[0], ys[0] + (Math.abs(ys[0]) || 1) * 0.01] } : {})
		},
		color: { domain: names, range: [VALUE_COLOUR, ...(realized.length > 0 ? [REALIZED_COLOUR] : []), ALERT_COLOUR], legend: true },
		marks: [
			Plot.rectX(shading, { x1: 'x1', x2: 'x2', fill: (d: { period: string }) => (d.period === 'reference' ? '#f1f5f9' : '#fefce8') }),
			Plot.text(shading, {
				x: (d: { x1: Date | number; x2: Date | number }) => midpoint(d.x1, d.x2),
				frameAnchor: 'top',
				dy: 4,
				text: 'period',
				fill: '#475569'
			}),
			...(banded.length > 0 ? [Plot.areaY(banded, { x: 'x', y1: 'lower', y2: 'upper', fill: VALUE_COLOUR, fillOpacity: 0.12 })] : []),
			...thresholds.map((t) => Plot.ruleY([t], { stroke: ALERT_COLOUR, strokeDasharray: '5,4' })),
			Plot.line(values, { x: 'x', y: 'value', stroke: () => valueName }),
			Plot.dot(values, { x: 'x', y: 'value', r: 3, fill: () => valueName, title: (d: Drawn) => tip(d, valueName, d.value) }),
			...(realized.length > 0
				? [
						Plot.line(realized, { x: 'x', y: 'realized', stroke: () => `realized ${series.label}`, strokeDasharray: '2,2' }),
						Plot.dot(realized, {
							x: 'x',
							y: 'realized',
							r: 3,
							symbol: 'square',
							fill: () => `realized ${series.label}`,
							title: (d: Drawn) => tip(d, 'realized', d.realized)
						})
					]
				: []),
			Plot.dot(alerts, {
				x: 'x',
				y: 'value',
				r: 6,
				stroke: () => 'alert',
				strokeWidth: 2,
				fill: 'none',
				title: (d: Drawn) => tip(d, `alert, ${valueName}`, d.value)
			})
		]
	};
}

/**
 * Whole chunk numbers for an untimed axis, at most about a dozen: Plot's own ticks would fall
 * between chunks too (the shading reaches half a chunk either side), and 'd' prints those rounded.
 */
function chunkTicks(chunks: number): number[] {
	const step = Math.max(1, Math.ceil(chunks / 12));
	return Array.from({ length: Math.ceil(chunks / step) }, (_, i) => 1 + i * step);
}

function midpoint(a: Date | number, b: Date | number): Date | number {
	return a instanceof Date && b instanceof Date ? new Date((a.getTime() + b.getTime()) / 2) : ((a as number) + (b as number)) / 2;
}
