import * as Plot from '@observablehq/plot';
import type { DriftOverTime } from '#lib/stats/index.ts';

export interface HeatCell {
	column: string;
	window: string;
	period: 'reference' | 'current';
	statistic: number | null;
	/** The statistic over the largest in its row (0–1), for the colour. */
	relative: number | null;
	drifted: boolean | null;
	text: string;
	tip: string;
}

export function compact(x: number): string {
	if (x === 0) return '0';
	const ax = Math.abs(x);
	if (ax >= 1000 || ax < 0.001) return x.toExponential(1);
	return String(Number(x.toPrecision(2)));
}

function windowAxisLabel(window: string): string {
	if (window === 'week') return 'window: ISO week, by its Monday (UTC)';
	if (window === 'day') return 'window: day (UTC)';
	return `window: ${window} in time order`;
}

export function heatCells(overTime: DriftOverTime): HeatCell[] {
	const cells: HeatCell[] = [];
	for (const col of overTime.columns) {
		const max = Math.max(0, ...col.values.map((v) => (v.statistic === null ? 0 : Math.abs(v.statistic))));
		const t = col.threshold;
		const bound =
			t === null
				? ''
				: t.mode === 'fixed'
					? `threshold ${compact(t.value)}`
					: `learnt bounds ${t.lower === null ? '—' : compact(t.lower)} to ${t.upper === null ? '—' : compact(t.upper)}`;
		col.values.forEach((v, i) => {
			const w = overTime.windows[i];
			const p = v.p_value === null ? '' : `, p ${v.p_value === 0 ? '< 1e-300' : compact(v.p_value)}`;
			cells.push({
				column: col.column,
				window: w.label,
				period: w.period,
				statistic: v.statistic,
				relative: v.statistic === null ? null : max > 0 ? Math.abs(v.statistic) / max : 0,
				drifted: v.drifted,
				text: v.statistic === null ? '–' : compact(v.statistic),
				tip:
					`${col.column} · ${w.period} window ${w.label} (${v.count.toLocaleString('en-US')} values)\n` +
					(v.statistic === null ? (v.note ?? 'no statistic') : `${col.method} ${compact(v.statistic)}${p}; ${bound}; ${v.drifted ? 'drifted' : 'no drift'}`)
			});
		});
	}
	return cells;
}

/**
 * Columns × windows: each cell is the column's test statistic for that window against the whole
 * reference. Statistics of different methods do not share a scale, so the colour is relative to
 * the largest value in the row (the number printed is the statistic itself); drifted windows are
 * outlined in red. A rule separates the reference windows from the current ones.
 */
export function driftHeatmapPlot(overTime: DriftOverTime): Plot.PlotOptions {
	const cells = heatCells(overTime);
	const windows = overTime.windows.map((w) => w.label);
	const rows = overTime.columns.map((c) => `${c.column} (${c.method})`);
	const byColumn = new Map(overTime.columns.map((c) => [c.column, `${c.column} (${c.method})`]));
	const marginLeft = 190;
	const marginRight = 20;
	const width = Math.max(720, marginLeft + marginRight + 56 * windows.length);
	const band = (width - marginLeft - marginRight) / Math.max(1, windows.length);
	const firstCurrent = overTime.windows.find((w) => w.period === 'current');
	const hasReference = overTime.windows.some((w) => w.period === 'reference');
	const thresholds =
		overTime.threshold_mode === 'reference' ? 'thresholds learnt from the reference windows (mean ± 3σ of the statistic)' : "each method's fixed threshold";
	const data = cells.map((c) => ({ ...c, row: byColumn.get(c.column)! }));
	return {
		title: `Drift over time: each column's statistic by ${overTime.window === 'week' || overTime.window === 'day' ? overTime.window : 'window'}`,
		subtitle: `Each window against the whole reference${hasReference ? ' (reference windows first, then current)' : ''}; red outline: drifted, by ${thresholds}.`,
		width,
		height: Math.max(140, 30 * rows.length + 90),
		marginLeft,
		marginRight,
		marginBottom: windows.length > 8 ? 85 : 45,
		padding: 0,
		x: {
			domain: windows,
			label: windowAxisLabel(overTime.window),
			tickRotate: windows.length > 8 ? -35 : 0,
			padding: 0,
			labelOffset: windows.length > 8 ? 78 : 38
		},
		y: { domain: rows, label: 'column (method)' },
		color: { type: 'linear', domain: [0, 1], scheme: 'blues', legend: true, label: "statistic ÷ the row's largest (unitless)" },
		marks: [
			Plot.cell(data, { x: 'window', y: 'row', fill: (d: HeatCell & { row: string }) => d.relative ?? NaN, inset: 1, title: 'tip' }),
			Plot.cell(
				data.filter((d) => d.drifted),
				{ x: 'window', y: 'row', stroke: '#dc2626', strokeWidth: 2.5, inset: 2, fill: 'none' }
			),
			Plot.text(data, {
				x: 'window',
				y: 'row',
				text: 'text',
				fontSize: 10,
				fill: (d: HeatCell) => ((d.relative ?? 0) > 0.6 ? 'white' : '#0f172a')
			}),
			...(firstCurrent && hasReference
				? [Plot.ruleX([firstCurrent.label], { dx: -band / 2, stroke: '#0f172a', strokeWidth: 1.5, strokeDasharray: '4,3' })]
				: [])
		]
	};
}
