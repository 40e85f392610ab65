/**
 * Thresholds learnt from the reference's own window-to-window variation, as NannyML's
 * `StandardDeviationThreshold` does: over the statistic's values on the reference windows,
 * lower = mean − k·σ and upper = mean + k·σ (k = 3, σ the population standard deviation,
 * NumPy's default ddof = 0), each clipped to the range the statistic can take. A window is
 * flagged when its statistic falls outside [lower, upper].
 */

import type { DriftMethod } from './drift-report';

export const DEFAULT_SIGMA_MULTIPLIER = 3;

export interface StatisticRange {
	lower: number | null;
	upper: number | null;
}

/** What each drift statistic can take, to clip learnt thresholds (null: unbounded). */
export const STATISTIC_RANGES: Readonly<Record<DriftMethod, StatisticRange>> = {
	ks: { lower: 0, upper: 1 },
	// U of the reference: at most n_ref · n_cur, which varies with the window.
	mannwhitney: { lower: 0, upper: null },
	// The report's t statistic is |t|.
	ttest: { lower: 0, upper: null },
	cramer_von_mises: { lower: 0, upper: null },
	wasserstein: { lower: 0, upper: null },
	wasserstein_norm: { lower: 0, upper: null },
	energy: { lower: 0, upper: null },
	psi: { lower: 0, upper: null },
	// scipy.spatial.distance.jensenshannon with the natural logarithm: at most sqrt(ln 2).
	jensenshannon: { lower: 0, upper: Math.sqrt(Math.LN2) },
	hellinger: { lower: 0, upper: 1 },
	chisquare: { lower: 0, upper: null },
	// The report's z statistic is |z|.
	ztest: { lower: 0, upper: null },
	fisher_exact: { lower: 0, upper: null }
};

export interface ReferenceThreshold {
	/** Mean of the statistic over the reference windows. */
	mean: number;
	/** Population standard deviation (ddof = 0) over the reference windows. */
	std: number;
	multiplier: number;
	/** null: no lower bound (unbounded below after clipping is impossible, so only for signed statistics). */
	lower: number | null;
	upper: number | null;
	/** Reference windows the bounds were learnt from. */
	windows: number;
}

/** Mean and population standard deviation in two passes (NumPy's np.mean / np.std(ddof=0)). */
export function meanAndStd(values: readonly number[]): { mean: number; std: number } {
	const n = values.length;
	let sum = 0;
	for (const v of values) sum += v;
	const mean = sum / n;
	let ss = 0;
	for (const v of values) ss += (v - mean) * (v - mean);
	return { mean, std: Math.sqrt(ss / n) };
}

/**
 * Bounds from the statistic on each reference window. Non-finite values are left out; at least
 * two finite values are needed (one window has no variation to learn from).
 */
export function referenceThreshold(values: readonly (number | null)[], options: { multiplier?: number; range?: StatisticRange } = {}): ReferenceThreshold {
	const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
	if (finite.length < 2) {
		throw new Error(
			`reference thresholds need the statistic on at least 2 reference windows (got ${finite.length}); use shorter windows or more reference data`
		);
	}
	const multiplier = options.multiplier ?? DEFAULT_SIGMA_MULTIPLIER;
	if (!(multiplier > 0)) throw new Error(`the threshold multiplier must be positive (got ${multiplier})`);
	const { mean, std } = meanAndStd(finite);
	let lower: number | null = mean - multiplier * std;
	let upper: number | null = mean + multiplier * std;
	const range = options.range ?? { lower: null, upper: null };
	if (range.lower !== null && lower < range.lower) lower = range.lower;
	if (range.upper !== null && upper > range.upper) upper = range.upper;
	if (range.lower !== null && lower === range.lower) {
		// Nothing can fall below the statistic's own minimum: no lower alert.
		lower = null;
	}
	return { mean, std, multiplier, lower, upper, windows: finite.length };
}

/** Whether a value falls outside learnt bounds (strictly, as NannyML's alerts). */
export function outsideThreshold(value: number, threshold: Pick<ReferenceThreshold, 'lower' | 'upper'>): boolean {
	if (!Number.isFinite(value)) return false;
	return (threshold.upper !== null && value > threshold.upper) || (threshold.lower !== null && value < threshold.lower);
}

/** Thresholds for a drift method's statistic over the reference windows. */
export function driftThreshold(method: DriftMethod, values: readonly (number | null)[], multiplier?: number): ReferenceThreshold {
	return referenceThreshold(values, { multiplier, range: STATISTIC_RANGES[method] });
}
