import { output, type CellKind } from '#lib/cells/core/types.ts';
import { performanceCell, type PerformanceValue } from './performance';
import PerformanceOutput from './PerformanceOutput.svelte';

export const performanceKind: CellKind = {
	...performanceCell,
	template: 'reference: \nanalysis: \nprobability: \ntarget: \nmetrics: roc_auc, accuracy',
	setup:
		'Needs a reference table with labels and an analysis table, both with the model\'s probability: fill in reference, analysis, probability and target (and "time:" with "chunk: week" to chunk by week). Multiclass: "probability: cat=p_cat, dog=p_dog, …" (one column per class) and "prediction:" (the predicted class); "confusion_matrix" among the metrics shows the estimated confusion matrix.',
	output: output(PerformanceOutput, (value: PerformanceValue) => ({ value })),
	engines: ['db', 'stats']
};
