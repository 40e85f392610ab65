import * as Plot from '@observablehq/plot';
import type { DriftWindow, MetricSeries } from '#lib/stats/index.ts';

interface Point {
	window: string;
	value: number;
	period: string;
	drifted: boolean | null;
}

/** One metric by window: the line, the reference value, learnt bounds when there are any, flagged windows in red. */
export function performancePlot(series: MetricSeries, windows: readonly DriftWindow[], unitLabel: string): Plot.PlotOptions {
	const points: Point[] = series.windows
		.filter((w) => w.value !== null)
		.map((w) => ({ window: windows[w.window]?.label ?? String(w.window), value: w.value!, period: w.period, drifted: w.drifted }));
	const t = series.threshold;
	const bounded = series.metric === 'auc' || series.metric === 'accuracy';
	return {
		title: `${series.label} by window`,
		subtitle:
			`Reference ${series.reference === null ? '—' : series.reference.toFixed(3)}, current ${series.current === null ? '—' : series.current.toFixed(3)}` +
			'; solid line: the whole reference' +
			(t ? `; dashed: mean ± ${t.multiplier}σ over the reference windows, red dots outside` : ''),
		width: 720,
		height: 240,
		marginLeft: 56,
		marginBottom: windows.length > 8 ? 80 : 45,
		x: {
			domain: windows.map((w) => w.label),
			label: unitLabel,
			type: 'point',
			tickRotate: windows.length > 8 ? -35 : 0,
			labelOffset: windows.length > 8 ? 74 : 38
		},
		y: { label: `${series.label}${bounded ? ' (0–1)' : ' (target units)'}`, grid: true },
		color: { domain: ['no alert', 'drifted'], range: ['#0f766e', '#dc2626'], legend: t !== null },
		marks: [
			...(t && t.upper !== null ? [Plot.ruleY([t.upper], { stroke: '#94a3b8', strokeDasharray: '4,3' })] : []),
			...(t && t.lower !== null ? [Plot.ruleY([t.lower], { stroke: '#94a3b8', strokeDasharray: '4,3' })] : []),
			...(series.reference !== null ? [Plot.ruleY([series.reference], { stroke: '#64748b' })] : []),
			Plot.line(points, { x: 'window', y: 'value', stroke: '#0f766e' }),
			Plot.dot(points, {
				x: 'window',
				y: 'value',
				r: 4,
				fill: (p: Point) => (p.drifted ? 'drifted' : 'no alert'),
				title: (p: Point) => `${p.period} ${p.window}: ${p.value.toFixed(4)}${p.drifted ? ' (outside the learnt bounds)' : ''}`
			})
		]
	};
}
