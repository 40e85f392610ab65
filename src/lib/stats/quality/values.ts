/**
 * How the data-quality checks read a column's cells, whichever reader made the column (number
 * columns from DuckDB or Arrow, string columns from the JS CSV reader).
 *
 * Missing: NaN in a number column, what `isMissingString` calls missing in a string column (empty,
 * NA, NaN, null), as pandas' `read_csv` reads them.
 *
 * Value type, what the type-change check reads (not NannyML's; driftbook's definition: a column of
 * numbers in the reference changed type when it holds text in the current data):
 * - `number`: every non-missing cell is a finite number (a number column, or text that reads as one);
 * - `text`: at least one non-missing cell is not a number;
 * - `empty`: every cell is missing (nothing to tell the type by).
 */

import { isMissingString, type Column } from '#lib/stats/column.ts';
import { parseNumber } from '#lib/stats/column-kind.ts';

export type ValueType = 'number' | 'text' | 'empty';

export interface ValueTypeFinding {
	type: ValueType;
	/** For `text`: the first cell that is not a number, and its row (0-based). */
	example: { value: string; row: number } | null;
}

export function isMissingAt(column: Column, row: number): boolean {
	return column.type === 'number' ? Number.isNaN(column.values[row]) : isMissingString(column.values[row]);
}

/** A cell as a number: NaN when missing or not a number. */
export function numberAt(column: Column, row: number): number {
	if (column.type === 'number') return column.values[row];
	const s = column.values[row];
	return isMissingString(s) ? NaN : parseNumber(String(s));
}

/** A cell as a category (`String(n)` for numbers), null when missing. */
export function categoryAt(column: Column, row: number): string | null {
	if (column.type === 'number') {
		const x = column.values[row];
		return Number.isNaN(x) ? null : String(x);
	}
	const s = column.values[row];
	return isMissingString(s) ? null : String(s);
}

/** The column's value type (see the module comment). */
export function valueType(column: Column): ValueTypeFinding {
	const n = column.values.length;
	let seen = false;
	for (let row = 0; row < n; row++) {
		if (isMissingAt(column, row)) continue;
		seen = true;
		if (column.type === 'string' && !Number.isFinite(numberAt(column, row))) {
			return { type: 'text', example: { value: String(column.values[row]), row } };
		}
	}
	return { type: seen ? 'number' : 'empty', example: null };
}

/** Whether NannyML reads the column as pandas' int64 (whole numbers, none missing): categorical for unseen values. */
export function isWholeNumberColumn(column: Column): boolean {
	if (column.type !== 'number' || column.values.length === 0) return false;
	for (const x of column.values) if (!Number.isInteger(x)) return false;
	return true;
}
