/**
 * Multiclass model outputs named as NannyML's `y_pred_proba={class: column}` mapping, written
 * `CLASS=COLUMN,CLASS=COLUMN,…` (the CLI's --y-pred-proba, the performance cell's `probability`),
 * and class labels read from a column as indices into the classes in NannyML's order. One parser
 * for both, so a mapping means the same in a notebook and on the command line.
 */
import { isMissingString, type Column } from '#lib/stats/column.ts';

export interface ClassColumns {
	/** The class labels as Python's sorted() orders them (by code point): NannyML's order. */
	classes: string[];
	/** The probability column of each class, in `classes` order. */
	columns: string[];
}

/** Whether a probability field names one column per class (`CLASS=COLUMN,…`) rather than one column. */
export const isClassMapping = (text: string) => text.includes('=');

/** `CLASS=COLUMN,…` as classes and their columns; an Error saying what is wrong (the caller names the flag or field). */
export function parseClassColumns(text: string): ClassColumns {
	const mapping = new Map<string, string>();
	for (const pair of text.split(',')) {
		const at = pair.indexOf('=');
		const label = pair.slice(0, at).trim();
		const column = pair.slice(at + 1).trim();
		if (at < 0 || label === '' || column === '')
			throw new Error(`"${pair.trim()}" is not CLASS=COLUMN (multiclass: CLASS=COLUMN for every class, comma-separated)`);
		if (mapping.has(label)) throw new Error(`class "${label}" is given twice`);
		mapping.set(label, column);
	}
	if (mapping.size < 2) throw new Error('multiclass needs CLASS=COLUMN for at least 2 classes');
	const classes = [...mapping.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
	return { classes, columns: classes.map((c) => mapping.get(c) as string) };
}

/** A label outside the classes, at `row` (0-based). */
export class UnknownClassError extends Error {
	readonly row: number;
	readonly label: string;

	constructor(row: number, label: string, classes: readonly string[]) {
		super(`row ${row + 1} holds class "${label}", not one of the classes ${classes.join(', ')}`);
		this.name = 'UnknownClassError';
		this.row = row;
		this.label = label;
	}
}

/**
 * Class labels as indices into `classes` (NaN where missing), each compared as the text it is
 * written as: numbers as JavaScript writes them (1, not 1.0), so a class "1" matches the integer 1.
 */
export function classIndices(column: Column, classes: readonly string[]): Float64Array {
	const index = new Map(classes.map((c, k) => [c, k]));
	const text = (i: number): string | null => {
		if (column.type === 'number') return Number.isNaN(column.values[i]) ? null : String(column.values[i]);
		const s = column.values[i];
		return isMissingString(s) ? null : String(s);
	};
	const out = new Float64Array(column.values.length);
	for (let i = 0; i < out.length; i++) {
		const label = text(i);
		if (label === null) out[i] = NaN;
		else {
			const k = index.get(label);
			if (k === undefined) throw new UnknownClassError(i, label, classes);
			out[i] = k;
		}
	}
	return out;
}
