/**
 * The per-chunk analyses of the stats worker, NannyML's way (src/lib/stats/chunks): performance
 * estimation without labels (CBPE) with the correlation ranking of the features' drift against it,
 * and multivariate drift by PCA reconstruction. Both take a reference and an analysis table as
 * Arrow (the cell reads them from DuckDB), chunk them by rows or by calendar period of a time
 * column, and give each chunk its first and last time for the charts.
 */
import type { Table } from 'apache-arrow';
import { arrowColumn } from '#lib/stats/arrow-columns.ts';
import type { Column } from '#lib/stats/column.ts';
import { chunkDrift, planChunks, type Chunk, type ChunkDrift, type ChunkPlan } from '#lib/stats/chunks/index.ts';
import { cbpe, rankByCorrelation, type CbpeMetric, type CbpeResult, type RankedFeature } from '#lib/stats/performance/index.ts';
import { featureColumn, reconstructionDrift, type ReconstructionResult } from '#lib/stats/multivariate/index.ts';
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
	/** The columns by role: probability of class 1, predicted class (0/1), label (0/1, null where it has not arrived). */
	columns: { probability: string; prediction: string; target: string };
	metrics: CbpeMetric[];
	/** Features whose drift per chunk is ranked against the performance (none: no ranking). */
	features: string[];
	/** The metric (one of `metrics`) and the values (CBPE's estimate, or the realized metric where labels exist) the ranking follows. */
	rankBy: { metric: CbpeMetric; basis: 'estimated' | 'realized' };
}

export interface MultivariateRequest extends ChunkedRequest {
	features: string[];
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

export interface MultivariateAnalysis {
	result: ReconstructionResult;
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
	const names = [probability, prediction, target, ...request.features];
	const ref = side(reference, names, request, 'reference');
	const ana = side(analysis, names, request, 'analysis');
	const steps = new Steps(1 + request.features.length * ana.chunks.length, signal, onProgress);
	await steps.check();
	const data = (s: Side, label: string) => ({
		yPredProba: numbers(s.columns, probability, label),
		yPred: numbers(s.columns, prediction, label),
		yTrue: numbers(s.columns, target, label)
	});
	const result = cbpe(data(ref, 'reference'), data(ana, 'analysis'), { metrics: request.metrics, chunks: { reference: ref.chunks, analysis: ana.chunks } });
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

/** PCA reconstruction error per chunk of both tables, fitted on the reference. */
export async function multivariateAnalysis(
	reference: Table,
	analysis: Table,
	request: MultivariateRequest,
	signal: AbortSignal,
	onProgress?: (done: number, total: number) => void
): Promise<MultivariateAnalysis> {
	const ref = side(reference, request.features, request, 'reference');
	const ana = side(analysis, request.features, request, 'analysis');
	const steps = new Steps(1, signal, onProgress);
	await steps.check();
	const table = (s: Side) => Object.fromEntries(request.features.map((f) => [f, featureColumn(s.columns[f])]));
	const result = reconstructionDrift(table(ref), table(ana), { features: request.features, chunks: { reference: ref.chunks, analysis: ana.chunks } });
	await steps.advance();
	return { result, times: [...chunkTimes(ref), ...chunkTimes(ana)] };
}
