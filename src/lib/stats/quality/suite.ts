/**
 * A data-quality check suite learnt from a reference (as Evidently's "tests from reference"):
 * plain JSON data that a cell can show and a person can edit, then run on any current data set.
 *
 * Per reference column (`suiteFromReference`):
 * - number columns, `value_type`: the column still holds numbers, no text (values.ts; a text column
 *   may come to hold only numbers, categories written as digits: unseen values speak for those);
 * - `missing_values_rate`: every chunk's share of missing cells stays within bounds learnt from the
 *   reference chunks (NannyML's MissingValuesCalculator: mean ± 3σ, clipped to 0–1);
 * - text columns, `unseen_values_rate`: every chunk's share of categories the reference never had
 *   stays within bounds (NannyML's default: none at all); not for a column of more than
 *   SUITE_MAX_CATEGORIES categories (identifiers, free text: nearly every new value is unseen);
 * - number columns, `out_of_range_values_rate`: every chunk's share of numbers outside the
 *   reference's [min, max] stays within bounds (NannyML's default: none at all).
 * A bound is `null` for none. `source` says whether the bounds were learnt from the reference
 * chunks or fixed. `runSuite` splits the current data with the suite's chunking and fails a check
 * when any chunk is strictly outside its bounds (NannyML's alert), or a column changed its type
 * or is not there.
 */

import type { Column } from '#lib/stats/column.ts';
import { outside, planChunks, type Chunk, type ChunkPlan, type Thresholds } from '#lib/stats/chunks/index.ts';
import { formatPercent } from '#lib/format/number.ts';
import { learnThresholds, type CountRows, type QualityMetric, type QualityThreshold } from './calculator';
import { countMissing, missingValuesMetric } from './missing';
import { seenCategories, unseenCounter, unseenValuesMetric } from './unseen';
import { outOfRangeCounter, outOfRangeMetric, valueRange } from './range';
import { categoryAt, valueType } from './values';
import type { QualityCheck, QualitySuite } from './suite-format';

export { parseSuite, printSuite, type QualityCheck, type QualitySuite } from './suite-format';

/** Text columns with more categories than this get no unseen-values check (identifiers, free text). */
export const SUITE_MAX_CATEGORIES = 1000;

export type RateCheckName = 'missing_values_rate' | 'unseen_values_rate' | 'out_of_range_values_rate';

export interface SuiteOptions {
	/** Columns to check, in order (default: every column of the reference). */
	columns?: readonly string[];
	/** How data sets are split (default: NannyML's, 10 chunks and any remainder; calendar periods need `time`). */
	chunking?: ChunkPlan;
	/** Each reference row's time (epoch ms, rows in time order), for chunks by day or week. */
	time?: ArrayLike<number> | null;
	/** How each rate check's bounds are set (default: NannyML's defaults for the metric). */
	thresholds?: Partial<Record<RateCheckName, QualityThreshold>>;
}

export interface ChunkValue {
	key: string;
	value: number;
	alert: boolean;
}

export interface CheckOutcome {
	check: QualityCheck;
	passed: boolean;
	/** One sentence naming the column and what was seen. */
	message: string;
	/** Rate checks: the value of every chunk of the current data. */
	chunks?: ChunkValue[];
}

export interface SuiteRun {
	passed: boolean;
	failed: number;
	rows: number;
	/** The chunks the data was split into (the order of every rate check's `chunks`). */
	chunks: Chunk[];
	outcomes: CheckOutcome[];
}

/** Chunks of a data set under the suite's plan; errors say which data set. */
function chunksOf(rows: number, plan: ChunkPlan, time: ArrayLike<number> | null | undefined, which: string): Chunk[] {
	try {
		return planChunks(rows, plan, time ?? null);
	} catch (error) {
		const message = (error as Error).message;
		throw new Error(/time column/.test(message) ? `${message}: give ${which}'s row times` : message, { cause: error });
	}
}

const METRICS: Record<RateCheckName, QualityMetric> = {
	missing_values_rate: missingValuesMetric,
	unseen_values_rate: unseenValuesMetric,
	out_of_range_values_rate: outOfRangeMetric
};

function chunkRates(column: Column, chunks: readonly Chunk[], count: CountRows): number[] {
	return chunks.map((c) => count(column, c.start_index, c.end_index) / (c.end_index - c.start_index + 1));
}

/** A check's bounds learnt on the reference chunks. */
function bounds(
	name: RateCheckName,
	column: Column,
	chunks: readonly Chunk[],
	count: CountRows,
	options: SuiteOptions
): Thresholds & { source: 'reference' | 'fixed' } {
	const metric = METRICS[name];
	const rule = options.thresholds?.[name] ?? metric.defaultThreshold;
	const { lower, upper } = learnThresholds(rule, chunkRates(column, chunks, count), metric.limits(true));
	return { lower, upper, source: rule.type === 'constant' ? 'fixed' : 'reference' };
}

/** The checks a reference passes by construction, with bounds learnt from its chunks. */
export function suiteFromReference(reference: Readonly<Record<string, Column>>, options: SuiteOptions = {}): QualitySuite {
	const names = options.columns ?? Object.keys(reference);
	if (names.length === 0) throw new Error('the reference has no columns to check');
	const chunking = options.chunking ?? 'default';
	const missingColumn = names.find((name) => !reference[name]);
	if (missingColumn !== undefined) throw new Error(`no column "${missingColumn}" in the reference (columns: ${Object.keys(reference).join(', ')})`);
	const rows = reference[names[0]].values.length;
	if (rows === 0) throw new Error('the reference has no rows');
	const chunks = chunksOf(rows, chunking, options.time, 'the reference');
	const checks: QualityCheck[] = [];
	for (const name of names) {
		const column = reference[name];
		const type = valueType(column).type;
		if (type === 'number') checks.push({ check: 'value_type', column: name, type });
		checks.push({ check: 'missing_values_rate', column: name, ...bounds('missing_values_rate', column, chunks, countMissing, options) });
		const seen = type === 'text' ? seenCategories(column) : null;
		if (seen && seen.categories.length <= SUITE_MAX_CATEGORIES) {
			const categories = [...seen.categories].sort();
			checks.push({
				check: 'unseen_values_rate',
				column: name,
				...bounds('unseen_values_rate', column, chunks, unseenCounter(seen), options),
				categories,
				missingSeen: seen.missing
			});
		} else if (type === 'number') {
			const range = valueRange(column);
			checks.push({
				check: 'out_of_range_values_rate',
				column: name,
				...bounds('out_of_range_values_rate', column, chunks, outOfRangeCounter(range), options),
				...range
			});
		}
	}
	return { version: 1, chunking, checks };
}

const TYPE_WORDS = { number: 'numbers', text: 'text', empty: 'only missing values' } as const;
const WHAT: Record<RateCheckName, string> = {
	missing_values_rate: 'missing values',
	unseen_values_rate: 'unseen categories',
	out_of_range_values_rate: 'values outside the reference range'
};

/** A rate check's bounds in words: `none`, `at most 3.35%`, `between 1% and 5%`. */
export function boundsText(lower: number | null, upper: number | null): string {
	if (upper === 0) return 'none';
	if (lower !== null && upper !== null && lower > 0) return `between ${formatPercent(lower)} and ${formatPercent(upper)}`;
	if (upper !== null) return `at most ${formatPercent(upper)}`;
	return lower !== null ? `at least ${formatPercent(lower)}` : 'any share';
}

/** A cell as a message quotes it: text in quotes, numbers as they are. */
function cellText(column: Column, row: number): string {
	const category = categoryAt(column, row);
	if (category === null) return 'a missing value';
	return column.type === 'number' ? category : JSON.stringify(category);
}

/** Up to three cells of a chunk that make it fail, with their rows (0-based, as chunk keys count). */
function examples(column: Column, chunk: Chunk, failing: (row: number) => boolean): string {
	const found: string[] = [];
	for (let row = chunk.start_index; row <= chunk.end_index && found.length < 3; row++) {
		if (failing(row)) found.push(`${cellText(column, row)} in row ${row}`);
	}
	return found.length ? ` (e.g. ${found.join(', ')})` : '';
}

/** `rows [0:399]` for a chunk of rows; `2026-02-09/2026-02-15 (rows [700:1399])` for a calendar period. */
function chunkName(chunk: Chunk): string {
	const rows = `rows [${chunk.start_index}:${chunk.end_index}]`;
	return chunk.key === `[${chunk.start_index}:${chunk.end_index}]` ? rows : `${chunk.key} (${rows})`;
}

function rateCounter(check: Exclude<QualityCheck, { check: 'value_type' }>): { count: CountRows; failing: (column: Column, row: number) => boolean } {
	const one = (count: CountRows) => ({ count, failing: (column: Column, row: number) => count(column, row, row) === 1 });
	if (check.check === 'missing_values_rate') return one(countMissing);
	if (check.check === 'unseen_values_rate') return one(unseenCounter({ categories: check.categories, missing: check.missingSeen }));
	return one(outOfRangeCounter({ min: check.min, max: check.max }));
}

function runRateCheck(check: Exclude<QualityCheck, { check: 'value_type' }>, column: Column, chunks: readonly Chunk[]): CheckOutcome {
	const { count, failing } = rateCounter(check);
	const thresholds = { lower: check.lower, upper: check.upper };
	const values = chunkRates(column, chunks, count).map((value, i) => ({ key: chunks[i].key, value, alert: outside(value, thresholds) }));
	const located = values.map((v, i) => ({ ...v, chunk: chunks[i] }));
	const failed = located.filter((v) => v.alert);
	const allowed = boundsText(check.lower, check.upper);
	const range = check.check === 'out_of_range_values_rate' ? ` [${check.min}, ${check.max}]` : '';
	if (failed.length === 0) {
		const highest = located.reduce((a, b) => (b.value > a.value ? b : a));
		return {
			check,
			passed: true,
			chunks: values,
			message: `${check.column}: ${WHAT[check.check]}${range} within bounds (${allowed}) in all ${chunks.length} chunks; highest ${formatPercent(highest.value)} in ${chunkName(highest.chunk)}`
		};
	}
	// The chunk farthest outside its bounds speaks for the others.
	const excess = (value: number) => Math.max(check.upper === null ? -Infinity : value - check.upper, check.lower === null ? -Infinity : check.lower - value);
	const worst = failed.reduce((a, b) => (excess(b.value) > excess(a.value) ? b : a));
	const where =
		failed.length === 1
			? chunkName(worst.chunk)
			: `${failed.length} of ${chunks.length} chunks, up to ${formatPercent(worst.value)} in ${chunkName(worst.chunk)}`;
	const share = failed.length === 1 ? `${formatPercent(worst.value)} ` : '';
	return {
		check,
		passed: false,
		chunks: values,
		message: `${check.column}: ${share}${WHAT[check.check]}${range} in ${where}${examples(column, worst.chunk, (row) => failing(column, row))}; allowed: ${allowed}`
	};
}

function runTypeCheck(check: Extract<QualityCheck, { check: 'value_type' }>, column: Column): CheckOutcome {
	const found = valueType(column);
	const passed = found.type !== 'text';
	const example = found.example ? ` (first: ${JSON.stringify(found.example.value)} in row ${found.example.row})` : '';
	return {
		check,
		passed,
		message: passed
			? `${check.column}: holds ${found.type === 'empty' ? 'only missing values, no text' : 'numbers as in the reference'}`
			: `${check.column}: holds ${TYPE_WORDS[found.type]}${example} where the reference holds ${TYPE_WORDS[check.type]}`
	};
}

/** The checks of `suite` one at a time on `current` (a caller that reports progress between checks), split into the suite's chunks. */
export function suiteRunner(
	suite: QualitySuite,
	current: Readonly<Record<string, Column>>,
	options: { time?: ArrayLike<number> | null } = {}
): { rows: number; chunks: Chunk[]; run(check: QualityCheck): CheckOutcome } {
	const present = Object.values(current);
	const rows = present.length ? present[0].values.length : 0;
	if (rows === 0) throw new Error('the current data has no rows');
	const chunks = chunksOf(rows, suite.chunking, options.time, 'the current data');
	return {
		rows,
		chunks,
		run(check) {
			const column = current[check.column];
			if (!column) return { check, passed: false, message: `${check.column}: no such column in the current data` };
			return check.check === 'value_type' ? runTypeCheck(check, column) : runRateCheck(check, column, chunks);
		}
	};
}

/** The verdict of a suite from its checks' outcomes. */
export function suiteRun(rows: number, chunks: Chunk[], outcomes: CheckOutcome[]): SuiteRun {
	const failed = outcomes.filter((o) => !o.passed).length;
	return { passed: failed === 0, failed, rows, chunks, outcomes };
}

/**
 * Runs every check of `suite` on `current`. Throws when the data cannot be split into the suite's
 * chunks (chunks by day or week need `time`: each row's time, epoch ms, in time order).
 */
export function runSuite(suite: QualitySuite, current: Readonly<Record<string, Column>>, options: { time?: ArrayLike<number> | null } = {}): SuiteRun {
	const runner = suiteRunner(suite, current, options);
	return suiteRun(runner.rows, runner.chunks, suite.checks.map(runner.run));
}
