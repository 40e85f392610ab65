import * as Plot from '@observablehq/plot';
import type { Monitor, MonitorEvaluation, MonitorKind } from '#lib/contracts/monitors.ts';

export interface MonitorPoint {
	id: number;
	/** The end of the window read (or the evaluation time when the monitor reads all rows). */
	time: Date;
	value: number;
	upper: number | null;
	lower: number | null;
	/** Performance: the metric on the window's labels, where they arrived. */
	realized: number | null;
	alerted: boolean;
	label: string;
}

const format = (x: number | null) => (x === null ? '—' : Number.isInteger(x) ? String(x) : x.toFixed(3));

function describe(e: MonitorEvaluation): string {
	const r = e.report;
	const alert = e.alerted ? ' — alert' : '';
	if (r.kind === 'drift') return `evaluation ${e.id}: ${r.drifted_columns} of ${r.tested_columns} columns drifted${alert}`;
	const realized = r.kind === 'performance' && r.realized !== null ? `, realized ${format(r.realized)}` : '';
	return `evaluation ${e.id}: ${format(e.value)} (thresholds ${format(e.lower_threshold)} – ${format(e.upper_threshold)}) over ${r.rows} rows${realized}${alert}`;
}

export function monitorPoints(evaluations: readonly MonitorEvaluation[]): MonitorPoint[] {
	return evaluations.map((e) => ({
		id: e.id,
		time: new Date(e.window_end ?? e.evaluated_at),
		value: e.value,
		upper: e.upper_threshold,
		lower: e.lower_threshold,
		realized: e.report.kind === 'performance' ? e.report.realized : null,
		alerted: e.alerted,
		label: describe(e)
	}));
}

const HOUR_MS = 3_600_000;

/** Each kind's title and value axis. */
const KIND_AXES: Record<MonitorKind, (m: Monitor) => { title: string; y: string; domain?: [number, number] }> = {
	drift: (m) => ({ title: `${m.name}: share of columns drifted per evaluation`, y: 'drifted columns (share of tested, 0–1)', domain: [0, 1] }),
	performance: (m) => ({ title: `${m.name}: estimated ${m.performance?.metric} per evaluation`, y: `${m.performance?.metric} (0–1)` }),
	multivariate: (m) => ({ title: `${m.name}: PCA reconstruction error per evaluation`, y: 'mean reconstruction error (standardised units)' })
};

/**
 * A monitor's watched value per evaluation over time with the thresholds it was judged against
 * (dashed red: a step per evaluation, since performance and multivariate thresholds are learnt
 * anew for each window's size); alerts in red; a performance monitor's realized metric, where
 * labels arrived, in green.
 */
export function monitorValuePlot(monitor: Monitor, evaluations: readonly MonitorEvaluation[]): Plot.PlotOptions {
	const points = monitorPoints(evaluations);
	const axes = KIND_AXES[monitor.kind](monitor);
	const bound = (key: 'upper' | 'lower') => points.filter((p) => p[key] !== null);
	const realized = points.filter((p) => p.realized !== null);
	const last = points[points.length - 1];
	const times = points.map((p) => p.time.getTime());
	// Evaluations all at one instant (the first one) span no time, and Plot would label the only
	// tick with a UTC ISO timestamp under an axis that says local time: an hour either side instead.
	const instant = times.length > 0 && Math.min(...times) === Math.max(...times) ? times[0] : null;
	const drift = monitor.kind === 'drift';
	const current = [
		...(last?.upper != null ? [{ value: last.upper, label: `${drift ? 'alert at' : 'alert above'} ${format(last.upper)}`, dy: -6 }] : []),
		...(last?.lower != null ? [{ value: last.lower, label: `alert below ${format(last.lower)}`, dy: 12 }] : [])
	];
	return {
		title: axes.title,
		width: 720,
		height: 260,
		grid: true,
		x: {
			label: 'window end (local time)',
			type: 'time',
			...(instant !== null ? { domain: [new Date(instant - HOUR_MS), new Date(instant + HOUR_MS)] } : {})
		},
		y: { label: axes.y, ...(axes.domain ? { domain: axes.domain } : { nice: true, zero: monitor.kind === 'multivariate' }) },
		color: {
			domain: ['no alert', 'alert', ...(realized.length > 0 ? ['realized'] : [])],
			range: ['#2563eb', '#dc2626', '#16a34a'],
			legend: true
		},
		marks: [
			...(['upper', 'lower'] as const).map((key) =>
				Plot.line(bound(key), { x: 'time', y: key, stroke: '#dc2626', strokeDasharray: '4,3', curve: 'step-after' })
			),
			// The latest thresholds across the whole chart: a single evaluation's step line has no length.
			...current.map((t) => Plot.ruleY([t.value], { stroke: '#dc2626', strokeDasharray: '4,3', strokeOpacity: 0.5 })),
			...current.map((t) => Plot.text([t.value], { y: (d: number) => d, text: () => t.label, frameAnchor: 'right', dy: t.dy, fill: '#dc2626' })),
			Plot.line(points, { x: 'time', y: 'value', stroke: '#94a3b8' }),
			Plot.dot(realized, { x: 'time', y: 'realized', r: 3, fill: () => 'realized', symbol: 'diamond' }),
			Plot.dot(points, { x: 'time', y: 'value', r: 4, fill: (d: MonitorPoint) => (d.alerted ? 'alert' : 'no alert'), tip: true, title: 'label' })
		]
	};
}
