/**
 * NannyML 0.13.1's sampling error of classification metrics
 * (nannyml/sampling_error/binary_classification.py and multiclass_classification.py). Components come from the reference (with
 * labels); a chunk of n rows then gets std / sqrt(n · fraction), the standard error of a mean of
 * the per-row "observation level" values, taken over the rows the metric depends on. Standard
 * deviations and means are NumPy's (ddof = 0, pairwise sums) over the same arrays NannyML builds.
 * Multiclass keeps per-class variances and combines them (`multiclassSamplingError`).
 */

import { pairwiseSum } from '#lib/stats/float.ts';
import { variance } from '#lib/stats/moments.ts';
import { numpyArgsort } from './numpy-argsort';
import { tabulate } from './take';

export interface SamplingErrorComponents {
	std: number;
	/** The share of reference rows the metric is a mean over (1 for accuracy). */
	fraction: number;
}

/** np.std (ddof = 0); NaN for an empty array. */
export function npStd(values: Float64Array): number {
	return Math.sqrt(variance(values, 0));
}

/**
 * NannyML's multiclass sampling error (`_standard_deviation_of_variances`; AUROC's multiplies it
 * by 1.2): sqrt(Σ_k variance_k / (n · fraction_k)) / K.
 */
export function multiclassSamplingError(components: readonly ClassComponents[], rows: number, factor = 1): number {
	const terms = Float64Array.from(components, (c) => c.variance / (rows * c.fraction));
	return (Math.sqrt(pairwiseSum(terms)) / components.length) * factor;
}

/** `_universal_sampling_error`: std / sqrt(n · fraction). */
export function samplingError(c: SamplingErrorComponents, rows: number): number {
	return c.std / Math.sqrt(rows * c.fraction);
}

/** An array of `ones` ones then `zeros` zeros, each one scaled by `value`. */
function ones(count: number, zeros: number, value = 1): Float64Array {
	const a = new Float64Array(count + zeros);
	a.fill(value, 0, count);
	return a;
}

interface Counts {
	tp: number;
	tn: number;
	fp: number;
	fn: number;
	n: number;
}

function counts(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Counts {
	const c = { tp: 0, tn: 0, fp: 0, fn: 0, n: yTrue.length };
	for (let i = 0; i < yTrue.length; i++) {
		const p = yPred[i] === 1;
		if (yTrue[i] === yPred[i]) {
			if (p) c.tp++;
			else c.tn++;
		} else if (p) c.fp++;
		else c.fn++;
	}
	return c;
}

/** Per-row values a sampling error is the spread of, and the share of rows they cover. */
export interface Observations {
	values: Float64Array;
	fraction: number;
}

/** Multiclass components of one class (one-vs-rest): NannyML keeps the variance, not the std. */
export interface ClassComponents {
	variance: number;
	fraction: number;
}

const spread = (o: Observations): SamplingErrorComponents => ({ std: npStd(o.values), fraction: o.fraction });
export const classComponents = (o: Observations): ClassComponents => ({ variance: variance(o.values, 0), fraction: o.fraction });

/**
 * AUROC as a Mann–Whitney statistic (`auroc_sampling_error_components`): with the rarer class as
 * positive (labels and scores flipped when more than half are positive), rows sorted by score
 * (np.argsort), for the positives at sorted ranks r_1 < r_2 < … (rank 0 left out, as NannyML's
 * `np.unique(...)[1:]` does) the values (r_i − i) / n_neg, fraction n_pos / n.
 */
export function aurocObservations(yTrue: ArrayLike<number>, proba: ArrayLike<number>): Observations {
	const n = yTrue.length;
	let positives = 0;
	for (let i = 0; i < n; i++) positives += yTrue[i];
	let y = yTrue;
	let p = proba;
	if (positives / n > 0.5) {
		y = tabulate(n, (i) => Math.abs(yTrue[i] - 1));
		p = tabulate(n, (i) => 1 - proba[i]);
	}
	const order = numpyArgsort(p);
	const ser: number[] = [];
	let nPos = 0;
	for (let rank = 0; rank < n; rank++) {
		if (y[order[rank]] === 1) {
			nPos++;
			if (rank > 0) ser.push(rank - ser.length);
		}
	}
	const nNeg = n - nPos;
	return { values: Float64Array.from(ser, (s) => s / nNeg), fraction: nPos / n };
}

export function aurocComponents(yTrue: ArrayLike<number>, proba: ArrayLike<number>): SamplingErrorComponents {
	return spread(aurocObservations(yTrue, proba));
}

/**
 * The observation-level values of precision (TP ones, FP zeros), recall (TP, FN), specificity
 * (TN, FP) and, for multiclass, F1 (TP, FN and FP, without the binary correction); fractions of
 * the rows they cover. Labels and predictions 0/1.
 */
export function ratioObservations(kind: 'f1' | 'precision' | 'recall' | 'specificity', yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Observations {
	const c = counts(yTrue, yPred);
	const [hits, misses] = kind === 'f1' ? [c.tp, c.fn + c.fp] : kind === 'precision' ? [c.tp, c.fp] : kind === 'recall' ? [c.tp, c.fn] : [c.tn, c.fp];
	return { values: ones(hits, misses), fraction: (hits + misses) / c.n };
}

export function f1Components(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): SamplingErrorComponents {
	const c = counts(yTrue, yPred);
	const relevant = c.tp + c.fn + c.fp;
	if (relevant === 0) return { std: NaN, fraction: 0 };
	const correcting = relevant / ((c.fn + c.fp) * 0.5 + c.tp);
	return { std: npStd(ones(c.tp, c.fn + c.fp, correcting)), fraction: relevant / c.n };
}

export function precisionComponents(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): SamplingErrorComponents {
	return spread(ratioObservations('precision', yTrue, yPred));
}

export function recallComponents(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): SamplingErrorComponents {
	return spread(ratioObservations('recall', yTrue, yPred));
}

export function specificityComponents(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): SamplingErrorComponents {
	return spread(ratioObservations('specificity', yTrue, yPred));
}

/** Accuracy: std of the 0/1 "correct" column; the error is std / sqrt(n) (fraction 1). */
export function accuracyComponents(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): SamplingErrorComponents {
	const correct = tabulate(yTrue.length, (i) => (yTrue[i] === yPred[i] ? 1 : 0));
	return { std: npStd(correct), fraction: 1 };
}

export type ConfusionCell = 'true_positive' | 'true_negative' | 'false_positive' | 'false_negative';

/**
 * One cell of the unnormalised confusion matrix: std of its 0/1 indicator over the reference; a
 * chunk's error is (std / sqrt(n)) · n, a count's standard error.
 */
export function confusionCellComponents(cell: ConfusionCell, yTrue: ArrayLike<number>, yPred: ArrayLike<number>): SamplingErrorComponents {
	const indicator = tabulate(yTrue.length, (i) => {
		const right = yTrue[i] === yPred[i];
		const predicted = yPred[i] === 1;
		const hit =
			cell === 'true_positive'
				? right && predicted
				: cell === 'true_negative'
					? right && !predicted
					: cell === 'false_positive'
						? !right && predicted
						: !right && !predicted;
		return hit ? 1 : 0;
	});
	return { std: npStd(indicator), fraction: 1 };
}

/**
 * One cell of the multiclass confusion matrix (`multiclass_confusion_matrix_sampling_error_components`,
 * counts): np.std of an array of the reference's rows holding the cell's count of ones, then zeros.
 */
export function multiclassConfusionCellComponents(
	truth: number,
	predicted: number,
	yTrue: ArrayLike<number>,
	yPred: ArrayLike<number>
): SamplingErrorComponents {
	let count = 0;
	for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === truth && yPred[i] === predicted) count++;
	return { std: npStd(ones(count, yTrue.length - count)), fraction: 1 };
}

export function confusionCellSamplingError(c: SamplingErrorComponents, rows: number): number {
	return (c.std / Math.sqrt(rows)) * rows;
}
