import { driftStarter } from '#lib/cells/core/starters.ts';
import { output, type CellKind } from '#lib/cells/core/types.ts';
import { driftCell, type DriftValue } from './drift';
import { driftReportSummary, driftRun } from './tracking';
import DriftOutput from './DriftOutput.svelte';

export const driftKind: CellKind = {
	...driftCell,
	template: 'reference: \ncurrent: \nmethod: auto',
	starter: driftStarter,
	output: output(DriftOutput, (value: DriftValue) => ({ value })),
	track: (value, _cell, finishedAt) => driftRun(value as DriftValue, finishedAt),
	report: (value, cell) => driftReportSummary(value as DriftValue, cell),
	engines: ['db', 'stats']
};
