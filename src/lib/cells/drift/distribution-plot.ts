import * as Plot from '@observablehq/plot';
import type { ColumnDistribution } from '#lib/stats/index.ts';

const COLORS = { domain: ['reference', 'current'], range: ['#64748b', '#f97316'] };

function axisLabel(column: string, unit: string | undefined): string {
	return unit ? `${column} (${unit})` : column;
}

/**
 * The reference and current distributions of one column on one plot: histograms on shared bins
 * (numerical) or bars side by side per category, both as shares of each sample's non-missing rows.
 */
export function distributionPlot(d: ColumnDistribution, unit?: string, drifted = false): Plot.PlotOptions {
	const counts = `reference n = ${d.reference_count.toLocaleString('en-US')}, current n = ${d.current_count.toLocaleString('en-US')}`;
	const title = `${d.column}: reference vs current${drifted ? ' (drifted)' : ''}`;
	if (d.kind === 'numerical') {
		const tip = (b: { sample: string; x1: number; x2: number; share: number }) =>
			`${b.sample}: ${(100 * b.share).toFixed(1)}% in [${b.x1.toPrecision(4)}, ${b.x2.toPrecision(4)})`;
		const bins = d.reference.flatMap((share, i) => [
			{ sample: 'reference', x1: d.edges[i], x2: d.edges[i + 1], share },
			{ sample: 'current', x1: d.edges[i], x2: d.edges[i + 1], share: d.current[i] }
		]);
		return {
			title,
			subtitle: counts,
			width: 360,
			height: 220,
			marginLeft: 48,
			x: { label: axisLabel(d.column, unit) },
			y: { label: 'share of rows (%)', percent: true, grid: true },
			color: { ...COLORS, legend: true },
			marks: [
				// Overlaid, not stacked: each sample's bars start at 0; current outlined on top.
				Plot.rect(
					bins.filter((b) => b.sample === 'reference'),
					{ x1: 'x1', x2: 'x2', y1: 0, y2: 'share', fill: 'sample', fillOpacity: 0.55, inset: 0.5, title: tip }
				),
				Plot.rect(
					bins.filter((b) => b.sample === 'current'),
					{ x1: 'x1', x2: 'x2', y1: 0, y2: 'share', fill: 'sample', stroke: 'sample', fillOpacity: 0.25, strokeWidth: 1.5, inset: 0.5, title: tip }
				),
				Plot.ruleY([0])
			]
		};
	}
	const bars = d.categories.flatMap((category, i) => [
		{ sample: 'reference', category, share: d.reference[i] },
		{ sample: 'current', category, share: d.current[i] }
	]);
	return {
		title,
		subtitle: counts + (d.pooled ? `; the ${d.pooled} rarest categories pooled` : ''),
		width: Math.max(360, 40 * d.categories.length + 60),
		height: 220,
		marginLeft: 48,
		marginBottom: 40,
		fx: { label: axisLabel(d.column, unit), domain: d.categories, axis: 'bottom', tickRotate: d.categories.length > 6 ? -30 : 0 },
		x: { axis: null, domain: COLORS.domain },
		y: { label: 'share of rows (%)', percent: true, grid: true },
		color: { ...COLORS, legend: true },
		marks: [
			Plot.barY(bars, {
				fx: 'category',
				x: 'sample',
				y: 'share',
				fill: 'sample',
				title: (b: { sample: string; category: string; share: number }) => `${b.sample}: ${(100 * b.share).toFixed(1)}% ${b.category}`
			}),
			Plot.ruleY([0])
		]
	};
}
