import { output, type CellKind } from '#lib/cells/core/types.ts';
import { powerCell, type PowerValue } from './power';
import PowerOutput from './PowerOutput.svelte';

export const powerKind: CellKind = {
	...powerCell,
	template: 'metric: proportion\nbaseline: 0.1\nmde: 0.01\nalpha: 0.05\npower: 0.8',
	output: output(PowerOutput, (value: PowerValue) => ({ value }))
};
