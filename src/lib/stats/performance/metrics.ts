/**
 * What CBPE reports per metric (NannyML 0.13.1, nannyml/performance_estimation/confidence_based/
 * metrics.py, binary classification): the estimate from calibrated probabilities and predictions,
 * the realized value where labels exist (from the uncalibrated probabilities, as scikit-learn
 * computes it), and the sampling-error components learnt from the reference.
 *
 * The expected confusion matrix of a chunk, with p the calibrated probability of the positive class:
 * TP = Σ_{ŷ=1} p, FP = Σ_{ŷ=1} (1 − p), FN = Σ_{ŷ=0} p, TN = Σ_{ŷ=0} (1 − p); the estimated metrics
 * are the usual ratios of these sums (0 where the denominator is 0). The estimated ROC AUC walks the
 * rows by descending raw score accumulating expected true and false positives (rounded to 5
 * decimals, as NannyML does) and integrates with the trapezoid rule.
 */

import { pairwiseSum, roundHalfEven } from '#lib/stats/float.ts';
import { rocAuc } from '#lib/stats/performance-drift.ts';
import type { ThresholdLimits } from '#lib/stats/chunks/index.ts';
import { numpyArgsort } from './numpy-argsort';
import {
	accuracyComponents,
	aurocComponents,
	confusionCellComponents,
	confusionCellSamplingError,
	f1Components,
	precisionComponents,
	recallComponents,
	samplingError,
	specificityComponents,
	type ConfusionCell,
	type SamplingErrorComponents
} from './sampling-error';
import { tabulate } from './take';

/**
 * The rows of one chunk that a metric can use. `calibrated` and `uncalibrated` are the same array
 * without calibration.
 */
export interface ChunkRows {
	/** One probability column per class; binary: the positive class's alone. */
	calibrated: Float64Array[];
	uncalibrated: Float64Array[];
	/** Binary: 0/1; multiclass: the class index. */
	yPred: Float64Array;
	/** Labels with NaN where missing; null when the data has no label column. */
	yTrue: Float64Array | null;
}

/** One reported series (a metric, or one cell of the confusion matrix). */
export interface MetricComponent {
	name: string;
	/**
	 * What besides the (calibrated) probability it reads: the raw probability (ROC AUC) or the
	 * prediction. NannyML drops the rows missing one of these, per metric (`common_nan_removal`).
	 */
	reads: 'probability' | 'prediction';
	limits: ThresholdLimits;
	/**
	 * How the confidence band of a NaN estimate is clipped to `limits`: NumPy's minimum/maximum
	 * keep NaN (absent: the binary metrics); Python's builtin min/max, which NannyML's multiclass
	 * confusion matrix uses, give the limit (±∞ where there is none).
	 */
	nanBand?: 'limits';
	/** Learns the sampling-error components from the reference; gives a chunk's sampling error. */
	fitSamplingError(yTrue: Float64Array, uncalibrated: Float64Array[], yPred: Float64Array): (rows: ChunkRows) => number;
	estimate(rows: ChunkRows): number;
	/** From labelled rows only (no NaN label). */
	realized(yTrue: Float64Array, uncalibrated: Float64Array[], yPred: Float64Array): number;
}

const UNIT: ThresholdLimits = { lower: 0, upper: 1 };
export const COUNT: ThresholdLimits = { lower: 0, upper: null };

/** A binary metric's view of a chunk: the positive class's probability and 0/1 predictions. */
export interface BinaryRows {
	p: Float64Array;
	yPred: ArrayLike<number>;
}

const binary = (rows: ChunkRows): BinaryRows => ({ p: rows.calibrated[0], yPred: rows.yPred });

/** np.sum(np.where(y_pred == predicted, value(p), 0)) over the whole chunk (pairwise, zeros kept). */
function expectedSum(rows: BinaryRows, predicted: 0 | 1, positive: boolean): number {
	const { p, yPred } = rows;
	const terms = new Float64Array(p.length);
	for (let i = 0; i < p.length; i++) if (yPred[i] === predicted) terms[i] = positive ? p[i] : 1 - p[i];
	return pairwiseSum(terms);
}

const ratio = (num: number, den: number) => (den !== 0 ? num / den : 0);

export function distinct(values: Float64Array): number {
	return new Set(values).size;
}

/** `distinct(values) > 1` without hashing every value into a set: whether any value differs from the first (NaN equal to NaN, as in a Set). */
export function varies(values: Float64Array): boolean {
	const first = values[0];
	for (let i = 1; i < values.length; i++) {
		const v = values[i];
		if (v !== first && (v === v || first === first)) return true;
	}
	return false;
}

interface Confusion {
	tp: number;
	tn: number;
	fp: number;
	fn: number;
}

function confusion(yTrue: Float64Array, yPred: Float64Array): Confusion {
	const c = { tp: 0, tn: 0, fp: 0, fn: 0 };
	for (let i = 0; i < yTrue.length; i++) {
		if (yPred[i] === 1) {
			if (yTrue[i] === 1) c.tp++;
			else c.fp++;
		} else if (yTrue[i] === 1) c.fn++;
		else c.tn++;
	}
	return c;
}

/** scikit-learn's precision / recall / F1 for labels 0/1, NaN where NannyML skips one-class chunks. */
function labelledRatio(kind: 'precision' | 'recall' | 'f1', yTrue: Float64Array, yPred: Float64Array): number {
	if (yTrue.length === 0 || !varies(yTrue) || !varies(yPred)) return NaN;
	const c = confusion(yTrue, yPred);
	const precision = ratio(c.tp, c.tp + c.fp);
	const recall = ratio(c.tp, c.tp + c.fn);
	if (kind === 'precision') return precision;
	if (kind === 'recall') return recall;
	const denominator = precision + recall;
	return (2 * precision * recall) / (denominator === 0 ? 1 : denominator);
}

/** NannyML's `estimate_roc_auc(calibrated, uncalibrated)`. */
export function estimateRocAuc(calibrated: Float64Array, uncalibrated: Float64Array): number {
	const n = calibrated.length;
	const ascending = numpyArgsort(uncalibrated);
	const tps = new Float64Array(n + 1);
	const fps = new Float64Array(n + 1);
	let cumulative = 0;
	for (let k = 0; k < n; k++) {
		cumulative += calibrated[ascending[n - 1 - k]];
		// np.round(x, 5): rint(x · 1e5) / 1e5; fps from the unrounded cumulative sum.
		tps[k + 1] = roundHalfEven(cumulative * 1e5) / 1e5;
		fps[k + 1] = roundHalfEven((1 + k - cumulative) * 1e5) / 1e5;
	}
	const tpr = tabulate(n + 1, (k) => tps[k] / tps[n]);
	const fpr = tabulate(n + 1, (k) => fps[k] / fps[n]);
	// sklearn.metrics.auc: np.trapz, negated when fpr only decreases.
	const terms = new Float64Array(n);
	let increasing = true;
	let decreasing = true;
	for (let k = 0; k < n; k++) {
		const dx = fpr[k + 1] - fpr[k];
		if (dx < 0) increasing = false;
		if (dx > 0) decreasing = false;
		terms[k] = (dx * (tpr[k + 1] + tpr[k])) / 2.0;
	}
	if (!increasing && !decreasing) throw new Error('the estimated ROC curve is neither increasing nor decreasing');
	const area = pairwiseSum(terms);
	return increasing ? area : -area;
}

/** The number of rows a chunk's metric is taken over. */
export const rowCount = (rows: ChunkRows) => rows.yPred.length;

const universal = (c: SamplingErrorComponents) => (rows: ChunkRows) => samplingError(c, rowCount(rows));

function ratioMetric(
	name: string,
	fit: (t: ArrayLike<number>, p: ArrayLike<number>) => SamplingErrorComponents,
	estimate: (rows: BinaryRows) => number,
	realized: (yTrue: Float64Array, yPred: Float64Array) => number
): MetricComponent {
	return {
		name,
		reads: 'prediction',
		limits: UNIT,
		fitSamplingError: (yTrue, _u, yPred) => universal(fit(yTrue, yPred)),
		estimate: (rows) => estimate(binary(rows)),
		realized: (yTrue, _u, yPred) => realized(yTrue, yPred)
	};
}

const rocAucMetric: MetricComponent = {
	name: 'roc_auc',
	reads: 'probability',
	limits: UNIT,
	fitSamplingError: (yTrue, uncalibrated) => universal(aurocComponents(yTrue, uncalibrated[0])),
	estimate: (rows) => estimateRocAuc(rows.calibrated[0], rows.uncalibrated[0]),
	realized: (yTrue, uncalibrated) => (yTrue.length === 0 || !varies(yTrue) ? NaN : rocAuc(yTrue, uncalibrated[0]))
};

/** NannyML's binary estimates, which its multiclass metrics average one-vs-rest. */
export const BINARY_ESTIMATES = {
	f1: (rows: BinaryRows) => {
		const tp = expectedSum(rows, 1, true);
		const fp = expectedSum(rows, 1, false);
		const fn = expectedSum(rows, 0, true);
		return ratio(tp, tp + 0.5 * (fp + fn));
	},
	precision: (rows: BinaryRows) => {
		const tp = expectedSum(rows, 1, true);
		return ratio(tp, tp + expectedSum(rows, 1, false));
	},
	recall: (rows: BinaryRows) => {
		const tp = expectedSum(rows, 1, true);
		return ratio(tp, tp + expectedSum(rows, 0, true));
	},
	specificity: (rows: BinaryRows) => {
		const tn = expectedSum(rows, 0, false);
		return ratio(tn, tn + expectedSum(rows, 1, false));
	}
} as const;

const f1Metric = ratioMetric('f1', f1Components, BINARY_ESTIMATES.f1, (t, p) => labelledRatio('f1', t, p));

const precisionMetric = ratioMetric('precision', precisionComponents, BINARY_ESTIMATES.precision, (t, p) => labelledRatio('precision', t, p));

const recallMetric = ratioMetric('recall', recallComponents, BINARY_ESTIMATES.recall, (t, p) => labelledRatio('recall', t, p));

const specificityMetric = ratioMetric('specificity', specificityComponents, BINARY_ESTIMATES.specificity, (t, p) => {
	if (t.length === 0) return NaN;
	const c = confusion(t, p);
	return c.tn + c.fp === 0 ? NaN : c.tn / (c.tn + c.fp);
});

/** Accuracy's sampling error, binary and multiclass: std of "correct" / sqrt(n). */
export function accuracySamplingError(yTrue: Float64Array, _u: Float64Array[], yPred: Float64Array): (rows: ChunkRows) => number {
	const c = accuracyComponents(yTrue, yPred);
	return (rows) => c.std / Math.sqrt(rowCount(rows));
}

export function realizedAccuracy(yTrue: Float64Array, yPred: Float64Array): number {
	let right = 0;
	for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) right++;
	return right / yTrue.length;
}

const accuracyMetric: MetricComponent = {
	name: 'accuracy',
	reads: 'prediction',
	limits: UNIT,
	fitSamplingError: accuracySamplingError,
	estimate: (rows) => (expectedSum(binary(rows), 1, true) + expectedSum(binary(rows), 0, false)) / rowCount(rows),
	realized: (yTrue, _u, yPred) => (yTrue.length === 0 ? NaN : realizedAccuracy(yTrue, yPred))
};

const CELLS: Record<ConfusionCell, { predicted: 0 | 1; positive: boolean; count: (c: Confusion) => number }> = {
	true_positive: { predicted: 1, positive: true, count: (c) => c.tp },
	true_negative: { predicted: 0, positive: false, count: (c) => c.tn },
	false_positive: { predicted: 1, positive: false, count: (c) => c.fp },
	false_negative: { predicted: 0, positive: true, count: (c) => c.fn }
};

/** One cell of the expected confusion matrix, as counts (NannyML's default, no normalisation). */
function confusionCell(cell: ConfusionCell): MetricComponent {
	const { predicted, positive, count } = CELLS[cell];
	return {
		name: cell,
		reads: 'prediction',
		limits: COUNT,
		fitSamplingError: (yTrue, _u, yPred) => {
			const c = confusionCellComponents(cell, yTrue, yPred);
			return (rows) => confusionCellSamplingError(c, rowCount(rows));
		},
		// np.mean(np.where(...)) * len(y_pred)
		estimate: (rows) => (expectedSum(binary(rows), predicted, positive) / rowCount(rows)) * rowCount(rows),
		realized: (yTrue, _u, yPred) => (yTrue.length === 0 ? NaN : count(confusion(yTrue, yPred)))
	};
}

/** The metrics CBPE estimates for binary classification, in NannyML's names. */
export const CBPE_METRICS = ['roc_auc', 'f1', 'precision', 'recall', 'specificity', 'accuracy', 'confusion_matrix'] as const;
export type CbpeMetric = (typeof CBPE_METRICS)[number];

/** What `driftbook estimate` reports without --metrics. */
export const DEFAULT_CBPE_METRICS: readonly CbpeMetric[] = ['roc_auc', 'f1', 'precision', 'recall', 'accuracy'];

export function isCbpeMetric(name: string): name is CbpeMetric {
	return (CBPE_METRICS as readonly string[]).includes(name);
}

/** The reported series of a metric: one, or the four cells of the confusion matrix. */
export function metricComponents(metric: CbpeMetric): MetricComponent[] {
	switch (metric) {
		case 'roc_auc':
			return [rocAucMetric];
		case 'f1':
			return [f1Metric];
		case 'precision':
			return [precisionMetric];
		case 'recall':
			return [recallMetric];
		case 'specificity':
			return [specificityMetric];
		case 'accuracy':
			return [accuracyMetric];
		case 'confusion_matrix':
			return (['true_positive', 'true_negative', 'false_positive', 'false_negative'] as const).map(confusionCell);
	}
}
