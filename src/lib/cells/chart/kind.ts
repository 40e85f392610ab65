import { chartStarter } from '#lib/cells/core/starters.ts';
import { output, type CellKind } from '#lib/cells/core/types.ts';
import PlotView from '#lib/components/outputs/PlotView.svelte';
import { chartCell, type ChartValue } from './chart';
import { chartPlot } from './plot';
import ChartForm from './ChartForm.svelte';

export const chartKind: CellKind = {
	...chartCell,
	template: 'data: \nmark: line\nx: \ny: \ntitle: ',
	setup: "Needs a table with a numeric column: load data first, then fill in data, x and y. A new chart cell starts from the notebook's tables.",
	starter: chartStarter,
	form: ChartForm,
	output: output(PlotView, (chart: ChartValue) => ({ options: chartPlot(chart.spec, chart.rows) })),
	engines: ['db']
};
