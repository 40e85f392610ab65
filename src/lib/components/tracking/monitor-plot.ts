import * as Plot from '@observablehq/plot';
import type { MonitorEvaluation } from '#lib/contracts/monitors.ts';

export interface MonitorPoint {
	id: number;
	/** The end of the window read (or the evaluation time when the monitor reads all rows). */
	time: Date;
	share: number;
	alerted: boolean;
	label: string;
}

export function monitorPoints(evaluations: readonly MonitorEvaluation[]): MonitorPoint[] {
	return evaluations.map((e) => ({
		id: e.id,
		time: new Date(e.window_end ?? e.evaluated_at),
		share: e.share,
		alerted: e.alerted,
		label: `evaluation ${e.id}: ${e.drifted_columns} of ${e.tested_columns} columns drifted${e.alerted ? ' — alert' : ''}`
	}));
}

/** A monitor's share of drifted columns per evaluation over time, with its alert line; alerts in red. */
export function monitorSharePlot(name: string, evaluations: readonly MonitorEvaluation[], alertShare: number): Plot.PlotOptions {
	const points = monitorPoints(evaluations);
	return {
		title: `${name}: share of columns drifted per evaluation`,
		width: 720,
		height: 260,
		grid: true,
		x: { label: 'window end (local time)', type: 'time' },
		y: { label: 'drifted columns (share of tested, 0–1)', domain: [0, 1] },
		color: { domain: ['no alert', 'alert'], range: ['#2563eb', '#dc2626'], legend: true },
		marks: [
			Plot.ruleY([alertShare], { stroke: '#dc2626', strokeDasharray: '4,3' }),
			Plot.text([alertShare], { y: (d: number) => d, text: () => `alert at ${alertShare}`, frameAnchor: 'right', dy: -6, fill: '#dc2626' }),
			Plot.line(points, { x: 'time', y: 'share', stroke: '#94a3b8' }),
			Plot.dot(points, { x: 'time', y: 'share', r: 4, fill: (d: MonitorPoint) => (d.alerted ? 'alert' : 'no alert'), tip: true, title: 'label' })
		]
	};
}
