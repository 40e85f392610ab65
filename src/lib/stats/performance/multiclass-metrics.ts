/**
 * What CBPE reports per metric for multiclass classification (NannyML 0.13.1,
 * nannyml/performance_estimation/confidence_based/metrics.py, `MulticlassClassification*`, and
 * nannyml/sampling_error/multiclass_classification.py). Classes are indices 0 … K − 1 in NannyML's
 * order (sorted class labels); probability column k belongs to class k.
 *
 * Estimates are the macro averages of the binary one-vs-rest estimates (class k's calibrated
 * probability against "predicted k"); accuracy is the mean calibrated probability of the predicted
 * class. Realized values are scikit-learn's macro averages (ROC AUC one-vs-rest), NaN where the
 * labels or the predictions of the chunk hold one class, and ROC AUC NaN where a class has no
 * label in the chunk. Sampling errors combine per-class variances (`multiclassSamplingError`).
 * The confusion matrix reports one series per cell (`confusionCell`).
 */

import { pairwiseSum } from '#lib/stats/float.ts';
import { rocAuc } from '#lib/stats/performance-drift.ts';
import {
	accuracySamplingError,
	BINARY_ESTIMATES,
	COUNT,
	distinct,
	estimateRocAuc,
	realizedAccuracy,
	rowCount,
	varies,
	type CbpeMetric,
	type MetricComponent
} from './metrics';
import {
	aurocObservations,
	classComponents,
	confusionCellSamplingError,
	multiclassConfusionCellComponents,
	multiclassSamplingError,
	ratioObservations
} from './sampling-error';
import { tabulate } from './take';

const UNIT = { lower: 0, upper: 1 };
/** NannyML's correction of the multiclass AUROC sampling error ("underestimated by 20%"). */
const AUROC_ERROR_FACTOR = 1.2;

/** label_binarize(labels, classes).T[k]: 1 where the label is class k. */
const oneVsRest = (labels: ArrayLike<number>, k: number) => tabulate(labels.length, (i) => (labels[i] === k ? 1 : 0));

/** np.mean of the per-class values (K < 8: a plain sum, as NumPy's pairwise sum). */
function macro(classes: number, perClass: (k: number) => number): number {
	return pairwiseSum(tabulate(classes, perClass)) / classes;
}

type RatioKind = keyof typeof BINARY_ESTIMATES;

/** scikit-learn's per-class precision, recall, F1 (0 where undefined) and specificity (NaN). */
function realizedClassRatio(kind: RatioKind, yTrue: Float64Array, yPred: Float64Array, k: number): number {
	let tp = 0;
	let fp = 0;
	let fn = 0;
	for (let i = 0; i < yTrue.length; i++) {
		const actual = yTrue[i] === k;
		const predicted = yPred[i] === k;
		if (actual && predicted) tp++;
		else if (predicted) fp++;
		else if (actual) fn++;
	}
	const tn = yTrue.length - tp - fp - fn;
	const ratio = (num: number, den: number) => (den === 0 ? 0 : num / den);
	const precision = ratio(tp, tp + fp);
	const recall = ratio(tp, tp + fn);
	switch (kind) {
		case 'precision':
			return precision;
		case 'recall':
			return recall;
		case 'specificity':
			return tn / (tn + fp);
		case 'f1': {
			const denominator = precision + recall;
			return (2 * precision * recall) / (denominator === 0 ? 1 : denominator);
		}
	}
}

const oneClass = (yTrue: Float64Array, yPred: Float64Array) => yTrue.length === 0 || !varies(yTrue) || !varies(yPred);

function ratioMetric(kind: RatioKind, classes: number): MetricComponent {
	return {
		name: kind,
		reads: 'prediction',
		limits: UNIT,
		fitSamplingError: (yTrue, _u, yPred) => {
			const components = Array.from({ length: classes }, (_, k) => classComponents(ratioObservations(kind, oneVsRest(yTrue, k), oneVsRest(yPred, k))));
			return (rows) => multiclassSamplingError(components, rowCount(rows));
		},
		estimate: (rows) => macro(classes, (k) => BINARY_ESTIMATES[kind]({ p: rows.calibrated[k], yPred: oneVsRest(rows.yPred, k) })),
		realized: (yTrue, _u, yPred) => (oneClass(yTrue, yPred) ? NaN : macro(classes, (k) => realizedClassRatio(kind, yTrue, yPred, k)))
	};
}

/** np.allclose(1, row sums): scikit-learn's multiclass ROC AUC refuses scores that are not probabilities. */
function checkProbabilities(columns: Float64Array[]): void {
	for (let i = 0; i < columns[0].length; i++) {
		let sum = 0;
		for (const c of columns) sum += c[i];
		if (!(Math.abs(1 - sum) <= 1e-8 + 1e-5 * Math.abs(sum)))
			throw new Error('Target scores need to be probabilities for multiclass roc_auc, i.e. they should sum up to 1.0 over classes');
	}
}

function rocAucMetric(classes: number): MetricComponent {
	return {
		name: 'roc_auc',
		reads: 'probability',
		limits: UNIT,
		fitSamplingError: (yTrue, uncalibrated) => {
			const components = uncalibrated.map((p, k) => classComponents(aurocObservations(oneVsRest(yTrue, k), p)));
			return (rows) => multiclassSamplingError(components, rowCount(rows), AUROC_ERROR_FACTOR);
		},
		estimate: (rows) => {
			// NannyML binarizes the predictions first (label_binarize), though the estimate never reads
			// them; a missing one fails it, and its catch-all reports the chunk as NaN.
			if (rows.yPred.some(Number.isNaN)) throw new Error('label_binarize: a missing prediction');
			return macro(classes, (k) => estimateRocAuc(rows.calibrated[k], rows.uncalibrated[k]));
		},
		realized: (yTrue, uncalibrated) => {
			if (yTrue.length === 0 || distinct(yTrue) !== classes) return NaN;
			checkProbabilities(uncalibrated);
			return macro(classes, (k) => rocAuc(oneVsRest(yTrue, k), uncalibrated[k]));
		}
	};
}

function accuracyMetric(): MetricComponent {
	return {
		name: 'accuracy',
		reads: 'prediction',
		limits: UNIT,
		fitSamplingError: accuracySamplingError,
		// np.max(binarized y_pred · probabilities): the predicted class's probability.
		estimate: (rows) => pairwiseSum(tabulate(rowCount(rows), (i) => rows.calibrated[rows.yPred[i]][i])) / rowCount(rows),
		realized: (yTrue, _u, yPred) => (oneClass(yTrue, yPred) ? NaN : realizedAccuracy(yTrue, yPred))
	};
}

/**
 * One cell of NannyML's expected confusion matrix (`MulticlassClassificationConfusionMatrix`, as
 * counts: its default `normalize_confusion_matrix=None`): the rows predicted `predicted` weighted
 * by the calibrated probability of `truth`. Realized: scikit-learn's count, NaN where the chunk's
 * labels or predictions hold one class; thresholds from the reference chunks' counts, bounded
 * below by 0.
 */
function confusionCell(truth: number, predicted: number, name: string): MetricComponent {
	return {
		name,
		reads: 'prediction',
		limits: COUNT,
		nanBand: 'limits',
		fitSamplingError: (yTrue, _u, yPred) => {
			const c = multiclassConfusionCellComponents(truth, predicted, yTrue, yPred);
			return (rows) => confusionCellSamplingError(c, rowCount(rows));
		},
		// np.mean(np.where(y_pred == predicted, p_truth, 0)) * len(y_pred)
		estimate: (rows) => {
			const n = rowCount(rows);
			const p = rows.calibrated[truth];
			return (pairwiseSum(tabulate(n, (i) => (rows.yPred[i] === predicted ? p[i] : 0))) / n) * n;
		},
		realized: (yTrue, _u, yPred) => {
			if (oneClass(yTrue, yPred)) return NaN;
			let count = 0;
			for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === truth && yPred[i] === predicted) count++;
			return count;
		}
	};
}

/** The metrics CBPE estimates for multiclass classification. */
export const MULTICLASS_CBPE_METRICS = [
	'roc_auc',
	'f1',
	'precision',
	'recall',
	'specificity',
	'accuracy',
	'confusion_matrix'
] as const satisfies readonly CbpeMetric[];

/** NannyML's name of a multiclass confusion-matrix cell. */
export const confusionCellName = (truth: string, predicted: string) => `true_${truth}_pred_${predicted}`;

/**
 * The reported series of a multiclass metric over the classes named `classNames` (by index); the
 * confusion matrix's cells row by row (true class), as NannyML orders them.
 */
export function multiclassMetricComponents(metric: CbpeMetric, classNames: readonly string[]): MetricComponent[] {
	const classes = classNames.length;
	switch (metric) {
		case 'roc_auc':
			return [rocAucMetric(classes)];
		case 'accuracy':
			return [accuracyMetric()];
		case 'confusion_matrix':
			return classNames.flatMap((truth, i) => classNames.map((predicted, j) => confusionCell(i, j, confusionCellName(truth, predicted))));
		default:
			return [ratioMetric(metric, classes)];
	}
}
