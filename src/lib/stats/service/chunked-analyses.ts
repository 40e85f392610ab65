/**
 * The per-chunk analyses of the stats worker, NannyML's way (src/lib/stats/chunks): performance
 * estimation without labels (CBPE) with the correlation ranking of the features' drift against it,
 * multivariate drift by PCA reconstruction or a domain classifier, and data-quality suites (learnt
 * from the reference or given, run on both tables). Each takes a reference and an analysis table as
 * Arrow (the cell reads them from DuckDB), chunk them by rows or by calendar period of a time
 * column, and give each chunk its first and last time for the charts.
 */
import type { Table } from 'apache-arrow';
import { arrowColumn } from '#lib/stats/arrow-columns.ts';
import type { Column } from '#lib/stats/column.ts';
import { chunkDrift, planChunks, type Chunk, type ChunkDrift, type ChunkPlan } from '#lib/stats/chunks/index.ts';
import {
	cbpe,
	classIndices,
	rankByCorrelation,
	UnknownClassError,
	type CbpeData,
	type CbpeMetric,
	type CbpeResult,
	type ProbabilityInput,
	type RankedFeature
} from '#lib/stats/performance/index.ts';
import {
	domainClassifierDrift,
	featureColumn,
	reconstructionDrift,
	type DomainClassifierResult,
	type ReconstructionResult
} from '#lib/stats/multivariate/index.ts';
import { suiteFromReference, suiteRun, suiteRunner, type QualitySuite, type SuiteOptions, type SuiteRun } from '#lib/stats/quality/index.ts';
import { Steps, throwIfAborted } from '#lib/stats/progress.ts';

/** Rows per chunk, a number of chunks, NannyML's default (10), or one chunk per calendar day or week of the time column. */
export type { ChunkPlan };

export interface ChunkedRequest {
	jobId: string;
	chunking: ChunkPlan;
	/** A column of both tables with each row's time in epoch milliseconds (rows in time order for periods). */
	timeColumn?: string;
}

export interface PerformanceRequest extends ChunkedRequest {
	/**
	 * The columns by role: probability of class 1, predicted class (0/1), label (0/1, null where it
	 * has not arrived). Multiclass: one probability column per class of `classes`, in that order,
	 * and the prediction and label hold class labels.
	 */
	columns: { probability: string | string[]; prediction: string; target: string };
	/** Multiclass: the class labels in NannyML's order (sorted); absent: binary. */
	classes?: string[];
	metrics: CbpeMetric[];
	/** Features whose drift per chunk is ranked against the performance (none: no ranking). */
	features: string[];
	/** The metric (one of `metrics`) and the values (CBPE's estimate, or the realized metric where labels exist) the ranking follows. */
	rankBy: { metric: CbpeMetric; basis: 'estimated' | 'realized' };
}

/** NannyML's two multivariate drift calculators. */
export type MultivariateMethod = 'pca_reconstruction' | 'domain_classifier';

export interface MultivariateRequest extends ChunkedRequest {
	method: MultivariateMethod;
	features: string[];
}

export interface QualityRequest extends ChunkedRequest {
	/** The suite to run (as edited in the cell); null to learn one from the reference's `columns` with `chunking` and `thresholds`. */
	suite: QualitySuite | null;
	columns: string[];
	thresholds?: SuiteOptions['thresholds'];
}

/** First and last time of a chunk's rows (epoch ms); null without a time column. */
export type ChunkTimes = { start: number; end: number } | null;

export interface PerformanceAnalysis {
	cbpe: CbpeResult;
	/** Per chunk, reference chunks then analysis chunks (the order of every metric's results). */
	times: ChunkTimes[];
	/** Each feature's drift per analysis chunk (jensenshannon against the whole reference). */
	drift: ChunkDrift[];
	ranking: { metric: CbpeMetric; basis: 'estimated' | 'realized'; features: RankedFeature[] } | null;
}

export interface QualityAnalysis {
	/** The suite that ran: the one given, or the one learnt from the reference. */
	suite: QualitySuite;
	/** The suite on the reference (passes by construction when learnt there) and on the analysis table. */
	reference: SuiteRun;
	analysis: SuiteRun;
	/** Per chunk, reference chunks then analysis chunks. */
	times: ChunkTimes[];
}

export interface MultivariateAnalysis {
	result: ReconstructionResult | DomainClassifierResult;
	times: ChunkTimes[];
}

/** The one drift method the ranking reads, as NannyML's example ranks jensen_shannon. */
export const RANKING_DRIFT_METHOD = 'jensenshannon';

function columnsOf(table: Table, names: readonly string[], side: string): Record<string, Column> {
	const out: Record<string, Column> = {};
	for (const name of new Set(names)) {
		const vector = table.getChild(name);
		if (!vector) throw new Error(`the ${side} table has no column "${name}" (columns: ${table.schema.fields.map((f) => f.name).join(', ')})`);
		out[name] = arrowColumn(vector);
	}
	return out;
}

function numbers(columns: Record<string, Column>, name: string, side: string): Float64Array {
	const c = columns[name];
	if (c.type !== 'number') throw new Error(`the ${side} column "${name}" does not hold numbers`);
	return c.values;
}

interface Side {
	columns: Record<string, Column>;
	time: Float64Array | null;
	chunks: Chunk[];
}

function side(table: Table, names: readonly string[], request: ChunkedRequest, label: 'reference' | 'analysis'): Side {
	const columns = columnsOf(table, [...names, ...(request.timeColumn ? [request.timeColumn] : [])], label);
	const time = request.timeColumn ? numbers(columns, request.timeColumn, label) : null;
	let chunks: Chunk[];
	try {
		chunks = planChunks(table.numRows, request.chunking, time);
	} catch (error) {
		throw new Error(`the ${label} table: ${(error as Error).message}`, { cause: error });
	}
	return { columns, time, chunks };
}

function chunkTimes(s: Side): ChunkTimes[] {
	return s.chunks.map((c) => (s.time ? { start: s.time[c.start_index], end: s.time[c.end_index] } : null));
}

/** CBPE on the reference and analysis tables, and the ranking of the features' drift against one metric. */
export async function performanceAnalysis(
	reference: Table,
	analysis: Table,
	request: PerformanceRequest,
	signal: AbortSignal,
	onProgress?: (done: number, total: number) => void
): Promise<PerformanceAnalysis> {
	const { probability, prediction, target } = request.columns;
	const { classes } = request;
	const names = [...(Array.isArray(probability) ? probability : [probability]), prediction, target, ...request.features];
	const ref = side(reference, names, request, 'reference');
	const ana = side(analysis, names, request, 'analysis');
	const steps = new Steps(1 + request.features.length * ana.chunks.length, signal, onProgress);
	await steps.check();
	const labels = (s: Side, column: string, label: string) => {
		if (!classes) return numbers(s.columns, column, label);
		try {
			return classIndices(s.columns[column], classes);
		} catch (error) {
			if (!(error instanceof UnknownClassError)) throw error;
			throw new Error(
				`the ${label} table, row ${error.row + 1}: the ${column === target ? 'target' : 'prediction'} "${error.label}" is not one of the classes (${classes.join(', ')})`,
				{
					cause: error
				}
			);
		}
	};
	const data = (s: Side, label: string): CbpeData<ProbabilityInput> => ({
		yPredProba: Array.isArray(probability) ? probability.map((p) => numbers(s.columns, p, label)) : numbers(s.columns, probability, label),
		yPred: labels(s, prediction, label),
		yTrue: labels(s, target, label)
	});
	const result = cbpe(data(ref, 'reference'), data(ana, 'analysis'), {
		metrics: request.metrics,
		chunks: { reference: ref.chunks, analysis: ana.chunks },
		...(classes ? { classNames: classes } : {})
	});
	await steps.advance();
	const drift = await chunkDrift(ref.columns, ana.columns, ana.chunks, request.features, RANKING_DRIFT_METHOD, steps);
	let ranking: PerformanceAnalysis['ranking'] = null;
	if (request.features.length > 0) {
		const { metric, basis } = request.rankBy;
		const series = result.metrics[metric];
		if (!series) throw new Error(`the ranking follows ${metric}, which is not among the metrics (${request.metrics.join(', ')})`);
		const value = (c: (typeof series)[number]) => (basis === 'estimated' ? c.value : c.realized);
		const features = rankByCorrelation(
			drift,
			series.filter((c) => c.period === 'reference').map(value),
			series.filter((c) => c.period === 'analysis').map(value)
		);
		ranking = { metric, basis, features };
	}
	throwIfAborted(signal);
	return { cbpe: result, times: [...chunkTimes(ref), ...chunkTimes(ana)], drift, ranking };
}

/**
 * Multivariate drift per chunk of both tables: PCA reconstruction error fitted on the reference, or
 * the cross-validated AUROC of a domain classifier (progress per tree of every fold and chunk).
 */
export async function multivariateAnalysis(
	reference: Table,
	analysis: Table,
	request: MultivariateRequest,
	signal: AbortSignal,
	onProgress?: (done: number, total: number) => void
): Promise<MultivariateAnalysis> {
	const ref = side(reference, request.features, request, 'reference');
	const ana = side(analysis, request.features, request, 'analysis');
	const table = (s: Side) => Object.fromEntries(request.features.map((f) => [f, featureColumn(s.columns[f])]));
	const options = { features: request.features, chunks: { reference: ref.chunks, analysis: ana.chunks } };
	const times = [...chunkTimes(ref), ...chunkTimes(ana)];
	if (request.method === 'domain_classifier') {
		return { result: await domainClassifierDrift(table(ref), table(ana), { ...options, signal, onProgress }), times };
	}
	const steps = new Steps(1, signal, onProgress);
	await steps.check();
	const result = reconstructionDrift(table(ref), table(ana), options);
	await steps.advance();
	return { result, times };
}

async function learn(ref: { columns: Record<string, Column>; time: Float64Array | null }, request: QualityRequest, steps: Steps): Promise<QualitySuite> {
	const options = { chunking: request.chunking, thresholds: request.thresholds, time: ref.time };
	const checks: QualitySuite['checks'] = [];
	for (const column of request.columns) {
		try {
			checks.push(...suiteFromReference(ref.columns, { ...options, columns: [column] }).checks);
		} catch (error) {
			throw new Error(`the reference table: ${(error as Error).message}`, { cause: error });
		}
		await steps.advance();
	}
	return { version: 1, chunking: request.chunking, checks };
}

/**
 * A data-quality suite learnt from the reference (or the one given) run on both tables, one check at
 * a time with progress and cancel. Columns absent from a table are not read there: the suite fails
 * their checks by name. With chunks by period the suite runs on each table's own weeks or days.
 */
export async function qualityAnalysis(
	reference: Table,
	analysis: Table,
	request: QualityRequest,
	signal: AbortSignal,
	onProgress?: (done: number, total: number) => void
): Promise<QualityAnalysis> {
	const read = (table: Table, label: 'reference' | 'analysis') => {
		const columns = columnsOf(
			table,
			table.schema.fields.map((f) => f.name),
			label
		);
		const time = request.timeColumn ? numbers(columns, request.timeColumn, label) : null;
		if (request.timeColumn) delete columns[request.timeColumn];
		return { columns, time };
	};
	const ref = read(reference, 'reference');
	const ana = read(analysis, 'analysis');
	// Learning is a step per column; the checks it makes are known only after (a column gets two or
	// three), so the first total counts about six steps a column: learn it, run its checks twice.
	const steps = new Steps(request.suite ? request.suite.checks.length * 2 : request.columns.length * 6, signal, onProgress);
	const suite = request.suite ?? (await learn(ref, request, steps));
	if (!request.suite) steps.total = steps.done + suite.checks.length * 2;
	const run = async (side: { columns: Record<string, Column>; time: Float64Array | null }, label: 'reference' | 'analysis') => {
		let runner: ReturnType<typeof suiteRunner>;
		try {
			runner = suiteRunner(suite, side.columns, { time: side.time });
		} catch (error) {
			throw new Error(`the ${label} table: ${(error as Error).message}`, { cause: error });
		}
		const outcomes = [];
		for (const check of suite.checks) {
			outcomes.push(runner.run(check));
			await steps.advance();
		}
		return suiteRun(runner.rows, runner.chunks, outcomes);
	};
	const referenceRun = await run(ref, 'reference');
	const analysisRun = await run(ana, 'analysis');
	throwIfAborted(signal);
	const times = (runOf: SuiteRun, time: Float64Array | null) => runOf.chunks.map((c) => (time ? { start: time[c.start_index], end: time[c.end_index] } : null));
	return { suite, reference: referenceRun, analysis: analysisRun, times: [...times(referenceRun, ref.time), ...times(analysisRun, ana.time)] };
}
