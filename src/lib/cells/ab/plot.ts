import * as Plot from '@observablehq/plot';
import type { AbReport } from '#lib/stats/ab/index.ts';

const OUTCOME_COLORS = { domain: ['better', 'worse', 'inconclusive'], range: ['#16a34a', '#dc2626', '#64748b'] };

/** How differences of this report are shown: percentage points for rates, the metric's units otherwise. */
export function differenceScale(report: AbReport, metric: string, unit?: string): { factor: number; label: string } {
	if (report.test === 'proportion') return { factor: 100, label: `difference in ${metric} rate vs ${report.control} (percentage points)` };
	const what = report.test === 'cuped' ? `CUPED-adjusted mean ${metric}` : `mean ${metric}`;
	return { factor: 1, label: `difference in ${what} vs ${report.control} (${unit ?? `${metric} units`})` };
}

interface ForestRow {
	variant: string;
	estimate: number;
	low: number | null;
	high: number | null;
	outcome: string;
	label: string;
}

/**
 * One row per variant: the difference from control with its interval, a zero line, coloured by
 * outcome. Mann–Whitney has no difference: it shows P(variant value > control value) against 0.5.
 */
export function forestPlot(report: AbReport, metric: string, unit?: string): Plot.PlotOptions {
	const level = `${Number((100 * (1 - report.alpha)).toPrecision(4))}%`;
	const mw = report.test === 'mannwhitney';
	const { factor, label } = differenceScale(report, metric, unit);
	const rows: ForestRow[] = report.variants.map((v) => {
		const estimate = mw ? v.probability_of_superiority! : v.difference! * factor;
		const low = mw || v.ci_low === undefined ? null : v.ci_low * factor;
		const high = mw || v.ci_high === undefined ? null : v.ci_high * factor;
		const p = v.p_value_adjusted ?? v.p_value;
		return {
			variant: v.variant,
			estimate,
			low,
			high,
			outcome: v.outcome,
			label: mw
				? `${v.variant}: P(> ${report.control}) ${estimate.toPrecision(3)}, p ${p.toPrecision(2)}`
				: `${v.variant}: ${estimate.toPrecision(3)} [${low?.toPrecision(3)}, ${high?.toPrecision(3)}], p ${p.toPrecision(2)}`
		};
	});
	const reference = mw ? 0.5 : 0;
	return {
		title: mw
			? `Probability that a ${metric} value of each variant exceeds one of ${report.control}`
			: `Difference from ${report.control} with ${level} confidence intervals`,
		width: 720,
		height: Math.max(140, 40 * rows.length + 80),
		marginLeft: 110,
		x: { label: mw ? 'P(variant value > control value) (probability; 0.5 = no difference)' : label, grid: true, ...(mw ? { domain: [0, 1] } : {}) },
		y: { label: 'variant', domain: rows.map((r) => r.variant) },
		color: { ...OUTCOME_COLORS, legend: true, label: 'outcome' },
		marks: [
			Plot.ruleX([reference], { stroke: '#0f172a', strokeDasharray: '4 3' }),
			...(mw ? [] : [Plot.ruleY(rows, { y: 'variant', x1: 'low', x2: 'high', stroke: 'outcome', strokeWidth: 2.5 })]),
			Plot.dot(rows, { x: 'estimate', y: 'variant', fill: 'outcome', r: 5, tip: true, title: 'label' })
		]
	};
}

interface TimeRow {
	variant: string;
	time: Date | number;
	difference: number;
	seqLow: number;
	seqHigh: number;
}

/**
 * The cumulative difference from control over time per variant, with the always-valid (mSPRT)
 * confidence band: the band, unlike a fixed-horizon interval, may be read at every point.
 */
export function timelinePlot(report: AbReport, metric: string, unit?: string): Plot.PlotOptions {
	const { factor, label } = differenceScale(report, metric, unit);
	const ms = report.time_unit === 'ms';
	const rows: TimeRow[] = (report.timeline ?? []).map((p) => ({
		variant: p.variant,
		time: ms ? new Date(p.time) : p.time,
		difference: p.difference * factor,
		seqLow: Math.max(p.seq_low * factor, -1e300),
		seqHigh: Math.min(p.seq_high * factor, 1e300)
	}));
	const finiteBand = rows.filter((r) => Number.isFinite(r.seqLow) && Number.isFinite(r.seqHigh));
	const level = `${Number((100 * (1 - report.alpha)).toPrecision(4))}%`;
	return {
		title: `Cumulative difference from ${report.control} over time, with the always-valid ${level} band`,
		width: 720,
		height: 320,
		marginLeft: 70,
		grid: true,
		x: { label: ms ? 'time (start of each period, UTC)' : 'time', type: ms ? 'utc' : 'linear' },
		y: { label: `cumulative ${label}` },
		color: { legend: true, label: 'variant' },
		marks: [
			Plot.areaY(finiteBand, { x: 'time', y1: 'seqLow', y2: 'seqHigh', fill: 'variant', fillOpacity: 0.15 }),
			Plot.ruleY([0], { stroke: '#0f172a', strokeDasharray: '4 3' }),
			Plot.lineY(rows, { x: 'time', y: 'difference', stroke: 'variant', marker: 'circle-stroke', tip: true })
		]
	};
}
