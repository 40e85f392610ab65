/**
 * What the per-chunk kinds (performance, multivariate, quality) share, NannyML's
 * way: the fields naming the two tables and the chunking, the query that reads them for the stats
 * worker, the series every chunked result is shown as (value, confidence band, thresholds, alerts,
 * realized values), and the long-form table they write back to DuckDB under the cell's name.
 *
 *   reference: reference_table   data the model was checked on (labels, for performance)
 *   analysis: analysis_table     data to check
 *   time: event_time             orders the rows and dates the chunks (DATE/TIMESTAMP)
 *   chunk: week                  `week` or `day` (calendar periods of `time`), `<N> rows`, or
 *                                `<N> chunks` (default: 10 chunks, NannyML's default)
 */
import * as Comlink from 'comlink';
import { Bool, Float64, Int32, Table, TimestampMillisecond, Utf8 } from 'apache-arrow';
import { vectorFromValues } from '#lib/sql/arrow-vector.ts';
import type { SqlConnector } from '#lib/sql/connector.ts';
import { quoteIdentifier } from '#lib/sql/identifiers.ts';
import { rowidTable } from '#lib/sql/storage.ts';
import type { ChunkPlan, ChunkTimes } from '#lib/workers/protocol.ts';
import type { Fields } from './fields';
import { columnExpression, finite, onStatsWorker, schemaOf, statsInput, timeExpression } from './stats-input';
import type { CellServices } from './types';

/** The time column as it crosses to the worker: epoch milliseconds. */
export const CHUNK_TIME_COLUMN = '__driftbook_time';

export interface ChunkedSources {
	reference: string;
	analysis: string;
	time?: string;
	chunking: ChunkPlan;
	/** How the chunks read in sentences and axes: `week`, `5,000 rows`, `10 chunks`. */
	chunkLabel: string;
}

/** How a plan reads in sentences and axes: `week`, `5,000 rows`, `10 chunks`. */
export function chunkPlanLabel(plan: ChunkPlan): string {
	if (plan === 'default') return '10 chunks';
	if ('period' in plan) return plan.period;
	return 'chunkSize' in plan ? `${plan.chunkSize.toLocaleString('en-US')} rows` : `${plan.chunkNumber.toLocaleString('en-US')} chunks`;
}

/** `week`, `day`, `5000 rows`, `8 chunks`. */
export function parseChunkPlan(text: string | undefined, hasTime: boolean, cell: string): { plan: ChunkPlan; label: string } {
	const fail = (why: string): never => {
		throw new Error(`cell ${cell}, field "chunk": ${why}`);
	};
	if (text === undefined) return { plan: 'default', label: chunkPlanLabel('default') };
	const t = text.trim().toLowerCase();
	if (t === 'week' || t === 'day') {
		if (!hasTime) fail(`chunks by ${t} need a time column (time: <column>)`);
		const plan = { period: t } as const;
		return { plan, label: chunkPlanLabel(plan) };
	}
	const m = /^(\d[\d,_]*)\s*(rows?|chunks?)$/.exec(t);
	if (!m) return fail(`"${text}" is not one of: week, day, <N> rows, <N> chunks`);
	const n = Number(m[1].replace(/[,_]/g, ''));
	if (!Number.isSafeInteger(n) || n < 1) fail(`${m[1]} is not a positive whole number`);
	const plan = m[2].startsWith('row') ? { chunkSize: n } : { chunkNumber: n };
	return { plan, label: chunkPlanLabel(plan) };
}

export function chunkedSources(fields: Fields): ChunkedSources {
	const cell = fields.cell.name;
	const reference = fields.required('reference');
	const analysis = fields.required('analysis');
	const time = fields.optional('time');
	const { plan, label } = parseChunkPlan(fields.optional('chunk'), time !== undefined, cell);
	return { reference, analysis, time, chunking: plan, chunkLabel: label };
}

/**
 * Reads `columns` (SQL expressions by the name they cross as) of both tables as Arrow IPC, rows in
 * time order when there is a time column, which crosses as epoch milliseconds.
 */
export async function readChunkedTables(
	db: SqlConnector,
	sources: ChunkedSources,
	columns: (table: string, schema: Table) => Record<string, string>,
	cell: string,
	signal: AbortSignal
): Promise<{ reference: Uint8Array; analysis: Uint8Array; timeColumn?: string }> {
	const read = async (table: string) => {
		const schema = await schemaOf(db, table, signal);
		// A real table's rows have a fixed position (rowid), which orders ties in time cheaply.
		const rowidSource = sources.time ? await rowidTable(db, table, signal) : undefined;
		const wanted = columns(table, schema);
		const select = Object.entries(wanted).map(([as, sql]) => `${sql} AS ${quoteIdentifier(as)}`);
		let order = '';
		if (sources.time) {
			const time = timeExpression(schema, sources.time, table, cell);
			if (time.unit !== 'ms') throw new Error(`cell ${cell}, field "time": "${sources.time}" is a number; chunks are dated by a DATE or TIMESTAMP column`);
			select.push(`${time.sql} AS ${quoteIdentifier(CHUNK_TIME_COLUMN)}`);
			// Ties in time keep one order, so the rows cross the same way every run (CBPE's calibration
			// check draws rows by position): the table's row order, or for a view the values.
			const ties = rowidSource ? ['rowid'] : Object.keys(wanted).map((c) => quoteIdentifier(c));
			order = ` ORDER BY ${[quoteIdentifier(CHUNK_TIME_COLUMN), ...ties].join(', ')}`;
		}
		return statsInput(db, `SELECT ${select.join(', ')} FROM ${rowidSource ?? quoteIdentifier(table)}${order}`, `cell ${cell}: ${table} has no rows`, signal);
	};
	const [reference, analysis] = await Promise.all([read(sources.reference), read(sources.analysis)]);
	return { reference, analysis, timeColumn: sources.time ? CHUNK_TIME_COLUMN : undefined };
}

/** Runs one of the worker's chunked analyses on the two tables, with the cell's progress and cancel. */
export function onChunkedWorker<R, T>(
	services: CellServices,
	context: { signal: AbortSignal; progress: (done: number, total: number) => void },
	cell: string,
	request: R & { jobId: string },
	tables: { reference: Uint8Array; analysis: Uint8Array },
	call: (
		api: Awaited<ReturnType<CellServices['stats']>>['api'],
		reference: Uint8Array,
		analysis: Uint8Array,
		request: R & { jobId: string },
		progress: (done: number, total: number) => void
	) => Promise<T>
): Promise<T> {
	const { reference, analysis } = tables;
	return onStatsWorker(services, context.signal, cell, request.jobId, (api) =>
		call(api, Comlink.transfer(reference, [reference.buffer]), Comlink.transfer(analysis, [analysis.buffer]), request, Comlink.proxy(context.progress))
	);
}

/** The column a field names (or `column`, one of a list the field names), checked against the table, as SQL (booleans as 0/1). */
export function fieldColumn(fields: Fields, field: string, table: string, schema: Table, column = fields.required(field)): string {
	return columnExpression(schema, column, table, fields.cell.name, field);
}

// ————— the series a chunked result is shown as —————

export interface ChunkPoint {
	key: string;
	period: 'reference' | 'analysis';
	/** Position among all chunks, reference first. */
	index: number;
	/** First and last time of the chunk's rows (epoch ms), when the cell has a time column. */
	start: number | null;
	end: number | null;
	/** The estimate or statistic; null where there is none (NaN). */
	value: number | null;
	lower: number | null;
	upper: number | null;
	/** The realized value where labels exist (performance only). */
	realized: number | null;
	alert: boolean;
}

export interface ChunkSeries {
	/** The metric's name in the results table (`roc_auc`, `reconstruction_error`). */
	metric: string;
	/** How charts and tables name it: `ROC AUC`. */
	label: string;
	/** The y axis' unit: `0–1`, `mean distance, standardised units`. */
	unit: string;
	/** What the value is: `estimated` (CBPE) or `measured`. */
	valueKind: 'estimated' | 'measured';
	/** Where the thresholds come from, as the chart's subtitle says it. */
	thresholdRule: string;
	/** The value is a share (0–1), drawn and written as a percentage. */
	percent?: boolean;
	upper_threshold: number | null;
	lower_threshold: number | null;
	points: ChunkPoint[];
}

/**
 * The fields of a chunk result that a series point needs (CBPE's, the reconstruction's and the
 * domain classifier's chunks have them; the domain classifier has no confidence band).
 */
export interface ChunkRecord {
	key: string;
	period: 'reference' | 'analysis';
	value: number;
	/** The confidence band, where the calculator gives one. */
	lower_confidence_boundary?: number;
	upper_confidence_boundary?: number;
	realized?: number;
	alert: boolean;
	upper_threshold: number | null;
	lower_threshold: number | null;
}

/** The thresholds NannyML learns from the reference chunks (CBPE, PCA reconstruction). */
export const REFERENCE_THRESHOLDS = 'mean ± 3σ of the reference chunks';

/** A series from the library's chunk results and their times. */
export function chunkSeries(
	meta: Omit<ChunkSeries, 'points' | 'upper_threshold' | 'lower_threshold'>,
	chunks: readonly ChunkRecord[],
	times: readonly ChunkTimes[]
): ChunkSeries {
	const points = chunks.map((c, index): ChunkPoint => ({
		key: c.key,
		period: c.period,
		index,
		start: times[index]?.start ?? null,
		end: times[index]?.end ?? null,
		value: finite(c.value),
		lower: finite(c.lower_confidence_boundary),
		upper: finite(c.upper_confidence_boundary),
		realized: c.realized === undefined ? null : finite(c.realized),
		alert: c.alert
	}));
	const first = chunks[0];
	return { ...meta, upper_threshold: finite(first?.upper_threshold), lower_threshold: finite(first?.lower_threshold), points };
}

/** Every series in long form, one row per metric and chunk, for the DuckDB table named after the cell. */
export function chunkResultTable(series: readonly ChunkSeries[]): Table {
	const rows = series.flatMap((s) => s.points.map((p) => ({ s, p })));
	const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
	return new Table({
		metric: vectorFromValues(
			col((r) => r.s.metric),
			new Utf8()
		),
		chunk: vectorFromValues(
			col((r) => r.p.key),
			new Utf8()
		),
		chunk_index: vectorFromValues(
			col((r) => r.p.index),
			new Int32()
		),
		period: vectorFromValues(
			col((r) => r.p.period),
			new Utf8()
		),
		start_time: vectorFromValues(
			col((r) => r.p.start),
			new TimestampMillisecond()
		),
		end_time: vectorFromValues(
			col((r) => r.p.end),
			new TimestampMillisecond()
		),
		value: vectorFromValues(
			col((r) => r.p.value),
			new Float64()
		),
		lower_confidence: vectorFromValues(
			col((r) => r.p.lower),
			new Float64()
		),
		upper_confidence: vectorFromValues(
			col((r) => r.p.upper),
			new Float64()
		),
		realized: vectorFromValues(
			col((r) => r.p.realized),
			new Float64()
		),
		lower_threshold: vectorFromValues(
			col((r) => r.s.lower_threshold),
			new Float64()
		),
		upper_threshold: vectorFromValues(
			col((r) => r.s.upper_threshold),
			new Float64()
		),
		alert: vectorFromValues(
			col((r) => r.p.alert),
			new Bool()
		)
	});
}
