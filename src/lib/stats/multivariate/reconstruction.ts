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

import { CompensatedSum, pairwiseSum } from '#lib/stats/float.ts';
import { referenceThresholds, splitChunks, type Chunk, type Chunking, type Thresholds } from '#lib/stats/chunks/index.ts';
import { pcaFromCovariance, reconstructionErrors, type Pca } from './pca';
import { MultivariateInputError, rowCount, type FeatureTable } from './input';

/** The multiplier of the sampling error for confidence bands (NannyML's SAMPLING_ERROR_RANGE). */
const SAMPLING_ERROR_RANGE = 3;

/** NannyML's default `n_components`: keep 65% of the explained variance. */
export const DEFAULT_EXPLAINED_VARIANCE = 0.65;

/**
 * Rows per block of the passes over the data: a block of every feature (BLOCK × features doubles,
 * 40 KiB for 20) stays in the CPU cache while its products are taken, and the sums of a block's
 * few hundred terms are exact enough to add up with a compensated sum.
 */
const BLOCK = 256;

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
	/** StandardScaler's `mean_` and `scale_`. */
	centre: Float64Array;
	scale: Float64Array;
	pca: Pca;
}

/** SimpleImputer(strategy='mean'): the mean of the present values (blocks' sums added up compensated). */
function meanFill(column: Float64Array, feature: string): number {
	const sum = new CompensatedSum();
	let count = 0;
	for (let start = 0; start < column.length; start += BLOCK) {
		const end = Math.min(start + BLOCK, column.length);
		let partial = 0;
		for (let i = start; i < end; i++) {
			const v = column[i];
			if (v !== v) continue;
			if (v - v !== 0) throw new MultivariateInputError('reference', 'is not finite', feature, i);
			partial += v;
			count++;
		}
		sum.add(partial);
	}
	if (count === 0) throw new MultivariateInputError('reference', 'has no values (nothing to impute from)', feature);
	return sum.value / count;
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

/**
 * A feature as numbers before scaling: a continuous column as it is (its missing values, NaN, take
 * `fill` as a block is read), a categorical one count-encoded once (the only copy of the data).
 */
interface NumericFeature {
	name: string;
	values: Float64Array;
	fill: number;
}

function numericFeatures(table: FeatureTable, f: Pick<Fitted, 'features' | 'encodings'>, rows: number, period: 'reference' | 'analysis'): NumericFeature[] {
	return f.features.map((name, j) => {
		const column = table[name];
		const enc = f.encodings[j];
		if (enc.kind === 'continuous') {
			if (!(column instanceof Float64Array)) throw new MultivariateInputError(period, 'holds text but is numeric in the reference', name);
			return { name, values: column, fill: enc.fill };
		}
		if (column instanceof Float64Array) throw new MultivariateInputError(period, 'holds numbers but is categorical in the reference', name);
		const values = new Float64Array(rows);
		for (let r = 0; r < rows; r++) values[r] = enc.shares.get(column[r] ?? enc.fill) ?? 0;
		return { name, values, fill: 0 };
	});
}

/**
 * Rows start…start+rows−1 of every feature, imputed, minus `centre` and divided by `scale`, into
 * `block` feature-major (`block[j * BLOCK + i]`); an infinite value is an error naming its row.
 */
function readBlock(
	features: NumericFeature[],
	centre: Float64Array,
	scale: Float64Array,
	start: number,
	rows: number,
	block: Float64Array,
	period: 'reference' | 'analysis'
): void {
	for (let j = 0; j < features.length; j++) {
		const { values, fill, name } = features[j];
		const c = centre[j];
		const s = scale[j];
		const at = j * BLOCK;
		for (let i = 0; i < rows; i++) {
			let v = values[start + i];
			if (v !== v) v = fill;
			else if (v - v !== 0) throw new MultivariateInputError(period, 'is not finite', name, start + i);
			block[at + i] = (v - c) / s;
		}
	}
}

/**
 * StandardScaler and the PCA's covariance in one pass over the reference. With every feature
 * shifted by a guess of its mean (the imputation mean of a continuous feature, which is the mean
 * of the imputed column up to rounding; the share-weighted mean of a categorical one), the pass
 * sums the shifted values (L) and their products (G), a block at a time, the blocks' sums added
 * compensated. Then the mean is shift + L/n, Σ (xᵢ − meanᵢ)(xⱼ − meanⱼ) = Gᵢⱼ − LᵢLⱼ/n (small
 * corrections, the shift being close), the population variance its diagonal over n, and the
 * covariance of the standardised features (divisor n − 1, as the SVD's S²/(n − 1)) that over
 * scaleᵢ scaleⱼ. No n×p matrix is built.
 */
function fitScalerAndCovariance(
	features: NumericFeature[],
	shift: Float64Array,
	rows: number
): { centre: Float64Array; scale: Float64Array; cov: Float64Array } {
	const p = features.length;
	const linear = Array.from({ length: p }, () => new CompensatedSum());
	const products = Array.from({ length: p * p }, () => new CompensatedSum());
	// Products are taken four columns at a time (one load of column i serves four): three more
	// columns of zeros past the last let every group have four, their products dropped.
	const block = new Float64Array((p + 3) * BLOCK);
	const ones = new Float64Array(p).fill(1);
	for (let start = 0; start < rows; start += BLOCK) {
		const n = Math.min(BLOCK, rows - start);
		readBlock(features, shift, ones, start, n, block, 'reference');
		for (let i = 0; i < p; i++) {
			const a = i * BLOCK;
			let sum = 0;
			for (let r = 0; r < n; r++) sum += block[a + r];
			linear[i].add(sum);
			for (let j = i; j < p; j += 4) {
				const b = j * BLOCK;
				let dot0 = 0;
				let dot1 = 0;
				let dot2 = 0;
				let dot3 = 0;
				for (let r = 0; r < n; r++) {
					const x = block[a + r];
					dot0 += x * block[b + r];
					dot1 += x * block[b + BLOCK + r];
					dot2 += x * block[b + 2 * BLOCK + r];
					dot3 += x * block[b + 3 * BLOCK + r];
				}
				products[i * p + j].add(dot0);
				if (j + 1 < p) products[i * p + j + 1].add(dot1);
				if (j + 2 < p) products[i * p + j + 2].add(dot2);
				if (j + 3 < p) products[i * p + j + 3].add(dot3);
			}
		}
	}
	const centre = new Float64Array(p);
	const scale = new Float64Array(p);
	const centred = (i: number, j: number) => products[i * p + j].value - (linear[i].value * linear[j].value) / rows;
	for (let j = 0; j < p; j++) {
		const mean = shift[j] + linear[j].value / rows;
		const variance = Math.max(centred(j, j), 0) / rows;
		// scikit-learn's _handle_zeros_in_scale: a variance within rounding of 0 scales by 1.
		const eps = Number.EPSILON;
		const constant = variance <= rows * eps * variance + (rows * mean * eps) ** 2;
		centre[j] = mean;
		scale[j] = constant ? 1 : Math.sqrt(variance);
	}
	const cov = new Float64Array(p * p);
	for (let i = 0; i < p; i++) for (let j = i; j < p; j++) cov[i * p + j] = cov[j * p + i] = centred(i, j) / (rows - 1) / (scale[i] * scale[j]);
	return { centre, scale, cov };
}

function fit(reference: FeatureTable, options: ReconstructionOptions): Fitted {
	const { features } = options;
	const rows = rowCount(reference, features, 'reference');
	if (rows < 2) throw new MultivariateInputError('reference', `has ${rows} row; PCA needs at least 2`);
	const encodings = features.map((name): Encoding => {
		const column = reference[name];
		return column instanceof Float64Array ? { kind: 'continuous', fill: meanFill(column, name) } : categoricalEncoding(column, name);
	});
	const numeric = numericFeatures(reference, { features, encodings }, rows, 'reference');
	const shift = Float64Array.from(encodings, (enc) => {
		if (enc.kind === 'continuous') return enc.fill;
		let mean = 0;
		for (const share of enc.shares.values()) mean += share * share;
		return mean;
	});
	const { centre, scale, cov } = fitScalerAndCovariance(numeric, shift, rows);
	const pca = pcaFromCovariance(cov, features.length, options.explainedVariance ?? DEFAULT_EXPLAINED_VARIANCE);
	return { features, encodings, centre, scale, pca };
}

/** Reconstruction errors of every row of a data set, a block of rows at a time. */
function errors(f: Fitted, table: FeatureTable, period: 'reference' | 'analysis'): Float64Array {
	const rows = rowCount(table, f.features, period);
	const numeric = numericFeatures(table, f, rows, period);
	const block = new Float64Array(f.features.length * BLOCK);
	const scores = new Float64Array(f.pca.count);
	const out = new Float64Array(rows);
	for (let start = 0; start < rows; start += BLOCK) {
		const n = Math.min(BLOCK, rows - start);
		readBlock(numeric, f.centre, f.scale, start, n, block, period);
		reconstructionErrors(f.pca, block, BLOCK, n, out, start, scores);
	}
	return out;
}

/** np.mean and np.std(ddof=1) of a chunk's errors. */
function chunkStats(errs: Float64Array, chunk: Chunk): { mean: number; std: number; n: number } {
	const values = errs.subarray(chunk.start_index, chunk.end_index + 1);
	const n = values.length;
	const mean = pairwiseSum(values) / n;
	const squares = new Float64Array(n);
	for (let i = 0; i < n; i++) squares[i] = (values[i] - mean) ** 2;
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
