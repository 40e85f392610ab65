import { abStarter } from '#lib/cells/core/starters.ts';
import { output, type CellKind } from '#lib/cells/core/types.ts';
import { abCell, type AbValue } from './ab';
import { abReportSummary, abRun } from './tracking';
import AbOutput from './AbOutput.svelte';

export const abKind: CellKind = {
	...abCell,
	template: 'table: \ngroup: \nmetric: \ncontrol: \ntest: auto',
	setup:
		"Needs a table with a group column (2 to 10 values) and a metric column: load data first, then fill in table, group, metric and control. A new A/B cell starts from the notebook's tables.",
	starter: abStarter,
	output: output(AbOutput, (value: AbValue) => ({ value })),
	track: (value, _cell, finishedAt) => abRun(value as AbValue, finishedAt),
	report: (value, cell) => abReportSummary(value as AbValue, cell),
	engines: ['db', 'stats']
};
