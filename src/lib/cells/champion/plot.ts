import * as Plot from '@observablehq/plot';
import type { ChampionReport } from '#lib/stats/ab/index.ts';

const METRIC_LABELS: Record<string, string> = { accuracy: 'accuracy (share of rows right)', mae: 'mean absolute error (label units)' };

/** Champion and challenger metric by time period, with each period's share of the rows. */
export function canaryPlot(report: ChampionReport, names: { champion: string; challenger: string }): Plot.PlotOptions {
	const canary = report.canary!;
	const ms = canary.unit === 'ms';
	const rows = canary.points.flatMap((p) => [
		{ time: ms ? new Date(p.time) : p.time, model: `${names.champion} (champion)`, value: p.champion, n: p.n, share: p.share },
		{ time: ms ? new Date(p.time) : p.time, model: `${names.challenger} (challenger)`, value: p.challenger, n: p.n, share: p.share }
	]);
	return {
		title: `Canary view: ${canary.metric === 'accuracy' ? 'accuracy' : 'mean absolute error'} of both models by period`,
		width: 720,
		height: 300,
		marginLeft: 70,
		grid: true,
		x: { label: ms ? 'time (start of each period, UTC)' : 'time', type: ms ? 'utc' : 'linear' },
		y: { label: METRIC_LABELS[canary.metric] },
		color: { legend: true, label: 'model', range: ['#64748b', '#2563eb'] },
		marks: [
			Plot.lineY(rows, {
				x: 'time',
				y: 'value',
				stroke: 'model',
				marker: 'circle-stroke',
				tip: true,
				title: (d: (typeof rows)[number]) => `${d.model}: ${d.value.toPrecision(3)} on ${d.n} rows (${(100 * d.share).toFixed(1)}% of traffic)`
			})
		]
	};
}

/** Challenger − champion by slice (accuracy or MAE difference), coloured by wins / loses / tie. */
export function slicePlot(report: ChampionReport): Plot.PlotOptions {
	const s = report.slices!;
	const rows = s.rows.map((r) => ({ slice: r.slice, difference: r.difference, outcome: r.outcome, n: r.n }));
	return {
		title: `Where the challenger wins or loses, by ${s.column}`,
		width: 720,
		height: Math.max(140, 28 * rows.length + 80),
		marginLeft: 120,
		x: {
			label:
				s.metric === 'accuracy'
					? 'challenger − champion accuracy (share of rows; > 0 = challenger better)'
					: 'challenger − champion MAE (label units; < 0 = challenger better)',
			grid: true
		},
		y: { label: s.column, domain: rows.map((r) => r.slice) },
		color: { domain: ['wins', 'loses', 'tie'], range: ['#16a34a', '#dc2626', '#94a3b8'], legend: true, label: 'challenger' },
		marks: [Plot.barX(rows, { x: 'difference', y: 'slice', fill: 'outcome', tip: true }), Plot.ruleX([0])]
	};
}
