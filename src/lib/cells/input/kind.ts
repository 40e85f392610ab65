import { output, type CellKind } from '#lib/cells/core/types.ts';
import type { InputValue } from '#lib/cells/core/input-value.ts';
import { inputCell, type InputCellValue } from './input';
import InputControl from './InputControl.svelte';
import { pickFile } from './pick-file';

export const inputKind: CellKind = {
	...inputCell,
	template: 'type: slider\nlabel: Threshold\nmin: 0\nmax: 100\nstep: 1\nvalue: 50',
	output: output(InputControl, (value: InputCellValue, { cell, notebook }) => ({
		name: cell.name,
		value,
		onchange: (v: InputValue) => notebook.setInput(cell.name, v),
		onfile: (file: File) => pickFile(notebook, cell, file)
	}))
};
