import * as Plot from '@observablehq/plot';

/** The unit a logged metric is in, from its name (driftbook's own metric names). */
export function metricUnit(key: string): string {
	if (/rows_per_second$/.test(key)) return 'rows/s';
	if (/_ms$/.test(key)) return 'ms';
	if (/(^|\.)p_value$/.test(key)) return 'p-value';
	if (/drift_share$/.test(key)) return 'share of columns drifted';
	if (/prob_to_beat$/.test(key)) return 'probability';
	if (/relative_lift$/.test(key)) return 'relative lift';
	if (/(^|\.)rows$|(^|\.)n$|drifted_columns$/.test(key)) return 'count';
	return 'value';
}

export interface RunPoint {
	run: string;
	time: Date;
	value: number;
}

/** One metric's latest value in each run, over the runs' start times. */
export function metricAcrossRunsPlot(key: string, points: RunPoint[]): Plot.PlotOptions {
	return {
		title: `${key} across runs`,
		width: 720,
		height: 260,
		grid: true,
		x: { label: 'run start (local time)', type: 'time' },
		y: { label: `${key} (${metricUnit(key)})`, zero: /share|prob|p_value/.test(key) },
		marks: [
			Plot.line(points, { x: 'time', y: 'value', stroke: '#94a3b8' }),
			Plot.dot(points, { x: 'time', y: 'value', fill: '#2563eb', r: 3.5, tip: true, title: (d: RunPoint) => `${d.run}\n${key} = ${d.value}` })
		]
	};
}

export interface StepPoint {
	run: string;
	step: number;
	value: number;
}

/** Every logged value of one metric by step, one line per run. */
export function metricHistoryPlot(key: string, points: StepPoint[]): Plot.PlotOptions {
	return {
		title: `${key} history by step`,
		width: 720,
		height: 260,
		grid: true,
		color: { legend: true },
		x: { label: 'step', tickFormat: 'd' },
		y: { label: `${key} (${metricUnit(key)})`, zero: /share|prob|p_value/.test(key) },
		marks: [
			Plot.line(points, { x: 'step', y: 'value', stroke: 'run', marker: 'circle' }),
			Plot.tip(points, Plot.pointer({ x: 'step', y: 'value', title: (d: StepPoint) => `${d.run}\nstep ${d.step}: ${d.value}` }))
		]
	};
}
