/**
 * Unseen values, as NannyML 0.13.1's `UnseenValuesCalculator`: a chunk's value is its share (or
 * count) of cells whose category the reference never had. A missing cell is unseen unless the
 * reference had missing cells too (pandas' `isin` matches NaN with NaN). The column must be
 * categorical: text, or whole numbers with none missing (pandas' int64, which NannyML turns into
 * categories). Thresholds: none below, 0 above (any unseen value alerts) by default.
 */

import type { Column } from '#lib/stats/column.ts';
import { categoryAt, isWholeNumberColumn } from './values';
import type { QualityMetric } from './calculator';

/** The categories of the reference, and whether it had missing cells. */
export interface SeenCategories {
	categories: string[];
	missing: boolean;
}

export function seenCategories(reference: Column): SeenCategories {
	const categories = new Set<string>();
	let missing = false;
	for (let row = 0; row < reference.values.length; row++) {
		const category = categoryAt(reference, row);
		if (category === null) missing = true;
		else categories.add(category);
	}
	return { categories: [...categories], missing };
}

/** A counter of the cells among rows `start`..`end` (inclusive) outside `seen`. */
export function unseenCounter(seen: SeenCategories): (column: Column, start: number, end: number) => number {
	const known = new Set(seen.categories);
	return (column, start, end) => {
		let count = 0;
		for (let row = start; row <= end; row++) {
			const category = categoryAt(column, row);
			if (category === null ? !seen.missing : !known.has(category)) count++;
		}
		return count;
	};
}

export const unseenValuesMetric: QualityMetric = {
	name: 'unseen_values',
	limits: (normalize) => ({ lower: 0, upper: normalize ? 1 : null }),
	defaultThreshold: { type: 'constant', lower: null, upper: 0 },
	fit(reference, column) {
		if (reference.type === 'number' && !isWholeNumberColumn(reference)) {
			throw new Error(`column "${column}" holds numbers that are not all whole or has missing ones: unseen values need a categorical column`);
		}
		return { count: unseenCounter(seenCategories(reference)) };
	}
};
