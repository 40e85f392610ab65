/**
 * Multivariate drift by a domain classifier, following NannyML 0.13.1's
 * `DomainClassifierCalculator`: per chunk, a classifier learns to tell the reference rows (label 0)
 * from the chunk's rows (label 1), and the chunk's value is its cross-validated ROC AUC — 0.5 when
 * nothing tells them apart, towards 1 the more the chunk's joint distribution has moved, including
 * changes in how features move together that per-feature tests miss.
 *
 * As in NannyML: an analysis chunk's data set is the whole reference followed by the chunk; a
 * reference chunk's is the reference itself with the chunk's rows labelled 1 (no duplicates are
 * dropped). Folds are `StratifiedKFold(5)` without shuffling; the out-of-fold probabilities of all
 * folds give one `roc_auc_score`, 0.5 where only one label is present. Thresholds are constant,
 * 0.45 and 0.65, and a chunk alerts strictly outside them.
 *
 * Where this differs from NannyML: the learner is scikit-learn's `GradientBoostingClassifier()`
 * (exact greedy trees, see gradient-boosting.ts), not LightGBM, so that every value can be checked
 * against scikit-learn; trees still catch interactions that a linear model would miss.
 * Categories become their position among the data set's sorted categories (NannyML's
 * `OrdinalEncoder`), split on as numbers instead of LightGBM's category splits; a missing value
 * (NaN, null) becomes the lowest float32 number so that trees can send missing rows their own way.
 * Which features drive the classifier: scikit-learn's impurity-based `feature_importances_`,
 * averaged over the folds per chunk and over the analysis chunks overall.
 */

import { splitChunks, outside, type Chunk, type Chunking, type Thresholds } from '#lib/stats/chunks/index.ts';
import { rocAuc } from '#lib/stats/performance-drift.ts';
import { Steps } from '#lib/stats/progress.ts';
import {
	fitGradientBoosting,
	predictProbability,
	sortColumns,
	GRADIENT_BOOSTING_DEFAULTS,
	type BoostingOptions,
	type SortedColumns
} from './gradient-boosting';
import { MultivariateInputError, rowCount, type FeatureTable, type Period } from './input';
import { stratifiedKFold } from './stratified-kfold';

/** NannyML's `cv_folds_num`. */
export const DEFAULT_FOLDS = 5;

/** NannyML's `ConstantThreshold(lower=0.45, upper=0.65)`. */
export const DOMAIN_CLASSIFIER_THRESHOLDS: Readonly<Thresholds> = { lower: 0.45, upper: 0.65 };

/** np.finfo(np.float32).min: what a missing value becomes, below every other value. */
export const MISSING_VALUE = -3.4028234663852886e38;

export interface DomainClassifierOptions {
	features: readonly string[];
	/** Default: NannyML's DefaultChunker (10 chunks, then any remainder). */
	chunking?: Chunking;
	/** Chunks given for each data set (`periodChunks`), in place of `chunking`. */
	chunks?: { reference: Chunk[]; analysis: Chunk[] };
	/** Cross-validation folds. Default 5. */
	folds?: number;
	/** Shuffle the folds with NumPy's RandomState(seed) (NannyML does not: null). */
	shuffleSeed?: number | null;
	/** Default: scikit-learn's (100 trees of depth 3, learning rate 0.1). */
	learner?: Partial<BoostingOptions>;
	signal?: AbortSignal;
	/** Called as trees are fitted: done and total over all chunks and folds. */
	onProgress?: (done: number, total: number) => void;
}

export interface DomainClassifierChunkResult extends Chunk {
	period: Period;
	/** Cross-validated ROC AUC of the classifier telling the chunk from the reference. */
	value: number;
	upper_threshold: number | null;
	lower_threshold: number | null;
	alert: boolean;
	/** Share of the classifier's impurity decrease per feature (mean over the folds). */
	feature_importance: Record<string, number>;
}

export interface DomainClassifierResult {
	method: 'domain_classifier';
	continuous: string[];
	categorical: string[];
	chunks: DomainClassifierChunkResult[];
	/** Mean of the analysis chunks' feature importances. */
	feature_importance: Record<string, number>;
}

/** One feature's values as the learner reads them, for some rows of one data set. */
function encodeContinuous(column: Float64Array, start: number, end: number, feature: string, period: Period): Float32Array {
	const out = new Float32Array(end - start);
	for (let r = start; r < end; r++) {
		const v = column[r];
		if (Number.isNaN(v)) out[r - start] = MISSING_VALUE;
		else if (!Number.isFinite(Math.fround(v))) throw new MultivariateInputError(period, 'is not finite (or beyond float32)', feature, r);
		else out[r - start] = v;
	}
	return out;
}

/** The row ranges of one classifier's data set: the reference, then (for an analysis chunk) the chunk's rows. */
interface Part {
	table: FeatureTable;
	period: Period;
	start: number;
	end: number;
}

/** `OrdinalEncoder` fitted on the data set: each category's position among the sorted categories. */
function encodeCategorical(parts: readonly Part[], feature: string): Float32Array {
	const categories = new Set<string>();
	for (const { table, start, end } of parts) {
		const column = table[feature] as ArrayLike<string | null>;
		for (let r = start; r < end; r++) if (column[r] !== null) categories.add(column[r] as string);
	}
	const code = new Map([...categories].sort(byCodePoint).map((c, i) => [c, i]));
	const out = new Float32Array(parts.reduce((n, p) => n + p.end - p.start, 0));
	let at = 0;
	for (const { table, start, end } of parts) {
		const column = table[feature] as ArrayLike<string | null>;
		for (let r = start; r < end; r++) out[at++] = column[r] === null ? MISSING_VALUE : (code.get(column[r] as string) as number);
	}
	return out;
}

function checkKinds(table: FeatureTable, features: readonly string[], categorical: ReadonlySet<string>, period: Period): void {
	for (const name of features) {
		const numeric = table[name] instanceof Float64Array;
		if (numeric && categorical.has(name)) throw new MultivariateInputError(period, 'holds numbers but is categorical in the reference', name);
		if (!numeric && !categorical.has(name)) throw new MultivariateInputError(period, 'holds text but is numeric in the reference', name);
	}
}

/** Merge two ascending row orders of one column (`second`'s rows offset by `offset`). */
function mergeOrders(column: Float32Array, first: Int32Array, second: Int32Array, offset: number): Int32Array {
	const out = new Int32Array(first.length + second.length);
	let i = 0;
	let j = 0;
	for (let k = 0; k < out.length; k++) {
		if (j >= second.length || (i < first.length && column[first[i]] <= column[second[j] + offset])) out[k] = first[i++];
		else out[k] = second[j++] + offset;
	}
	return out;
}

interface ChunkFit {
	auroc: number;
	importance: Float64Array;
}

/** The cross-validated AUROC of telling label 1 from label 0 in one data set, and the mean importances. */
async function crossValidate(
	data: SortedColumns,
	labels: Uint8Array,
	folds: number,
	shuffleSeed: number | null,
	learner: BoostingOptions,
	steps: Steps
): Promise<ChunkFit> {
	const importance = new Float64Array(data.columns.length);
	const positives = labels.reduce((s, v) => s + v, 0);
	if (positives === 0 || positives === labels.length) {
		// NannyML's answer where roc_auc_score finds one class only.
		await steps.advance(folds * learner.trees);
		return { auroc: 0.5, importance };
	}
	const testFold = stratifiedKFold(labels, folds, shuffleSeed);
	const predictions = new Float64Array(labels.length);
	for (let f = 0; f < folds; f++) {
		const train: number[] = [];
		const test: number[] = [];
		testFold.forEach((fold, row) => (fold === f ? test : train).push(row));
		const testRows = Int32Array.from(test);
		const model = await fitGradientBoosting(data, Int32Array.from(train), labels, learner, () => steps.advance());
		predictProbability(model, data, testRows).forEach((p, k) => (predictions[testRows[k]] = p));
		model.importance.forEach((v, j) => (importance[j] += v / folds));
	}
	return { auroc: rocAuc(labels, predictions), importance };
}

/** Per-column values keyed by feature, in the order the features were given. */
const named = (features: readonly string[], columnNames: readonly string[], values: Float64Array) =>
	Object.fromEntries(features.map((f) => [f, values[columnNames.indexOf(f)]]));

/** Python's order of str (by code point; UTF-16 order differs only past U+FFFF). */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Cross-validated domain-classifier AUROC per chunk of the reference and of the analysis data. */
export async function domainClassifierDrift(
	reference: FeatureTable,
	analysis: FeatureTable,
	options: DomainClassifierOptions
): Promise<DomainClassifierResult> {
	const { features } = options;
	const chunking = options.chunking ?? 'default';
	const folds = options.folds ?? DEFAULT_FOLDS;
	const shuffleSeed = options.shuffleSeed ?? null;
	const learner = { ...GRADIENT_BOOSTING_DEFAULTS, ...options.learner };
	const referenceRows = rowCount(reference, features, 'reference');
	const analysisRows = rowCount(analysis, features, 'analysis');
	const categorical = new Set(features.filter((f) => !(reference[f] instanceof Float64Array)));
	checkKinds(analysis, features, categorical, 'analysis');
	const continuousNames = features.filter((f) => !categorical.has(f)).sort(byCodePoint);
	const categoricalNames = features.filter((f) => categorical.has(f)).sort(byCodePoint);
	// NannyML's column order: categorical then continuous, each sorted by name; it decides which of
	// two equally good splits a tree keeps.
	const columnNames = [...categoricalNames, ...continuousNames];

	const encode = (parts: Part[]) =>
		columnNames.map((f) => {
			if (categorical.has(f)) return encodeCategorical(parts, f);
			const pieces = parts.map((p) => encodeContinuous(p.table[f] as Float64Array, p.start, p.end, f, p.period));
			if (pieces.length === 1) return pieces[0];
			const out = new Float32Array(pieces.reduce((n, piece) => n + piece.length, 0));
			pieces.reduce((at, piece) => (out.set(piece, at), at + piece.length), 0);
			return out;
		});
	const referencePart: Part = { table: reference, period: 'reference', start: 0, end: referenceRows };
	const referenceColumns = encode([referencePart]);
	const referenceData: SortedColumns = { rows: referenceRows, columns: referenceColumns, order: sortColumns(referenceColumns) };

	const referenceChunks = options.chunks?.reference ?? splitChunks(referenceRows, chunking);
	const analysisChunks = options.chunks?.analysis ?? splitChunks(analysisRows, chunking);
	const steps = new Steps((referenceChunks.length + analysisChunks.length) * folds * learner.trees, options.signal, options.onProgress);
	const fits: { chunk: Chunk; period: Period; fit: ChunkFit }[] = [];
	for (const chunk of referenceChunks) {
		const labels = new Uint8Array(referenceRows).fill(1, chunk.start_index, chunk.end_index + 1);
		fits.push({ chunk, period: 'reference', fit: await crossValidate(referenceData, labels, folds, shuffleSeed, learner, steps) });
	}
	for (const chunk of analysisChunks) {
		const chunkPart: Part = { table: analysis, period: 'analysis', start: chunk.start_index, end: chunk.end_index + 1 };
		const columns = encode([referencePart, chunkPart]);
		const chunkOrder = sortColumns(columns.map((c) => c.subarray(referenceRows)));
		const order = columns.map((c, j) => mergeOrders(c, referenceData.order[j], chunkOrder[j], referenceRows));
		const data: SortedColumns = { rows: columns[0].length, columns, order };
		const labels = new Uint8Array(data.rows).fill(1, referenceRows);
		fits.push({ chunk, period: 'analysis', fit: await crossValidate(data, labels, folds, shuffleSeed, learner, steps) });
	}

	const thresholds = DOMAIN_CLASSIFIER_THRESHOLDS;
	const overall = new Float64Array(columnNames.length);
	for (const { period, fit } of fits) if (period === 'analysis') fit.importance.forEach((v, j) => (overall[j] += v / analysisChunks.length));
	return {
		method: 'domain_classifier',
		continuous: continuousNames,
		categorical: categoricalNames,
		chunks: fits.map(({ chunk, period, fit }) => ({
			...chunk,
			period,
			value: fit.auroc,
			upper_threshold: thresholds.upper,
			lower_threshold: thresholds.lower,
			alert: outside(fit.auroc, thresholds),
			feature_importance: named(features, columnNames, fit.importance)
		})),
		feature_importance: named(features, columnNames, overall)
	};
}
