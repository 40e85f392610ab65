import type { CellRunner } from '#lib/cells/core/types.ts';
import { Fields } from '#lib/cells/core/fields.ts';
import type { InputValue } from '#lib/cells/core/input-value.ts';
import { parseFileReference, type FileReference } from '#lib/notebook/file-reference.ts';
import { pickedFile } from '#lib/ingest/sources/picked-files.ts';

export const INPUT_TYPES = ['slider', 'number', 'select', 'text', 'checkbox', 'date', 'daterange', 'file'] as const;
export type InputType = (typeof INPUT_TYPES)[number];

/** An input cell's control, read from its fields; `value` is the default until the user changes it. */
export interface InputSpec {
	type: InputType;
	label: string;
	min?: number;
	max?: number;
	step?: number;
	options?: string[];
	accept?: string;
	/** The file a file input's text names (`value: file:<name>#sha256=…`), restored from this browser. */
	file?: FileReference;
	value: InputValue;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function inputSpec(fields: Fields): InputSpec {
	const type = fields.oneOf('type', INPUT_TYPES, 'text');
	const label = fields.optional('label') ?? fields.cell.name;
	const raw = fields.optional('value');
	switch (type) {
		case 'slider':
		case 'number': {
			const min = fields.number('min') ?? 0;
			const max = fields.number('max') ?? 100;
			if (min > max) throw new Error(`cell ${fields.cell.name}, field "min": ${min} is above max ${max}`);
			return { type, label, min, max, step: fields.number('step') ?? 1, value: fields.number('value') ?? min };
		}
		case 'select': {
			const options = fields.list('options');
			if (!options?.length) throw new Error(`cell ${fields.cell.name}, field "options": list the choices, comma-separated`);
			const value = raw ?? options[0];
			if (!options.includes(value)) throw new Error(`cell ${fields.cell.name}, field "value": "${value}" is not one of the options`);
			return { type, label, options, value };
		}
		case 'checkbox':
			return { type, label, value: raw === 'true' };
		case 'date':
			if (raw && !DATE.test(raw)) throw new Error(`cell ${fields.cell.name}, field "value": "${raw}" is not a YYYY-MM-DD date`);
			return { type, label, value: raw ?? null };
		case 'daterange': {
			const [start = '', end = ''] = (raw ?? '').split('..').map((s) => s.trim());
			if (raw && !(DATE.test(start) && DATE.test(end) && start <= end)) {
				throw new Error(`cell ${fields.cell.name}, field "value": write the range as YYYY-MM-DD..YYYY-MM-DD`);
			}
			return { type, label, value: raw ? { start, end } : null };
		}
		case 'file': {
			let file: FileReference | undefined;
			try {
				file = raw ? parseFileReference(raw) : undefined;
			} catch (error) {
				throw new Error(`cell ${fields.cell.name}, field "value": ${(error as Error).message}`, { cause: error });
			}
			if (raw && !file)
				throw new Error(`cell ${fields.cell.name}, field "value": a file input's value is file:<name>#sha256=<hex>, written when a file is picked`);
			return { type, label, accept: fields.optional('accept'), file, value: null };
		}
		case 'text':
			return { type, label, value: raw ?? '' };
	}
}

export interface InputCellValue {
	spec: InputSpec;
	value: InputValue;
}

/**
 * An input cell's value is the user's latest choice (kept by the notebook, outside the file),
 * or the default written in the cell. Cells that read it get the bare value and re-run when it
 * changes.
 */
export const inputCell: CellRunner = {
	kind: 'input',
	inputs: () => [],
	key: (cell, services) => String(services.inputValue(cell.name)?.version ?? 0),
	expose: (value) => (value as InputCellValue).value,
	async run(cell, _inputs, services): Promise<InputCellValue> {
		const spec = inputSpec(new Fields(cell));
		const chosen = services.inputValue(cell.name);
		if (chosen) return { spec, value: chosen.value };
		// A file the text names comes back from this browser's storage, or the control asks for it.
		if (spec.file) return { spec, value: (await pickedFile(spec.file).catch(() => undefined)) ?? null };
		return { spec, value: spec.value };
	}
};
