/**
 * Multivariate drift by PCA data reconstruction, identical to NannyML 0.13.1's
 * `DataReconstructionDriftCalculator` with its defaults.
 *
 * Fitting on the reference: missing values are imputed (continuous features with their mean,
 * categorical ones with their most frequent value, the smallest on ties as scikit-learn's
 * SimpleImputer), categories become their share of the reference rows (category_encoders'
 * `CountEncoder(normalize=True)`; a category the reference never had becomes 0), every feature is
 * standardised (StandardScaler, population standard deviation) and PCA keeps the components that
 * explain 65% of the variance. A chunk's value is the mean distance of its rows to their
 * reconstruction from those components; its sampling error is their standard deviation (ddof 1)
 * over √rows. Thresholds are 3 σ of the reference chunks' values (no lower threshold when that
 * falls to 0 or below) and a chunk alerts when its value is not strictly between them, as NannyML
 * writes it (so a NaN value alerts too). Reference chunks come first, then the analysis chunks.
 *
 * Inputs: a continuous feature is a Float64Array (NaN: missing), a categorical one an array of
 * strings (null: missing); the reference decides a feature's kind, as the pandas dtype does in NannyML.
 */

import { pairwiseSum } from '#lib/stats/float.ts';
import { referenceThresholds, splitChunks, type Chunk, type Chunking, type Thresholds } from '#lib/stats/chunks/index.ts';
import { fitPca, reconstructionError, type Pca } from './pca';
import { MultivariateInputError, rowCount, type FeatureTable } from './input';

/** The multiplier of the sampling error for confidence bands (NannyML's SAMPLING_ERROR_RANGE). */
const SAMPLING_ERROR_RANGE = 3;

/** NannyML's default `n_components`: keep 65% of the explained variance. */
export const DEFAULT_EXPLAINED_VARIANCE = 0.65;

export interface ReconstructionOptions {
	features: readonly string[];
	/** Default: NannyML's DefaultChunker (10 chunks, then any remainder). */
	chunking?: Chunking;
	/** Chunks given for each data set (`periodChunks`), in place of `chunking`. */
	chunks?: { reference: Chunk[]; analysis: Chunk[] };
	/** Share of the variance the kept components explain (0–1). Default 0.65. */
	explainedVariance?: number;
}

export interface ReconstructionChunkResult extends Chunk {
	period: 'reference' | 'analysis';
	/** Mean reconstruction error of the chunk's rows. */
	value: number;
	/** NaN for a chunk of one row. */
	sampling_error: number;
	upper_confidence_boundary: number;
	lower_confidence_boundary: number;
	upper_threshold: number | null;
	lower_threshold: number | null;
	alert: boolean;
}

export interface ReconstructionResult {
	method: 'pca_reconstruction';
	/** Number of principal components kept. */
	components: number;
	continuous: string[];
	categorical: string[];
	chunks: ReconstructionChunkResult[];
}

type Encoding = { kind: 'continuous'; fill: number } | { kind: 'categorical'; fill: string; shares: Map<string, number> };

interface Fitted {
	features: readonly string[];
	encodings: Encoding[];
	centre: Float64Array;
	scale: Float64Array;
	pca: Pca;
}

/** SimpleImputer(strategy='mean'): the mean of the present values. */
function meanFill(column: Float64Array, feature: string): number {
	const filled = new Float64Array(column.length);
	let count = 0;
	column.forEach((v, i) => {
		if (Number.isNaN(v)) return;
		if (!Number.isFinite(v)) throw new MultivariateInputError('reference', 'is not finite', feature, i);
		filled[i] = v;
		count++;
	});
	if (count === 0) throw new MultivariateInputError('reference', 'has no values (nothing to impute from)', feature);
	return pairwiseSum(filled) / count;
}

/** SimpleImputer(strategy='most_frequent') and CountEncoder(normalize=True) on the imputed column. */
function categoricalEncoding(column: ArrayLike<string | null>, feature: string): Encoding {
	const counts = new Map<string, number>();
	let missing = 0;
	for (let i = 0; i < column.length; i++) {
		const v = column[i];
		if (v === null) missing++;
		else counts.set(v, (counts.get(v) ?? 0) + 1);
	}
	if (counts.size === 0) throw new MultivariateInputError('reference', 'has no values (nothing to impute from)', feature);
	let fill: string | null = null;
	for (const [v, n] of counts) {
		const best = fill === null ? -1 : (counts.get(fill) as number);
		if (n > best || (n === best && v < (fill as string))) fill = v;
	}
	const mode = fill as string;
	counts.set(mode, (counts.get(mode) as number) + missing);
	const shares = new Map<string, number>();
	for (const [v, n] of counts) shares.set(v, n / column.length);
	return { kind: 'categorical', fill: mode, shares };
}

/** Imputed and encoded rows (row-major) before scaling. */
function encode(table: FeatureTable, f: Pick<Fitted, 'features' | 'encodings'>, rows: number, period: 'reference' | 'analysis'): Float64Array {
	const p = f.features.length;
	const out = new Float64Array(rows * p);
	f.features.forEach((name, j) => {
		const column = table[name];
		const enc = f.encodings[j];
		if (enc.kind === 'continuous') {
			if (!(column instanceof Float64Array)) throw new MultivariateInputError(period, 'holds text but is numeric in the reference', name);
			for (let r = 0; r < rows; r++) {
				const v = column[r];
				if (Number.isNaN(v)) out[r * p + j] = enc.fill;
				else if (!Number.isFinite(v)) throw new MultivariateInputError(period, 'is not finite', name, r);
				else out[r * p + j] = v;
			}
		} else {
			if (column instanceof Float64Array) throw new MultivariateInputError(period, 'holds numbers but is categorical in the reference', name);
			for (let r = 0; r < rows; r++) out[r * p + j] = enc.shares.get(column[r] ?? enc.fill) ?? 0;
		}
	});
	return out;
}

/** StandardScaler: centre and population standard deviation, 1 for a constant column. */
function fitScaler(data: Float64Array, rows: number, p: number): { centre: Float64Array; scale: Float64Array } {
	const centre = new Float64Array(p);
	const scale = new Float64Array(p);
	const column = new Float64Array(rows);
	for (let j = 0; j < p; j++) {
		for (let r = 0; r < rows; r++) column[r] = data[r * p + j];
		const mean = pairwiseSum(column) / rows;
		for (let r = 0; r < rows; r++) column[r] = (column[r] - mean) ** 2;
		const variance = pairwiseSum(column) / rows;
		// scikit-learn's _handle_zeros_in_scale: a variance within rounding of 0 scales by 1.
		const eps = Number.EPSILON;
		const constant = variance <= rows * eps * variance + (rows * mean * eps) ** 2;
		centre[j] = mean;
		scale[j] = constant ? 1 : Math.sqrt(variance);
	}
	return { centre, scale };
}

function standardise(data: Float64Array, rows: number, f: Pick<Fitted, 'centre' | 'scale'>): void {
	const p = f.centre.length;
	for (let r = 0; r < rows; r++) for (let j = 0; j < p; j++) data[r * p + j] = (data[r * p + j] - f.centre[j]) / f.scale[j];
}

function fit(reference: FeatureTable, options: ReconstructionOptions): Fitted {
	const { features } = options;
	const rows = rowCount(reference, features, 'reference');
	const encodings = features.map((name): Encoding => {
		const column = reference[name];
		return column instanceof Float64Array ? { kind: 'continuous', fill: meanFill(column, name) } : categoricalEncoding(column, name);
	});
	const data = encode(reference, { features, encodings }, rows, 'reference');
	const p = features.length;
	const { centre, scale } = fitScaler(data, rows, p);
	standardise(data, rows, { centre, scale });
	const pca = fitPca(data, rows, p, options.explainedVariance ?? DEFAULT_EXPLAINED_VARIANCE);
	return { features, encodings, centre, scale, pca };
}

/** Reconstruction errors of every row of a data set. */
function errors(f: Fitted, table: FeatureTable, period: 'reference' | 'analysis'): Float64Array {
	const rows = rowCount(table, f.features, period);
	const data = encode(table, f, rows, period);
	standardise(data, rows, f);
	const p = f.features.length;
	const out = new Float64Array(rows);
	for (let r = 0; r < rows; r++) out[r] = reconstructionError(f.pca, data.subarray(r * p, r * p + p));
	return out;
}

/** np.mean and np.std(ddof=1) of a chunk's errors. */
function chunkStats(errs: Float64Array, chunk: Chunk): { mean: number; std: number; n: number } {
	const values = errs.subarray(chunk.start_index, chunk.end_index + 1);
	const n = values.length;
	const mean = pairwiseSum(values) / n;
	const squares = Float64Array.from(values, (v) => (v - mean) ** 2);
	return { mean, std: Math.sqrt(pairwiseSum(squares) / (n - 1)), n };
}

/** NannyML's alert for this calculator: `not (lower < value < upper)`, a missing threshold being ±∞. */
function alerts(value: number, t: Thresholds): boolean {
	return !((t.lower === null || t.lower < value) && (t.upper === null || value < t.upper));
}

function chunkResults(f: Fitted, table: FeatureTable, period: 'reference' | 'analysis', chunking: Chunking, given: Chunk[] | undefined) {
	const errs = errors(f, table, period);
	return (given ?? splitChunks(errs.length, chunking)).map((chunk) => {
		const { mean, std, n } = chunkStats(errs, chunk);
		const samplingError = std / Math.sqrt(n);
		const lower = mean - SAMPLING_ERROR_RANGE * samplingError;
		return {
			...chunk,
			period,
			value: mean,
			sampling_error: samplingError,
			upper_confidence_boundary: mean + SAMPLING_ERROR_RANGE * samplingError,
			// np.maximum keeps NaN.
			lower_confidence_boundary: Number.isNaN(lower) ? NaN : Math.max(lower, 0)
		};
	});
}

/** Fit on the reference and report the reconstruction error per chunk of both data sets. */
export function reconstructionDrift(reference: FeatureTable, analysis: FeatureTable, options: ReconstructionOptions): ReconstructionResult {
	const fitted = fit(reference, options);
	const chunking = options.chunking ?? 'default';
	const ref = chunkResults(fitted, reference, 'reference', chunking, options.chunks?.reference);
	const ana = chunkResults(fitted, analysis, 'analysis', chunking, options.chunks?.analysis);
	const thresholds = referenceThresholds(
		ref.map((c) => c.value),
		{ lower: 0, upper: null },
		{ overrideUsingNone: true }
	);
	const chunks = [...ref, ...ana].map((c): ReconstructionChunkResult => ({
		...c,
		upper_threshold: thresholds.upper,
		lower_threshold: thresholds.lower,
		alert: alerts(c.value, thresholds)
	}));
	return {
		method: 'pca_reconstruction',
		components: fitted.pca.count,
		continuous: options.features.filter((_, j) => fitted.encodings[j].kind === 'continuous').sort(),
		categorical: options.features.filter((_, j) => fitted.encodings[j].kind === 'categorical').sort(),
		chunks
	};
}
