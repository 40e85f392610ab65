import * as Plot from '@observablehq/plot';

export const CHART_MARKS = ['line', 'bar', 'dot', 'area'] as const;
export type ChartMark = (typeof CHART_MARKS)[number];

/** A chart cell's settings: one mark of `y` against `x`, optionally split by `color`. */
export interface ChartSpec {
	data: string;
	mark: ChartMark;
	x: string;
	y: string;
	color?: string;
	title: string;
	xLabel?: string;
	yLabel?: string;
}

function markFor(spec: ChartSpec, rows: Record<string, unknown>[]): Plot.Markish {
	const channels = { x: spec.x, y: spec.y, ...(spec.color ? { stroke: spec.color } : {}) };
	switch (spec.mark) {
		case 'line':
			return Plot.lineY(rows, { ...channels, marker: 'circle-stroke', tip: true });
		case 'area':
			return Plot.areaY(rows, { x: spec.x, y: spec.y, ...(spec.color ? { fill: spec.color } : {}), fillOpacity: 0.6 });
		case 'bar':
			return Plot.barY(rows, { x: spec.x, y: spec.y, ...(spec.color ? { fill: spec.color } : {}), tip: true });
		case 'dot':
			return Plot.dot(rows, { ...channels, tip: true });
	}
}

/** Plot options for a chart cell: always a title and labelled axes. */
export function chartPlot(spec: ChartSpec, rows: Record<string, unknown>[]): Plot.PlotOptions {
	return {
		title: spec.title,
		width: 720,
		height: 320,
		marginLeft: 60,
		grid: true,
		x: { label: spec.xLabel ?? spec.x },
		y: { label: spec.yLabel ?? spec.y, zero: spec.mark === 'bar' || spec.mark === 'area' },
		color: spec.color ? { legend: true, label: spec.color } : undefined,
		marks: [markFor(spec, rows), ...(spec.mark === 'bar' ? [Plot.ruleY([0])] : [])]
	};
}
