/**
 * Confidence-based performance estimation (CBPE) for binary classification, identical to NannyML
 * 0.13.1's `CBPE(problem_type='classification_binary', ...)` with its defaults: chunking, isotonic
 * calibration when `needs_calibration` says so, thresholds (3 σ of the realized metric over the
 * reference chunks, clipped to the metric's range) and confidence bands (estimate ± 3 sampling
 * errors, clipped the same way).
 *
 * Fitting follows CBPE.fit: every metric learns its sampling-error components and thresholds from
 * the reference with the uncalibrated probabilities, then calibration is decided and fitted, then
 * the reference chunks are estimated like analysis chunks. Reference results come first, then the
 * analysis chunks.
 *
 * Multiclass (`problem_type='classification_multiclass'`, `y_pred_proba` a class → column mapping):
 * `yPredProba` holds one column per class in NannyML's order (sorted class labels), predictions and
 * labels are class indices into it; every class is calibrated one-vs-rest where NannyML's rule says
 * so and the rows renormalised; metrics are NannyML's macro averages (multiclass-metrics.ts).
 *
 * Inputs: predictions and labels 0/1 (multiclass: class indices), probabilities finite. Missing values (NaN) are handled as
 * NannyML does: labels and probabilities are complete on the reference (its calibration check
 * requires it); a metric drops the rows missing what it reads (a prediction, or for ROC AUC the
 * probability), so a missing analysis label only leaves its row out of `realized`. Missing
 * analysis probabilities are refused when calibration is needed (scikit-learn's isotonic
 * regression fails on them in NannyML).
 */

import { outside, referenceThresholds, splitChunks, type Chunk, type Chunking, type Thresholds } from '#lib/stats/chunks/index.ts';
import { calibrate, calibrateClasses, fitCalibration, fitClassCalibrations, type Calibration } from './calibration';
import { metricComponents, type CbpeMetric, type ChunkRows, type MetricComponent } from './metrics';
import { multiclassMetricComponents } from './multiclass-metrics';
import { take } from './take';

/** The multiplier of the sampling error for confidence bands (NannyML's SAMPLING_ERROR_RANGE). */
export const SAMPLING_ERROR_RANGE = 3;

/** Binary: the probability of class 1. Multiclass: one column per class (at least 2). */
export type ProbabilityInput = Float64Array | Float64Array[];

export interface CbpeData<P extends ProbabilityInput = Float64Array> {
	yPredProba: P;
	yPred: Float64Array;
	/** NaN: no label; null or absent: no label column. */
	yTrue?: Float64Array | null;
}

export interface CbpeOptions {
	metrics: readonly CbpeMetric[];
	/** Default: NannyML's DefaultChunker (10 chunks, then any remainder). */
	chunking?: Chunking;
	/**
	 * Multiclass: the class labels (by index), for messages and the confusion matrix's series
	 * (`true_A_pred_B`, as NannyML names them); default: the indices.
	 */
	classNames?: readonly string[];
	/** Chunks given for each data set (`periodChunks`), in place of `chunking`. */
	chunks?: { reference: Chunk[]; analysis: Chunk[] };
}

export interface CbpeChunkResult extends Chunk {
	period: 'reference' | 'analysis';
	value: number;
	sampling_error: number;
	/** NaN where no labels exist or the metric is undefined on them. */
	realized: number;
	upper_confidence_boundary: number;
	lower_confidence_boundary: number;
	upper_threshold: number | null;
	lower_threshold: number | null;
	alert: boolean;
}

export interface CbpeResult {
	method: 'cbpe';
	/** Multiclass: whether any class was calibrated. */
	needs_calibration: boolean;
	/** Multiclass only: per class (index), whether its probabilities were calibrated. */
	class_calibration?: boolean[];
	/**
	 * Per reported series (binary `confusion_matrix` reports true_positive, true_negative,
	 * false_positive, false_negative; multiclass `true_A_pred_B` for every true class A and
	 * predicted class B), reference chunks then analysis chunks.
	 */
	metrics: Record<string, CbpeChunkResult[]>;
}

export type CbpeField = 'y_pred_proba' | 'y_pred' | 'y_true';

/** Bad input: which data set, and where one is at fault the field and the row (0-based). */
export class CbpeInputError extends Error {
	readonly period: 'reference' | 'analysis';
	readonly problem: string;
	readonly field: CbpeField | null;
	readonly row: number | null;
	/** Multiclass `y_pred_proba`: the class (index) whose column is at fault. */
	readonly classIndex: number | null;

	constructor(period: 'reference' | 'analysis', problem: string, field: CbpeField | null = null, row: number | null = null, classIndex: number | null = null) {
		const column = field && classIndex !== null ? `${field}[${classIndex}]` : field;
		super(`${period} data${row === null ? '' : `, row ${row}`}: ${column ? `${column} ` : ''}${problem}`);
		this.name = 'CbpeInputError';
		this.period = period;
		this.problem = problem;
		this.field = field;
		this.row = row;
		this.classIndex = classIndex;
	}
}

/** The probability columns: one per class, or the positive class's alone. */
const probabilityColumns = (data: CbpeData<ProbabilityInput>): Float64Array[] => (Array.isArray(data.yPredProba) ? data.yPredProba : [data.yPredProba]);

function validate(data: CbpeData<ProbabilityInput>, period: 'reference' | 'analysis', classes: number | null): void {
	const columns = probabilityColumns(data);
	const n = data.yPred.length;
	if (n === 0) throw new CbpeInputError(period, 'has no rows');
	if (classes !== null && columns.length !== classes)
		throw new CbpeInputError(period, `has ${columns.length} probability columns for ${classes} classes`, 'y_pred_proba');
	columns.forEach((c, k) => {
		if (c.length !== n) throw new CbpeInputError(period, `has ${c.length} values for ${n} rows`, 'y_pred_proba', null, classes === null ? null : k);
	});
	for (const [field, values] of [
		['y_pred', data.yPred],
		['y_true', data.yTrue]
	] as const) {
		if (values && values.length !== n) throw new CbpeInputError(period, `has ${values.length} values for ${n} rows`, field);
	}
	const what = (v: number) => (Number.isNaN(v) ? 'is missing' : `is ${v}`);
	const reference = period === 'reference';
	const isLabel = (y: number) => (classes === null ? y === 0 || y === 1 : Number.isInteger(y) && y >= 0 && y < classes);
	const labels = classes === null ? '0 or 1' : `class indices 0 to ${classes - 1}`;
	for (let i = 0; i < n; i++) {
		columns.forEach((c, k) => {
			const p = c[i];
			// NannyML's calibration check refuses missing reference probabilities.
			if (!Number.isFinite(p) && !(Number.isNaN(p) && !reference)) {
				const problem = `${what(p)}; ${reference ? 'every reference row needs' : 'rows need'} a finite probability`;
				throw new CbpeInputError(period, problem, 'y_pred_proba', i, classes === null ? null : k);
			}
		});
		const y = data.yPred[i];
		if (!isLabel(y) && !Number.isNaN(y)) throw new CbpeInputError(period, `${what(y)}; predictions must be ${labels}`, 'y_pred', i);
	}
	if (data.yTrue) {
		for (let i = 0; i < n; i++) {
			const y = data.yTrue[i];
			if (Number.isNaN(y) && !reference) continue;
			if (!isLabel(y)) throw new CbpeInputError(period, `${what(y)}; labels must be ${labels}${reference ? ' on every reference row' : ''}`, 'y_true', i);
		}
	}
}

/** NannyML's multiclass fit refuses a reference whose labels miss a class. */
function requireEveryClass(yTrue: Float64Array, classes: number, names: readonly string[] | undefined): void {
	const seen = new Set(yTrue);
	for (let k = 0; k < classes; k++) {
		const name = names ? `"${names[k]}"` : k;
		if (!seen.has(k)) throw new CbpeInputError('reference', `has no row of class ${name}; every class needs reference labels`, 'y_true');
	}
}

/** Where NannyML's isotonic calibration (scikit-learn) fails on missing probabilities. */
function refuseMissingToCalibrate(data: CbpeData<ProbabilityInput>, calibrations: readonly Calibration[], multiclass: boolean): void {
	probabilityColumns(data).forEach((column, k) => {
		const i = calibrations[k].needed ? column.findIndex(Number.isNaN) : -1;
		if (i >= 0) {
			throw new CbpeInputError(
				'analysis',
				'is missing; the probabilities need calibration (isotonic regression), which takes no missing values',
				'y_pred_proba',
				i,
				multiclass ? k : null
			);
		}
	});
}

function rowsOf(chunk: Chunk, calibrated: Float64Array[], data: CbpeData<ProbabilityInput>): ChunkRows {
	const s = chunk.start_index;
	const e = chunk.end_index + 1;
	return {
		calibrated: calibrated.map((c) => c.subarray(s, e)),
		uncalibrated: probabilityColumns(data).map((c) => c.subarray(s, e)),
		yPred: data.yPred.subarray(s, e),
		yTrue: data.yTrue ? data.yTrue.subarray(s, e) : null
	};
}

/** The rows where every value in `columns` is present (all rows: the same arrays). */
function present(columns: Float64Array[], n: number): Int32Array | null {
	let missing = false;
	for (const c of columns) for (let i = 0; i < n && !missing; i++) if (Number.isNaN(c[i])) missing = true;
	if (!missing) return null;
	const keep: number[] = [];
	for (let i = 0; i < n; i++) if (columns.every((c) => !Number.isNaN(c[i]))) keep.push(i);
	return Int32Array.from(keep);
}

function select(rows: ChunkRows, keep: Int32Array | null): ChunkRows {
	if (!keep) return rows;
	return {
		calibrated: rows.calibrated.map((c) => take(c, keep)),
		uncalibrated: rows.uncalibrated.map((c) => take(c, keep)),
		yPred: take(rows.yPred, keep),
		yTrue: rows.yTrue ? take(rows.yTrue, keep) : null
	};
}

/** The rows a metric estimates from: probability and what else it reads present. */
function estimable(component: MetricComponent, rows: ChunkRows): ChunkRows {
	const other = component.reads === 'probability' ? rows.uncalibrated : [rows.yPred];
	return select(rows, present([...rows.calibrated, ...other], rows.yPred.length));
}

/** The realized metric on the rows with a label and what the metric reads; NaN without labels. */
function realized(component: MetricComponent, rows: ChunkRows): number {
	const { yTrue } = rows;
	if (!yTrue) return NaN;
	const other = component.reads === 'probability' ? rows.uncalibrated : [rows.yPred];
	const l = select(rows, present([yTrue, ...other], yTrue.length));
	return component.realized(l.yTrue as Float64Array, l.uncalibrated, l.yPred);
}

interface FittedComponent {
	component: MetricComponent;
	samplingError: (rows: ChunkRows) => number;
	thresholds: Thresholds;
}

/** `Metric.get_chunk_record`; a failing metric gives NaN throughout, as NannyML's catch-all does. */
function chunkResult(f: FittedComponent, chunk: Chunk, period: CbpeChunkResult['period'], rows: ChunkRows): CbpeChunkResult {
	const { component, samplingError, thresholds } = f;
	try {
		const usable = estimable(component, rows);
		// No usable row: NaN estimate and error, as NannyML.
		const empty = usable.yPred.length === 0;
		const value = empty ? NaN : component.estimate(usable);
		const se = empty ? NaN : samplingError(usable);
		const { lower: lowerLimit, upper: upperLimit } = component.limits;
		const upper = value + SAMPLING_ERROR_RANGE * se;
		const lower = value - SAMPLING_ERROR_RANGE * se;
		// np.minimum / np.maximum propagate NaN; Python's min(limit, NaN) is the limit.
		const clip = (band: number, limit: number | null, unbounded: number, pick: (a: number, b: number) => number) => {
			if (Number.isNaN(band)) return component.nanBand === 'limits' ? (limit ?? unbounded) : band;
			return limit === null ? band : pick(limit, band);
		};
		return {
			...chunk,
			period,
			value,
			sampling_error: se,
			realized: realized(component, rows),
			upper_confidence_boundary: clip(upper, upperLimit, Infinity, Math.min),
			lower_confidence_boundary: clip(lower, lowerLimit, -Infinity, Math.max),
			upper_threshold: thresholds.upper,
			lower_threshold: thresholds.lower,
			alert: outside(value, thresholds)
		};
	} catch {
		return {
			...chunk,
			period,
			value: NaN,
			sampling_error: NaN,
			realized: NaN,
			upper_confidence_boundary: NaN,
			lower_confidence_boundary: NaN,
			upper_threshold: NaN,
			lower_threshold: NaN,
			alert: false
		};
	}
}

/**
 * CBPE fitted on `reference` (with labels) and run on it and on `analysis`: binary when
 * `yPredProba` is one column, multiclass when it is one column per class.
 */
export function cbpe<P extends ProbabilityInput>(reference: CbpeData<P>, analysis: CbpeData<P>, options: CbpeOptions): CbpeResult {
	if (!reference.yTrue) throw new CbpeInputError('reference', 'is needed to fit on (labels)', 'y_true');
	const multiclass = Array.isArray(reference.yPredProba);
	const classes = multiclass ? probabilityColumns(reference).length : null;
	if (classes !== null && classes < 2) throw new CbpeInputError('reference', 'needs at least 2 classes', 'y_pred_proba');
	if (classes !== null && options.classNames && options.classNames.length !== classes)
		throw new Error(`${options.classNames.length} class names for ${classes} probability columns`);
	validate(reference, 'reference', classes);
	validate(analysis, 'analysis', classes);
	if (options.metrics.length === 0) throw new Error('no metrics to estimate');
	const yTrue = reference.yTrue;
	if (classes !== null) requireEveryClass(yTrue, classes, options.classNames);
	const chunking = options.chunking ?? 'default';
	const referenceChunks = options.chunks?.reference ?? splitChunks(reference.yPred.length, chunking);
	const analysisChunks = options.chunks?.analysis ?? splitChunks(analysis.yPred.length, chunking);
	const referenceColumns = probabilityColumns(reference);
	const components = (metric: CbpeMetric) =>
		classes === null
			? metricComponents(metric)
			: multiclassMetricComponents(metric, options.classNames ?? Array.from({ length: classes }, (_, k) => String(k)));

	const fitted: FittedComponent[] = [...new Set(options.metrics)].flatMap(components).map((component) => {
		// Sampling-error components from the reference rows with a prediction (labels and
		// probabilities are complete there); ROC AUC's from every row.
		const keep = component.reads === 'prediction' ? present([reference.yPred], reference.yPred.length) : null;
		const fit = keep
			? { yTrue: take(yTrue, keep), p: referenceColumns.map((c) => take(c, keep)), yPred: take(reference.yPred, keep) }
			: { yTrue, p: referenceColumns, yPred: reference.yPred };
		const samplingError = component.fitSamplingError(fit.yTrue, fit.p, fit.yPred);
		const perChunk = referenceChunks.map((c) => realized(component, rowsOf(c, referenceColumns, reference)));
		return { component, samplingError, thresholds: referenceThresholds(perChunk, component.limits) };
	});

	const calibrations = classes === null ? [fitCalibration(yTrue, referenceColumns[0])] : fitClassCalibrations(yTrue, referenceColumns);
	refuseMissingToCalibrate(analysis, calibrations, multiclass);
	const calibrateAll = (columns: Float64Array[]) => (classes === null ? [calibrate(calibrations[0], columns[0])] : calibrateClasses(calibrations, columns));
	const metrics: Record<string, CbpeChunkResult[]> = {};
	for (const f of fitted) metrics[f.component.name] = [];
	for (const [period, data, chunks] of [
		['reference', reference, referenceChunks],
		['analysis', analysis, analysisChunks]
	] as const) {
		const calibrated = calibrateAll(probabilityColumns(data));
		for (const chunk of chunks) {
			const rows = rowsOf(chunk, calibrated, data);
			for (const f of fitted) metrics[f.component.name].push(chunkResult(f, chunk, period, rows));
		}
	}
	const needed = calibrations.map((c) => c.needed);
	return {
		method: 'cbpe',
		needs_calibration: needed.some(Boolean),
		...(classes === null ? {} : { class_calibration: needed }),
		metrics
	};
}
