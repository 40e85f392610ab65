import * as Plot from '@observablehq/plot';
import type { DriftColumnReport, DriftReport, DriftTestReport } from '#lib/stats/index.ts';

interface Bar {
	column: string;
	effect: number;
	verdict: string;
	method: string;
}

/** What a test's effect size measures (as the statistics library defines it), for the axis label. */
function effectName(kind: DriftColumnReport['kind'], test: DriftTestReport): string {
	if (kind !== 'numerical') return "Cramér's V";
	return test.method === 'ks' ? 'KS D' : 'mean shift in reference SDs';
}

/**
 * One bar per tested column: the effect size of its first test, coloured by the verdict.
 * Effect sizes, not raw statistics, so KS D and a chi-square of 4,750 share one honest axis.
 */
export function driftPlot(report: DriftReport): Plot.PlotOptions {
	const bars: Bar[] = [];
	const names = new Set<string>();
	for (const c of report.columns) {
		const test = c.tests[0];
		if (!test || test.effect_size === undefined || !Number.isFinite(test.effect_size)) continue;
		names.add(effectName(c.kind, test));
		bars.push({ column: c.column, effect: Math.abs(test.effect_size), verdict: c.drifted ? 'drifted' : 'no drift', method: test.method });
	}
	return {
		title: 'Drift by column: effect size of each column’s test',
		width: 720,
		height: Math.max(160, 26 * bars.length + 70),
		marginLeft: 170,
		x: { label: `effect size (${[...names].join('; ')}; unitless)`, grid: true },
		y: { label: 'column', domain: bars.toSorted((a, b) => b.effect - a.effect).map((b) => b.column) },
		color: { domain: ['drifted', 'no drift'], range: ['#dc2626', '#64748b'], legend: true, label: 'verdict' },
		marks: [
			Plot.barX(bars, {
				x: 'effect',
				y: 'column',
				fill: 'verdict',
				tip: true,
				title: (d: Bar) => `${d.column}: ${d.method}, effect ${d.effect.toPrecision(3)}`
			}),
			Plot.ruleX([0])
		]
	};
}
