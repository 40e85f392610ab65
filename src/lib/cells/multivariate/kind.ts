import { output, type CellKind } from '#lib/cells/core/types.ts';
import { multivariateCell, type MultivariateValue } from './multivariate';
import MultivariateOutput from './MultivariateOutput.svelte';

export const multivariateKind: CellKind = {
	...multivariateCell,
	template: 'reference: \nanalysis: \nfeatures: \nmethod: pca_reconstruction',
	setup:
		'Needs a reference and an analysis table and their feature columns: fill in reference, analysis and features (and "time:" with "chunk: week" to chunk by week). "method:" is pca_reconstruction (fast) or domain_classifier (a classifier per chunk and fold: slower, and it says which features drive the drift).',
	output: output(MultivariateOutput, (value: MultivariateValue) => ({ value })),
	engines: ['db', 'stats']
};
