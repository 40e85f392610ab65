import { output, type CellKind } from '#lib/cells/core/types.ts';
import { multivariateCell, type MultivariateValue } from './multivariate';
import MultivariateOutput from './MultivariateOutput.svelte';

export const multivariateKind: CellKind = {
	...multivariateCell,
	template: 'reference: \nanalysis: \nfeatures: ',
	setup:
		'Needs a reference and an analysis table and their feature columns: fill in reference, analysis and features (and "time:" with "chunk: week" to chunk by week).',
	output: output(MultivariateOutput, (value: MultivariateValue) => ({ value })),
	engines: ['db', 'stats']
};
