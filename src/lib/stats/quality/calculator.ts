/**
 * NannyML 0.13.1's data-quality calculators, one routine for the three metrics (missing.ts,
 * unseen.ts, range.ts): fit on the reference, measure every chunk of the reference and of the
 * analysis data, learn thresholds from the reference chunks (NannyML's `calculate_threshold_values`,
 * clipped to the metric's limits) and raise an alert on every chunk strictly outside them.
 * Reference chunks come first, then the analysis chunks, as NannyML's result table lists them.
 */

import type { Column } from '#lib/stats/column.ts';
import { outside, referenceThresholds, splitChunks, type Chunk, type Chunking, type ThresholdLimits, type Thresholds } from '#lib/stats/chunks/index.ts';

/** NannyML's SAMPLING_ERROR_RANGE: confidence bands are ± this many sampling errors. */
export const SAMPLING_ERROR_RANGE = 3;

/** NannyML's thresholds: `StandardDeviationThreshold` (default 3σ either side) or `ConstantThreshold`. */
export type QualityThreshold =
	| { type: 'standard_deviation'; lowerMultiplier?: number | null; upperMultiplier?: number | null }
	| { type: 'constant'; lower: number | null; upper: number | null };

export type CountRows = (column: Column, start: number, end: number) => number;

/** One data-quality metric: how it is fitted on a reference column and what bounds it. */
export interface QualityMetric {
	name: 'missing_values' | 'unseen_values' | 'out_of_range_values';
	limits: (normalize: boolean) => ThresholdLimits;
	defaultThreshold: QualityThreshold;
	/** Throws an Error naming the column when the column cannot have this metric. */
	fit(
		reference: Column,
		column: string
	): {
		count: CountRows;
		/** √(p(1−p)) of the reference rate, for metrics with a sampling error (missing values). */
		samplingErrorBase?: number;
	};
}

export interface QualityOptions {
	columns: readonly string[];
	/** Default: NannyML's DefaultChunker (10 chunks, then any remainder). */
	chunking?: Chunking;
	/** A share of the chunk's rows (default) or a count. */
	normalize?: boolean;
	/** Default: the metric's own (NannyML's defaults). */
	threshold?: QualityThreshold;
}

export interface QualityChunk extends Chunk {
	period: 'reference' | 'analysis';
	value: number;
	/** Only for missing values (NannyML gives the others none). */
	sampling_error?: number;
	upper_confidence_boundary?: number;
	lower_confidence_boundary?: number;
	upper_threshold: number | null;
	lower_threshold: number | null;
	alert: boolean;
}

export interface QualityColumnResult {
	column: string;
	chunks: QualityChunk[];
}

export interface QualityResult {
	/** NannyML's `data_quality_metric`, e.g. "missing_values_rate" or "unseen_values_count". */
	metric: string;
	columns: QualityColumnResult[];
}

/** Bad input: which data set and, where one is at fault, the column. */
export class QualityInputError extends Error {
	readonly period: 'reference' | 'analysis';
	readonly column: string | null;
	readonly problem: string;

	constructor(period: 'reference' | 'analysis', problem: string, column: string | null = null) {
		super(`${period} data: ${problem}`);
		this.name = 'QualityInputError';
		this.period = period;
		this.column = column;
		this.problem = problem;
	}
}

/** The thresholds a rule gives over the reference chunks' values. */
export function learnThresholds(rule: QualityThreshold, values: ArrayLike<number>, limits: ThresholdLimits): Thresholds {
	return rule.type === 'constant'
		? referenceThresholds(values, limits, { constant: { lower: rule.lower, upper: rule.upper } })
		: referenceThresholds(values, limits, { lowerMultiplier: rule.lowerMultiplier, upperMultiplier: rule.upperMultiplier });
}

function columnOf(table: Readonly<Record<string, Column>>, name: string, period: 'reference' | 'analysis'): Column {
	const column = table[name];
	if (!column) throw new QualityInputError(period, `no column "${name}" (columns: ${Object.keys(table).join(', ')})`, name);
	return column;
}

function rowCount(table: Readonly<Record<string, Column>>, columns: readonly string[], period: 'reference' | 'analysis'): number {
	const rows = columnOf(table, columns[0], period).values.length;
	if (rows === 0) throw new QualityInputError(period, 'the data set has no rows');
	return rows;
}

function chunksOf(rows: number, chunking: Chunking, period: 'reference' | 'analysis'): Chunk[] {
	try {
		return splitChunks(rows, chunking);
	} catch (error) {
		throw new QualityInputError(period, (error as Error).message);
	}
}

/** Runs one metric on every column, as NannyML's calculator `fit(reference).calculate(analysis)`. */
export function qualityCalculator(
	metric: QualityMetric,
	reference: Readonly<Record<string, Column>>,
	analysis: Readonly<Record<string, Column>>,
	options: QualityOptions
): QualityResult {
	if (options.columns.length === 0) throw new Error('no columns to check');
	const normalize = options.normalize ?? true;
	const chunking = options.chunking ?? 'default';
	const limits = metric.limits(normalize);
	const periods = [
		{ period: 'reference' as const, table: reference, chunks: chunksOf(rowCount(reference, options.columns, 'reference'), chunking, 'reference') },
		{ period: 'analysis' as const, table: analysis, chunks: chunksOf(rowCount(analysis, options.columns, 'analysis'), chunking, 'analysis') }
	];
	const columns = options.columns.map((name): QualityColumnResult => {
		let fitted: ReturnType<QualityMetric['fit']>;
		try {
			fitted = metric.fit(columnOf(reference, name, 'reference'), name);
		} catch (error) {
			if (error instanceof QualityInputError) throw error;
			throw new QualityInputError('reference', (error as Error).message, name);
		}
		const measured = periods.flatMap(({ period, table, chunks }) => {
			const column = columnOf(table, name, period);
			return chunks.map((chunk) => {
				const rows = chunk.end_index - chunk.start_index + 1;
				const count = fitted.count(column, chunk.start_index, chunk.end_index);
				const value = normalize ? count / rows : count;
				if (fitted.samplingErrorBase === undefined) return { ...chunk, period, value };
				const samplingError = normalize ? fitted.samplingErrorBase / Math.sqrt(rows) : fitted.samplingErrorBase * Math.sqrt(rows);
				return {
					...chunk,
					period,
					value,
					sampling_error: samplingError,
					upper_confidence_boundary: Math.min(value + SAMPLING_ERROR_RANGE * samplingError, limits.upper ?? Infinity),
					lower_confidence_boundary: Math.max(value - SAMPLING_ERROR_RANGE * samplingError, limits.lower ?? -Infinity)
				};
			});
		});
		const thresholds = learnThresholds(
			options.threshold ?? metric.defaultThreshold,
			measured.filter((c) => c.period === 'reference').map((c) => c.value),
			limits
		);
		return {
			column: name,
			chunks: measured.map((c) => ({ ...c, upper_threshold: thresholds.upper, lower_threshold: thresholds.lower, alert: outside(c.value, thresholds) }))
		};
	});
	return { metric: `${metric.name}_${normalize ? 'rate' : 'count'}`, columns };
}
