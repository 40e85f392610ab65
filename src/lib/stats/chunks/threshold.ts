/**
 * NannyML 0.13.1's `StandardDeviationThreshold`, `ConstantThreshold` and `calculate_threshold_values`,
 * shared by the calculators that learn alert thresholds from the reference chunks.
 *
 * Over a metric's values on the reference chunks, lower = nanmean − k_lower·nanstd and
 * upper = nanmean + k_upper·nanstd (k = 3 by default, the population standard deviation, NaN
 * chunks left out as np.nanmean / np.nanstd do; sums are NumPy's pairwise sums). A threshold at or
 * beyond the metric's own limit is replaced by the limit (or by null when `overrideUsingNone`, which
 * NannyML uses where a threshold on the limit would only clutter a plot). With no finite reference
 * value the thresholds are NaN, as in NannyML; `alert` is then never raised.
 */

import { pairwiseSum } from '#lib/stats/float.ts';

export interface StdThresholdOptions {
	/** Standard deviations below the mean; null: no lower threshold. Default 3. */
	lowerMultiplier?: number | null;
	/** Standard deviations above the mean; null: no upper threshold. Default 3. */
	upperMultiplier?: number | null;
}

export interface ThresholdLimits {
	/** The metric's smallest possible value (null: unbounded). */
	lower: number | null;
	/** The metric's largest possible value (null: unbounded). */
	upper: number | null;
}

export interface Thresholds {
	lower: number | null;
	upper: number | null;
}

export const DEFAULT_STD_MULTIPLIER = 3;

/** np.nanmean and np.nanstd (ddof = 0), NaN entries counting as 0 in NumPy's pairwise sums. */
export function nanMeanStd(values: ArrayLike<number>): { mean: number; std: number } {
	const n = values.length;
	const filled = new Float64Array(n);
	let count = 0;
	for (let i = 0; i < n; i++) {
		const v = values[i];
		if (Number.isNaN(v)) continue;
		filled[i] = v;
		count++;
	}
	if (count === 0) return { mean: NaN, std: NaN };
	const mean = pairwiseSum(filled) / count;
	const squares = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		if (Number.isNaN(values[i])) continue;
		const d = filled[i] - mean;
		squares[i] = d * d;
	}
	return { mean, std: Math.sqrt(pairwiseSum(squares) / count) };
}

/** `StandardDeviationThreshold(...).thresholds(values)`. */
export function standardDeviationThresholds(values: ArrayLike<number>, options: StdThresholdOptions = {}): Thresholds {
	const lowerMultiplier = options.lowerMultiplier === undefined ? DEFAULT_STD_MULTIPLIER : options.lowerMultiplier;
	const upperMultiplier = options.upperMultiplier === undefined ? DEFAULT_STD_MULTIPLIER : options.upperMultiplier;
	for (const k of [lowerMultiplier, upperMultiplier]) {
		if (k !== null && !(k >= 0)) throw new Error(`a standard deviation multiplier must be 0 or more (got ${k})`);
	}
	const { mean, std } = nanMeanStd(values);
	return {
		lower: lowerMultiplier === null ? null : mean - std * lowerMultiplier,
		upper: upperMultiplier === null ? null : mean + std * upperMultiplier
	};
}

/** `ConstantThreshold(lower, upper).thresholds()`: the values themselves, checked as NannyML checks them. */
export function constantThresholds(constant: Thresholds): Thresholds {
	for (const t of [constant.lower, constant.upper]) {
		if (t !== null && !Number.isFinite(t)) throw new Error(`a constant threshold must be a finite number or none (got ${t})`);
	}
	if (constant.lower !== null && constant.upper !== null && constant.lower >= constant.upper) {
		throw new Error(`the lower threshold ${constant.lower} must be less than the upper threshold ${constant.upper}`);
	}
	return { lower: constant.lower, upper: constant.upper };
}

/**
 * `calculate_threshold_values`: thresholds from the reference values (or `constant` ones, as
 * NannyML's ConstantThreshold), clipped to the metric's limits.
 */
export function referenceThresholds(
	values: ArrayLike<number>,
	limits: ThresholdLimits,
	options: StdThresholdOptions & { overrideUsingNone?: boolean; constant?: Thresholds } = {}
): Thresholds {
	let { lower, upper } = options.constant ? constantThresholds(options.constant) : standardDeviationThresholds(values, options);
	if (limits.lower !== null && lower !== null && lower <= limits.lower) lower = options.overrideUsingNone ? null : limits.lower;
	if (limits.upper !== null && upper !== null && upper >= limits.upper) upper = options.overrideUsingNone ? null : limits.upper;
	return { lower, upper };
}

/** NannyML's `alert`: strictly outside a threshold (NaN values and NaN thresholds never alert). */
export function outside(value: number, thresholds: Thresholds): boolean {
	return (thresholds.lower !== null && value < thresholds.lower) || (thresholds.upper !== null && value > thresholds.upper);
}
