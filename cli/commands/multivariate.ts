// `driftbook multivariate`: multivariate drift by PCA data reconstruction or a domain classifier (as NannyML 0.13.1), as a table or JSON.
// Imports use #lib (not $lib): the command runs under plain tsx, without SvelteKit.
import {
	MultivariateInputError,
	domainClassifierDrift,
	reconstructionDrift,
	type DomainClassifierResult,
	featureColumn,
	type FeatureTable,
	type ReconstructionChunkResult,
	type ReconstructionResult
} from '#lib/stats/multivariate/index.ts';
import type { Chunking } from '#lib/stats/chunks/index.ts';
import { basename } from 'node:path';
import { formatNumber, formatPercent, TABLE } from '#lib/format/number.ts';
import { UsageError, parseOptions } from './command';
import { readDataFile } from '../data/data-file';
import { textTable } from './text-table';

export const usage = `usage: driftbook multivariate --reference R.csv --analysis A.csv --features a,b,c
                              [--method pca_reconstruction|domain_classifier] [--chunk-size N] [--json]

Multivariate drift per chunk, as NannyML 0.13.1 computes it: it sees changes in how features
move together (a correlation that flips) that per-feature drift tests miss.

  --reference FILE     data the model was checked on: CSV (with a header row) or Parquet
  --analysis FILE      data to check
  --features A[,B…]    the feature columns; a column of numbers is continuous, any other
                       column categorical (decided on the reference)
  --method M           pca_reconstruction (default): NannyML's DataReconstructionDriftCalculator;
                       domain_classifier: NannyML's DomainClassifierCalculator, with
                       scikit-learn's gradient boosting as the classifier
  --chunk-size N       rows per chunk (the remainder forms a last, smaller chunk);
                       default: NannyML's, 10 chunks per data set (and any remainder)
  --json               print {"method":"pca_reconstruction","n_components":K,"chunks":[chunk, …]}
                       (K: principal components kept), or for domain_classifier
                       {"method":"domain_classifier","chunks":[chunk, …],"feature_importance":{…}},
                       instead of a table

pca_reconstruction: missing values take the reference mean (or most frequent category),
categories their share of the reference rows; features are standardised and PCA keeps the
components explaining 65% of the variance. A chunk's value is the mean distance of its rows to
their reconstruction. Thresholds are mean ± 3σ of the reference chunks' values; a chunk alerts
outside them. Confidence bands are ± 3 sampling errors.

domain_classifier: per chunk, gradient-boosted trees learn to tell the chunk's rows from the
reference rows; the value is their 5-fold cross-validated ROC AUC (0.5: indistinguishable).
Categories become their sorted position, missing values the lowest number. A chunk alerts
outside 0.45–0.65. feature_importance: each feature's share of the trees' impurity decrease,
averaged over the analysis chunks — which features tell the data sets apart. Progress goes to
stderr on a terminal. Exit status: 0 done; 2 bad input (one line on stderr).`;

const METHODS = ['pca_reconstruction', 'domain_classifier'] as const;
type Method = (typeof METHODS)[number];

function featureList(value: string | undefined): string[] {
	const names = (value ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter((s) => s !== '');
	if (names.length === 0) throw new UsageError('--features A[,B…] is required (driftbook multivariate --help)');
	return names;
}

async function readFeatures(path: string, features: readonly string[]): Promise<FeatureTable> {
	const { columns } = await readDataFile(path);
	const table: Record<string, FeatureTable[string]> = {};
	for (const name of features) {
		const column = columns[name];
		if (!column) throw new UsageError(`--features: no column "${name}" in ${path} (columns: ${Object.keys(columns).join(', ')})`);
		table[name] = featureColumn(column);
	}
	return table;
}

const finite = (x: number | null): number | null => (x === null || Number.isNaN(x) ? null : x);

/** The `--json` output: the documented keys only, in the documented order, NaN as null. */
export function multivariateJson(result: ReconstructionResult): unknown {
	const chunk = (c: ReconstructionChunkResult) => ({
		key: c.key,
		period: c.period,
		start_index: c.start_index,
		end_index: c.end_index,
		value: finite(c.value),
		sampling_error: finite(c.sampling_error),
		upper_confidence_boundary: finite(c.upper_confidence_boundary),
		lower_confidence_boundary: finite(c.lower_confidence_boundary),
		upper_threshold: finite(c.upper_threshold),
		lower_threshold: finite(c.lower_threshold),
		alert: c.alert
	});
	return { method: result.method, n_components: result.components, chunks: result.chunks.map(chunk) };
}

/** The domain classifier's `--json` output: the documented keys only, in the documented order. */
export function domainClassifierJson(result: DomainClassifierResult): unknown {
	return {
		method: result.method,
		chunks: result.chunks.map((c) => ({
			key: c.key,
			period: c.period,
			start_index: c.start_index,
			end_index: c.end_index,
			value: finite(c.value),
			upper_threshold: finite(c.upper_threshold),
			lower_threshold: finite(c.lower_threshold),
			alert: c.alert
		})),
		feature_importance: result.feature_importance
	};
}

const n = (x: number | null) => formatNumber(finite(x), TABLE);

function alertCount(chunks: readonly { period: string; alert: boolean }[]): string {
	const analysed = chunks.filter((c) => c.period === 'analysis');
	return `${analysed.filter((c) => c.alert).length} of ${analysed.length} analysis chunks alert`;
}

export function formatMultivariate(result: ReconstructionResult, reference: string, analysis: string): string {
	const rows = result.chunks.map((c) => [
		c.key,
		c.period,
		n(c.value),
		`[${n(c.lower_confidence_boundary)}, ${n(c.upper_confidence_boundary)}]`,
		`[${n(c.lower_threshold)}, ${n(c.upper_threshold)}]`,
		c.alert ? 'ALERT' : ''
	]);
	return [
		`PCA reconstruction error: ${analysis} against ${reference}; ${result.components} components kept; ${alertCount(result.chunks)}.`,
		'',
		...textTable(['chunk', 'period', 'error', '± 3σ band', 'thresholds', 'alert'], rows, (i) => i === 2)
	].join('\n');
}

export function formatDomainClassifier(result: DomainClassifierResult, reference: string, analysis: string): string {
	const rows = result.chunks.map((c) => [c.key, c.period, n(c.value), `[${n(c.lower_threshold)}, ${n(c.upper_threshold)}]`, c.alert ? 'ALERT' : '']);
	const importance = Object.entries(result.feature_importance)
		.sort((a, b) => b[1] - a[1])
		.map(([f, v]) => `${f} ${formatPercent(v)}`);
	return [
		`Domain classifier AUROC: ${analysis} against ${reference}; ${alertCount(result.chunks)}.`,
		`Features that tell them apart (share of impurity decrease): ${importance.join(', ')}.`,
		'',
		...textTable(['chunk', 'period', 'AUROC', 'thresholds', 'alert'], rows, (i) => i === 2)
	].join('\n');
}

/** Progress on stderr, only where a person watches it. */
function progressLine(): ((done: number, total: number) => void) | undefined {
	if (!process.stderr.isTTY) return undefined;
	let shown = -1;
	return (done, total) => {
		const percent = Math.floor((100 * done) / total);
		if (percent === shown) return;
		shown = percent;
		process.stderr.write(`\rdomain classifier: ${percent}%${done === total ? '\n' : ''}`);
	};
}

async function analyse(method: Method, reference: FeatureTable, analysis: FeatureTable, features: string[], chunking: Chunking) {
	if (method === 'pca_reconstruction') return reconstructionDrift(reference, analysis, { features, chunking });
	return domainClassifierDrift(reference, analysis, { features, chunking, onProgress: progressLine() });
}

export async function run(args: string[]): Promise<number> {
	const { values, flags } = parseOptions(args, { values: ['reference', 'analysis', 'features', 'chunk-size', 'method'], flags: ['json'] });
	for (const required of ['reference', 'analysis']) {
		if (!values[required]) throw new UsageError(`--${required} FILE is required (driftbook multivariate --help)`);
	}
	const features = featureList(values.features);
	const method = (values.method ?? 'pca_reconstruction') as Method;
	if (!METHODS.includes(method)) throw new UsageError(`--method must be one of ${METHODS.join(', ')} (got "${values.method}")`);
	let chunkSize: number | undefined;
	if (values['chunk-size'] !== undefined) {
		chunkSize = Number(values['chunk-size']);
		if (!/^\s*\d+\s*$/.test(values['chunk-size']) || !(chunkSize > 0)) {
			throw new UsageError(`--chunk-size must be a positive whole number (got "${values['chunk-size']}")`);
		}
	}
	const [reference, analysis] = await Promise.all([readFeatures(values.reference, features), readFeatures(values.analysis, features)]);
	let result: ReconstructionResult | DomainClassifierResult;
	try {
		result = await analyse(method, reference, analysis, features, chunkSize === undefined ? 'default' : { chunkSize });
	} catch (error) {
		if (error instanceof MultivariateInputError) {
			const path = error.period === 'reference' ? values.reference : values.analysis;
			const where = error.row === null ? path : `${path}, row ${error.row + 1}`;
			throw new UsageError(`${where}: ${error.feature === null ? '' : `column "${error.feature}" `}${error.problem}`);
		}
		// Too few rows to chunk, to fit PCA or to make the folds.
		throw new UsageError((error as Error).message);
	}
	const [ref, ana] = [basename(values.reference), basename(values.analysis)];
	if (result.method === 'pca_reconstruction') {
		console.log(flags.has('json') ? JSON.stringify(multivariateJson(result), null, 2) : formatMultivariate(result, ref, ana));
	} else {
		console.log(flags.has('json') ? JSON.stringify(domainClassifierJson(result), null, 2) : formatDomainClassifier(result, ref, ana));
	}
	return 0;
}
