import { qualityStarter } from '#lib/cells/core/starters.ts';
import { output, type CellKind } from '#lib/cells/core/types.ts';
import { qualityCell, type QualityValue } from './quality';
import QualityOutput from './QualityOutput.svelte';

export const qualityKind: CellKind = {
	...qualityCell,
	template: 'reference: \nanalysis: ',
	setup:
		'Needs a reference and an analysis table: fill in reference and analysis (and "time:" with "chunk: week" to chunk by week). The checks are learnt from the reference. A new quality cell starts from the notebook\'s tables.',
	starter: qualityStarter,
	output: output(QualityOutput, (value: QualityValue, view) => ({ value, cell: view.cell, notebook: view.notebook })),
	engines: ['db', 'stats']
};
