import { driftStarter } from '#lib/cells/core/starters.ts';
import { output, type CellKind } from '#lib/cells/core/types.ts';
import { driftCell, type DriftValue } from './drift';
import { driftReportSummary, driftRun } from './tracking';
import DriftOutput from './DriftOutput.svelte';

export const driftKind: CellKind = {
	...driftCell,
	template: 'reference: \ncurrent: \nmethod: auto',
	setup: "Needs a reference and a current table: load data first, then fill in reference and current. A new drift cell starts from the notebook's tables.",
	starter: driftStarter,
	output: output(DriftOutput, (value: DriftValue) => ({ value })),
	track: (value, _cell, finishedAt) => driftRun(value as DriftValue, finishedAt),
	report: (value, cell) => driftReportSummary(value as DriftValue, cell),
	engines: ['db', 'stats']
};
