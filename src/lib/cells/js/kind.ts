import { output, type CellKind } from '#lib/cells/core/types.ts';
import ValueView from '#lib/components/outputs/ValueView.svelte';
import { jsCell } from './js';

export const jsKind: CellKind = {
	...jsCell,
	template: 'return 42;',
	language: 'javascript',
	editorOpen: true,
	output: output(ValueView, (value: unknown) => ({ value })),
	engines: ['db']
};
