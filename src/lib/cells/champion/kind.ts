import { championStarter } from '#lib/cells/core/starters.ts';
import { output, type CellKind } from '#lib/cells/core/types.ts';
import { championCell, type ChampionValue } from './champion';
import { championReportSummary, championRun } from './tracking';
import ChampionOutput from './ChampionOutput.svelte';

export const championKind: CellKind = {
	...championCell,
	template: 'table: \nlabel: \nchampion: \nchallenger: ',
	setup:
		"Needs a table with a 0/1 label column and two prediction columns: load data first, then fill in table, label, champion and challenger. A new champion cell starts from the notebook's tables.",
	starter: championStarter,
	output: output(ChampionOutput, (value: ChampionValue) => ({ value })),
	track: (value, _cell, finishedAt) => championRun(value as ChampionValue, finishedAt),
	report: (value, cell) => championReportSummary(value as ChampionValue, cell),
	engines: ['db', 'stats']
};
