import * as Plot from '@observablehq/plot';
import type { PowerValue } from './power.ts';

/** Power against rows per group, with the planned size and target power marked. */
export function powerPlot(value: PowerValue): Plot.PlotOptions {
	return {
		title: `Power to detect a change of ${value.mde.toPrecision(3)} (α = ${value.alpha})`,
		width: 640,
		height: 260,
		grid: true,
		x: { label: 'rows per group (control)', tickFormat: '~s' },
		y: { label: 'power (probability of detecting the change)', domain: [0, 1] },
		marks: [
			Plot.line(value.curve, { x: 'n', y: 'power', stroke: '#2563eb', tip: true }),
			Plot.ruleY([value.power], { stroke: '#64748b', strokeDasharray: '4 3' }),
			Plot.ruleX([value.n], { stroke: '#dc2626' }),
			Plot.text([value], { x: 'n', y: 0.05, text: (d: PowerValue) => ` n = ${d.n.toLocaleString('en-US')}`, textAnchor: 'start', fill: '#dc2626' })
		]
	};
}
