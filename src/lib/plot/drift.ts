import * as Plot from '@observablehq/plot';
import type { DriftReport } from '$lib/stats';

interface Bar {
	column: string;
	statistic: number;
	drifted: string;
}

/** One bar per tested column: the first test's statistic, coloured by its verdict. */
export function driftPlot(report: DriftReport): Plot.PlotOptions {
	const bars: Bar[] = report.columns
		.filter((c) => c.tests.length > 0 && Number.isFinite(c.tests[0].statistic))
		.map((c) => ({ column: c.column, statistic: c.tests[0].statistic, drifted: c.drifted ? 'drifted' : 'no drift' }));
	const methods = [...new Set(report.columns.map((c) => c.tests[0]?.method).filter(Boolean))];
	return {
		title: `Drift by column (${methods.join(', ')}): statistic of the first test`,
		width: 720,
		height: Math.max(160, 28 * bars.length + 60),
		marginLeft: 170,
		x: { label: 'statistic (unitless; larger = more different)', grid: true },
		y: { label: 'column', domain: bars.toSorted((a, b) => b.statistic - a.statistic).map((b) => b.column) },
		color: { domain: ['drifted', 'no drift'], range: ['#dc2626', '#64748b'], legend: true, label: 'verdict' },
		marks: [Plot.barX(bars, { x: 'statistic', y: 'column', fill: 'drifted', tip: true }), Plot.ruleX([0])]
	};
}
