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
 * Inputs: predictions and labels 0/1, probabilities finite. Missing values (NaN) are handled as
 * NannyML does: labels and probabilities are complete on the reference (its calibration check
 * requires it); a metric drops the rows missing what it reads (a prediction, or for ROC AUC the
 * probability), so a missing analysis label only leaves its row out of `realized`. Missing
 * analysis probabilities are refused when calibration is needed (scikit-learn's isotonic
 * regression fails on them in NannyML).
 */

import { outside, referenceThresholds, splitChunks, type Chunk, type Chunking, type Thresholds } from '#lib/stats/chunks/index.ts';
import { calibrate, fitCalibration } from './calibration';
import { metricComponents, type CbpeMetric, type ChunkRows, type MetricComponent } from './metrics';
import type { SamplingErrorComponents } from './sampling-error';
import { take } from './take';

/** The multiplier of the sampling error for confidence bands (NannyML's SAMPLING_ERROR_RANGE). */
export const SAMPLING_ERROR_RANGE = 3;

export interface CbpeData {
	yPredProba: Float64Array;
	yPred: Float64Array;
	/** NaN: no label; null or absent: no label column. */
	yTrue?: Float64Array | null;
}

export interface CbpeOptions {
	metrics: readonly CbpeMetric[];
	/** Default: NannyML's DefaultChunker (10 chunks, then any remainder). */
	chunking?: Chunking;
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
	needs_calibration: boolean;
	/** Per reported series (`confusion_matrix` reports true_positive, true_negative, false_positive, false_negative), reference chunks then analysis chunks. */
	metrics: Record<string, CbpeChunkResult[]>;
}

export type CbpeField = 'y_pred_proba' | 'y_pred' | 'y_true';

/** Bad input: which data set, and where one is at fault the field and the row (0-based). */
export class CbpeInputError extends Error {
	readonly period: 'reference' | 'analysis';
	readonly problem: string;
	readonly field: CbpeField | null;
	readonly row: number | null;

	constructor(period: 'reference' | 'analysis', problem: string, field: CbpeField | null = null, row: number | null = null) {
		super(`${period} data${row === null ? '' : `, row ${row}`}: ${field ? `${field} ` : ''}${problem}`);
		this.name = 'CbpeInputError';
		this.period = period;
		this.problem = problem;
		this.field = field;
		this.row = row;
	}
}

function validate(data: CbpeData, period: 'reference' | 'analysis'): void {
	const n = data.yPredProba.length;
	if (n === 0) throw new CbpeInputError(period, 'has no rows');
	for (const [field, values] of [
		['y_pred', data.yPred],
		['y_true', data.yTrue]
	] as const) {
		if (values && values.length !== n) throw new CbpeInputError(period, `has ${values.length} values for ${n} rows`, field);
	}
	const what = (v: number) => (Number.isNaN(v) ? 'is missing' : `is ${v}`);
	const reference = period === 'reference';
	for (let i = 0; i < n; i++) {
		const p = data.yPredProba[i];
		// NannyML's calibration check refuses missing reference probabilities.
		if (!Number.isFinite(p) && !(Number.isNaN(p) && !reference)) {
			throw new CbpeInputError(period, `${what(p)}; ${reference ? 'every reference row needs' : 'rows need'} a finite probability`, 'y_pred_proba', i);
		}
		const y = data.yPred[i];
		if (y !== 0 && y !== 1 && !Number.isNaN(y)) throw new CbpeInputError(period, `${what(y)}; predictions must be 0 or 1`, 'y_pred', i);
	}
	if (data.yTrue) {
		for (let i = 0; i < n; i++) {
			const y = data.yTrue[i];
			if (Number.isNaN(y) && !reference) continue;
			if (y !== 0 && y !== 1) throw new CbpeInputError(period, `${what(y)}; labels must be 0 or 1${reference ? ' on every reference row' : ''}`, 'y_true', i);
		}
	}
}

/** Where NannyML's isotonic calibration (scikit-learn) fails on missing probabilities. */
function refuseMissingToCalibrate(data: CbpeData): void {
	const i = data.yPredProba.findIndex(Number.isNaN);
	if (i >= 0) {
		throw new CbpeInputError(
			'analysis',
			'is missing; the probabilities need calibration (isotonic regression), which takes no missing values',
			'y_pred_proba',
			i
		);
	}
}

function rowsOf(chunk: Chunk, calibrated: Float64Array, data: CbpeData): ChunkRows {
	const s = chunk.start_index;
	const e = chunk.end_index + 1;
	return {
		calibrated: calibrated.subarray(s, e),
		uncalibrated: data.yPredProba.subarray(s, e),
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
		calibrated: take(rows.calibrated, keep),
		uncalibrated: take(rows.uncalibrated, keep),
		yPred: take(rows.yPred, keep),
		yTrue: rows.yTrue ? take(rows.yTrue, keep) : null
	};
}

/** The rows a metric estimates from: probability and what else it reads present. */
function estimable(component: MetricComponent, rows: ChunkRows): ChunkRows {
	const other = component.reads === 'probability' ? rows.uncalibrated : rows.yPred;
	return select(rows, present([rows.calibrated, other], rows.calibrated.length));
}

/** The realized metric on the rows with a label and what the metric reads; NaN without labels. */
function realized(component: MetricComponent, rows: ChunkRows): number {
	const { yTrue } = rows;
	if (!yTrue) return NaN;
	const other = component.reads === 'probability' ? rows.uncalibrated : rows.yPred;
	const l = select(rows, present([yTrue, other], yTrue.length));
	return component.realized(l.yTrue as Float64Array, l.uncalibrated, l.yPred);
}

interface FittedComponent {
	component: MetricComponent;
	errors: SamplingErrorComponents;
	thresholds: Thresholds;
}

/** `Metric.get_chunk_record`; a failing metric gives NaN throughout, as NannyML's catch-all does. */
function chunkResult(f: FittedComponent, chunk: Chunk, period: CbpeChunkResult['period'], rows: ChunkRows): CbpeChunkResult {
	const { component, errors, thresholds } = f;
	try {
		const usable = estimable(component, rows);
		// No usable row: NaN estimate and error, as NannyML.
		const empty = usable.calibrated.length === 0;
		const value = empty ? NaN : component.estimate(usable);
		const se = empty ? NaN : component.samplingError(errors, usable);
		const { lower: lowerLimit, upper: upperLimit } = component.limits;
		const upper = value + SAMPLING_ERROR_RANGE * se;
		const lower = value - SAMPLING_ERROR_RANGE * se;
		return {
			...chunk,
			period,
			value,
			sampling_error: se,
			realized: realized(component, rows),
			// np.minimum / np.maximum propagate NaN.
			upper_confidence_boundary: upperLimit === null || Number.isNaN(upper) ? upper : Math.min(upperLimit, upper),
			lower_confidence_boundary: lowerLimit === null || Number.isNaN(lower) ? lower : Math.max(lowerLimit, lower),
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

/** CBPE fitted on `reference` (with labels) and run on it and on `analysis`. */
export function cbpe(reference: CbpeData, analysis: CbpeData, options: CbpeOptions): CbpeResult {
	if (!reference.yTrue) throw new CbpeInputError('reference', 'is needed to fit on (labels)', 'y_true');
	validate(reference, 'reference');
	validate(analysis, 'analysis');
	if (options.metrics.length === 0) throw new Error('no metrics to estimate');
	const chunking = options.chunking ?? 'default';
	const referenceChunks = options.chunks?.reference ?? splitChunks(reference.yPredProba.length, chunking);
	const analysisChunks = options.chunks?.analysis ?? splitChunks(analysis.yPredProba.length, chunking);
	const yTrue = reference.yTrue;

	const fitted: FittedComponent[] = [...new Set(options.metrics)].flatMap(metricComponents).map((component) => {
		// Sampling-error components from the reference rows with a prediction (labels and
		// probabilities are complete there); ROC AUC's from every row.
		const keep = component.reads === 'prediction' ? present([reference.yPred], reference.yPred.length) : null;
		const fit = keep
			? { yTrue: take(yTrue, keep), p: take(reference.yPredProba, keep), yPred: take(reference.yPred, keep) }
			: { yTrue, p: reference.yPredProba, yPred: reference.yPred };
		const errors = component.fitComponents(fit.yTrue, fit.p, fit.yPred);
		const perChunk = referenceChunks.map((c) => realized(component, rowsOf(c, reference.yPredProba, reference)));
		return { component, errors, thresholds: referenceThresholds(perChunk, component.limits) };
	});

	const calibration = fitCalibration(yTrue, reference.yPredProba);
	if (calibration.needed) refuseMissingToCalibrate(analysis);
	const metrics: Record<string, CbpeChunkResult[]> = {};
	for (const f of fitted) metrics[f.component.name] = [];
	for (const [period, data, chunks] of [
		['reference', reference, referenceChunks],
		['analysis', analysis, analysisChunks]
	] as const) {
		const calibrated = calibrate(calibration, data.yPredProba);
		for (const chunk of chunks) {
			const rows = rowsOf(chunk, calibrated, data);
			for (const f of fitted) metrics[f.component.name].push(chunkResult(f, chunk, period, rows));
		}
	}
	return { method: 'cbpe', needs_calibration: calibration.needed, metrics };
}
