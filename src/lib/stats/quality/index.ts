/**
 * Data-quality checks: NannyML 0.13.1's missing-value, unseen-value and numerical-range calculators
 * per column and chunk, a value-type check, and check suites learnt from a reference.
 */
import type { Column } from '#lib/stats/column.ts';
import { qualityCalculator, type QualityOptions, type QualityResult } from './calculator';
import { missingValuesMetric } from './missing';
import { unseenValuesMetric } from './unseen';
import { outOfRangeMetric } from './range';

export {
	QualityInputError,
	SAMPLING_ERROR_RANGE,
	type QualityThreshold,
	type QualityOptions,
	type QualityChunk,
	type QualityColumnResult,
	type QualityResult
} from './calculator';
export { valueType, type ValueType, type ValueTypeFinding } from './values';
export { seenCategories, type SeenCategories } from './unseen';
export { valueRange, type ValueRange } from './range';

type Table = Readonly<Record<string, Column>>;

/** NannyML's `MissingValuesCalculator(column_names, normalize, chunker, threshold).fit(reference).calculate(analysis)`. */
export function missingValues(reference: Table, analysis: Table, options: QualityOptions): QualityResult {
	return qualityCalculator(missingValuesMetric, reference, analysis, options);
}

/** NannyML's `UnseenValuesCalculator(...).fit(reference).calculate(analysis)` (categorical columns). */
export function unseenValues(reference: Table, analysis: Table, options: QualityOptions): QualityResult {
	return qualityCalculator(unseenValuesMetric, reference, analysis, options);
}

/** NannyML's `NumericalRangeCalculator(...).fit(reference).calculate(analysis)` (columns of numbers). */
export function numericalRange(reference: Table, analysis: Table, options: QualityOptions): QualityResult {
	return qualityCalculator(outOfRangeMetric, reference, analysis, options);
}
export {
	suiteFromReference,
	runSuite,
	suiteRunner,
	suiteRun,
	parseSuite,
	printSuite,
	boundsText,
	SUITE_MAX_CATEGORIES,
	type QualitySuite,
	type QualityCheck,
	type RateCheckName,
	type SuiteOptions,
	type SuiteRun,
	type CheckOutcome,
	type ChunkValue
} from './suite';
