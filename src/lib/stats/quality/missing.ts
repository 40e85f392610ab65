/**
 * Missing values, as NannyML 0.13.1's `MissingValuesCalculator`: a chunk's value is its share of
 * missing cells (or their count with `normalize: false`), with a sampling error from the
 * reference's missing rate p: √(p(1−p)/n) for a rate, √(p(1−p))·√n for a count. Thresholds are
 * learnt from the reference chunks (mean ± 3σ) by default.
 */

import type { Column } from '#lib/stats/column.ts';
import { isMissingAt } from './values';
import type { QualityMetric } from './calculator';

/** Missing cells among rows `start`..`end` (inclusive). */
export function countMissing(column: Column, start: number, end: number): number {
	let count = 0;
	for (let row = start; row <= end; row++) if (isMissingAt(column, row)) count++;
	return count;
}

export const missingValuesMetric: QualityMetric = {
	name: 'missing_values',
	limits: (normalize) => ({ lower: 0, upper: normalize ? 1 : null }),
	defaultThreshold: { type: 'standard_deviation' },
	fit(reference) {
		const rows = reference.values.length;
		const rate = countMissing(reference, 0, rows - 1) / rows;
		return { count: countMissing, samplingErrorBase: Math.sqrt(rate * (1 - rate)) };
	}
};
