import { output, type CellKind } from '#lib/cells/core/types.ts';
import { modelCell, type ModelValue } from './model';
import { modelRun } from './tracking';
import { registerModel, suggestedModelName } from './register';
import ModelOutput from './ModelOutput.svelte';
import ModelFileDrop from './ModelFileDrop.svelte';

export const modelKind: CellKind = {
	...modelCell,
	template: 'model: /models/churn_lr.onnx\ninput: \nid: \ncolumns: ',
	controls: ModelFileDrop,
	output: output(ModelOutput, (value: ModelValue) => ({ value })),
	track: (value, cell, finishedAt) => modelRun(value as ModelValue, cell, finishedAt),
	registration: { suggestedName: suggestedModelName, register: registerModel },
	engines: ['db'],
	deferred: true
};
