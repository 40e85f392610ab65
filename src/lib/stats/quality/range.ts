/**
 * Values out of range, as NannyML 0.13.1's `NumericalRangeCalculator`: a chunk's value is its share
 * (or count) of numbers below the reference's minimum or above its maximum; missing cells are never
 * out of range. The column must hold numbers. Thresholds: none below, 0 above (any value out of
 * range alerts) by default.
 */

import type { Column } from '#lib/stats/column.ts';
import { numberAt, valueType } from './values';
import type { QualityMetric } from './calculator';

/** The reference's smallest and largest number (NaN for a column without one). */
export interface ValueRange {
	min: number;
	max: number;
}

export function valueRange(reference: Column): ValueRange {
	let min = NaN;
	let max = NaN;
	for (let row = 0; row < reference.values.length; row++) {
		const x = numberAt(reference, row);
		if (Number.isNaN(x)) continue;
		if (!(x >= min)) min = x;
		if (!(x <= max)) max = x;
	}
	return { min, max };
}

/** A counter of the numbers among rows `start`..`end` (inclusive) outside `range`. */
export function outOfRangeCounter(range: ValueRange): (column: Column, start: number, end: number) => number {
	return (column, start, end) => {
		let count = 0;
		for (let row = start; row <= end; row++) {
			const x = numberAt(column, row);
			if (x < range.min || x > range.max) count++;
		}
		return count;
	};
}

export const outOfRangeMetric: QualityMetric = {
	name: 'out_of_range_values',
	limits: (normalize) => ({ lower: 0, upper: normalize ? 1 : null }),
	defaultThreshold: { type: 'constant', lower: null, upper: 0 },
	fit(reference, column) {
		if (valueType(reference).type === 'text') throw new Error(`column "${column}" holds text: values out of range need a column of numbers`);
		return { count: outOfRangeCounter(valueRange(reference)) };
	}
};
