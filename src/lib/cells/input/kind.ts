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
	})),
	showsItself: true,
	neededFile(value, readonly) {
		const { spec, value: chosen } = value as InputCellValue;
		if (spec.type !== 'file' || chosen !== null || !(spec.file || readonly)) return undefined;
		return { name: spec.file?.name, label: spec.label, supply: pickFile };
	}
};
