import { abStarter } from '#lib/cells/core/starters.ts';
import { output, type CellKind } from '#lib/cells/core/types.ts';
import { abCell, type AbValue } from './ab';
import { abReportSummary, abRun } from './tracking';
import AbOutput from './AbOutput.svelte';

export const abKind: CellKind = {
	...abCell,
	template: 'table: \ngroup: \nmetric: \ncontrol: \ntest: auto',
	starter: abStarter,
	output: output(AbOutput, (value: AbValue) => ({ value })),
	track: (value, _cell, finishedAt) => abRun(value as AbValue, finishedAt),
	report: (value, cell) => abReportSummary(value as AbValue, cell),
	engines: ['db', 'stats']
};
