/**
 * The drift cell: a reference and a current sample compared column by column in the stats
 * worker, over Arrow data from DuckDB, with progress and cancel.
 *
 * Fields (`key: value` lines; only the samples are required):
 *
 *   reference: reference_table    two tables…
 *   current: current_table
 *   table: events                 …or one table split in two:
 *   split: event_time < TIMESTAMP '2026-03-02'
 *                                 rows where the condition is true are the reference, false the
 *                                 current (NULL: neither)
 *   where: event_time < TIMESTAMP '2026-03-02' OR event_time >= TIMESTAMP '2026-03-16'
 *                                 keeps only these rows, on both sides (either form)
 *   columns: a, b, c              columns to test (default: every column both samples share,
 *                                 less `time` and `exclude`)
 *   exclude: event_id, customer_id
 *   method: auto                  auto (default) or methods in order, e.g. `ks, chisquare`
 *   threshold: 0.05               fixed threshold for every test, or `reference`: learn each
 *                                 column's window threshold from the reference windows
 *                                 (mean ± 3σ, as NannyML); the summary keeps the defaults
 *   time: event_time              DATE/TIMESTAMP (or a number, for `N rows`) column…
 *   window: week                  …split into `day`, `week` (ISO, Monday) or `<N> rows` windows:
 *                                 each window is tested against the whole reference (heatmap)
 *   segment: plan                 the report within each value of this column, or `auto`: search
 *                                 every single-column segment, Benjamini–Hochberg at `fdr`
 *   fdr: 0.05
 *   target: churned               labels and model output: performance (AUC, accuracy, or
 *   prediction: churn_probability MAE/RMSE) overall and by window; the prediction column's own
 *   metrics: auc, accuracy        drift is in the report
 *   positive: 1                   the positive class, when the target does not tell
 *   units: monthly_charges=USD, sessions_per_week=sessions per week
 *                                 units for the distribution plots' axes
 *
 * Results are always written to DuckDB as a table named after the cell (like SQL and model
 * cells), one row per result in long form: `scope` (overall, window, segment, segment_search,
 * performance), column, kind, method, statistic, p_value, p_adjusted, threshold,
 * lower_threshold, drifted, effect_size, window, window_start, period, segment_column,
 * segment_value, reference_count, current_count. Later cells query it by name.
 */
import * as Comlink from 'comlink';
import { Bool, DataType, Float64, Int32, Table, TimestampMillisecond, Utf8, tableToIPC, type Table as ArrowTable } from 'apache-arrow';
import { vectorFromValues } from '#lib/sql/arrow-vector.ts';
import type { CellRunner } from '#lib/cells/core/types.ts';
import { Fields } from '#lib/cells/core/fields.ts';
import { finite, schemaOf, statsInput } from '#lib/cells/core/stats-input.ts';
import { quoteIdentifier, referencedNames } from '#lib/sql/identifiers.ts';
import {
	isDriftMethod,
	isPerformanceMetric,
	parseWindow,
	DRIFT_METHODS,
	PERFORMANCE_METRICS,
	type DriftAnalysis,
	type DriftReport,
	type PerformanceMetric
} from '#lib/stats/index.ts';
import type { DriftAnalysisRequest, DriftWorkerTimings } from '#lib/workers/protocol.ts';

export interface DriftSettings {
	methods: string[];
	threshold: number | 'reference' | null;
	time?: string;
	window?: string;
	segment?: string;
	target?: string;
	prediction?: string;
	units: Record<string, string>;
}

export interface DriftValue {
	/** What the reference and current samples are (a table name, or a table and its condition). */
	reference: string;
	current: string;
	report: DriftReport;
	/** Everything beyond the report (absent in values from older versions). */
	analysis?: Omit<DriftAnalysis, 'report'>;
	settings?: DriftSettings;
	/** The DuckDB table the results were written to. */
	output?: { table: string; rows: number };
	/** Where the run spent its time, in milliseconds. */
	timings?: DriftTimings;
}

export interface DriftTimings extends DriftWorkerTimings {
	/** The two DuckDB queries, to Arrow on this thread. */
	query_ms: number;
	/** From sending the Arrow data to the worker until its answer (includes the worker's time). */
	worker_ms: number;
	/** Writing the results table. */
	write_ms: number;
}

/** The time column as it crosses to the worker: epoch milliseconds. */
const TIME_COLUMN = '__driftbook_time';

interface Sample {
	label: string;
	table: string;
	condition?: string;
}

function parseUnits(text: string | undefined, cell: string): Record<string, string> {
	const units: Record<string, string> = {};
	if (!text) return units;
	for (const part of text.split(',')) {
		if (part.trim() === '') continue;
		const eq = part.indexOf('=');
		if (eq <= 0) throw new Error(`cell ${cell}, field "units": "${part.trim()}" is not column=unit`);
		units[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
	}
	return units;
}

function samples(fields: Fields, cell: string): { reference: Sample; current: Sample } {
	const table = fields.optional('table');
	const where = fields.optional('where');
	const both = (c?: string) =>
		[c, where]
			.filter((x): x is string => !!x)
			.map((x) => `(${x})`)
			.join(' AND ') || undefined;
	if (table) {
		if (fields.optional('reference') || fields.optional('current')) {
			throw new Error(`cell ${cell}: use either "table" with "split", or "reference" and "current", not both`);
		}
		const split = fields.optional('split');
		if (!split)
			throw new Error(`cell ${cell}, field "split": is required with "table" (a condition true for reference rows, e.g. event_time < TIMESTAMP '2026-03-02')`);
		return {
			reference: { label: `${table} where ${split}`, table, condition: both(`(${split}) IS TRUE`) },
			current: { label: `${table} where not (${split})`, table, condition: both(`(${split}) IS FALSE`) }
		};
	}
	const reference = fields.optional('reference');
	const current = fields.optional('current');
	if (!reference || !current) {
		throw new Error(`cell ${cell}: set "reference" and "current" (two tables), or "table" and "split" (one table split in two)`);
	}
	return {
		reference: { label: reference, table: reference, condition: both() },
		current: { label: current, table: current, condition: both() }
	};
}

/** SQL giving epoch milliseconds for the time column, by its type. */
function timeExpression(schema: ArrowTable, column: string, window: string, cell: string): string {
	const field = schema.schema.fields.find((f) => f.name === column);
	if (!field) throw new Error(`cell ${cell}, field "time": no column "${column}"`);
	const q = quoteIdentifier(column);
	if (DataType.isTimestamp(field.type)) return field.type.timezone ? `epoch_ms(${q})::DOUBLE` : `epoch_ms(CAST(${q} AS TIMESTAMP))::DOUBLE`;
	if (DataType.isDate(field.type)) return `epoch_ms(CAST(${q} AS TIMESTAMP))::DOUBLE`;
	if (DataType.isInt(field.type) || DataType.isFloat(field.type) || DataType.isDecimal(field.type)) {
		if (!/rows?$/.test(window.trim())) {
			throw new Error(`cell ${cell}, field "window": "${column}" is a number, so only "<N> rows" windows apply (day and week need a DATE or TIMESTAMP)`);
		}
		return `CAST(${q} AS DOUBLE)`;
	}
	// Text: DuckDB reads ISO 8601 timestamps.
	return `epoch_ms(CAST(${q} AS TIMESTAMP))::DOUBLE`;
}

function sampleQuery(sample: Sample, columns: string[], time: string | undefined): string {
	const select = [...columns.map(quoteIdentifier), ...(time ? [`${time} AS ${quoteIdentifier(TIME_COLUMN)}`] : [])];
	return `SELECT ${select.join(', ')} FROM ${quoteIdentifier(sample.table)}${sample.condition ? ` WHERE ${sample.condition}` : ''}`;
}

// ————— the results table —————

interface ResultRow {
	scope: string;
	column: string | null;
	kind: string | null;
	method: string | null;
	statistic: number | null;
	p_value: number | null;
	p_adjusted: number | null;
	threshold: number | null;
	lower_threshold: number | null;
	drifted: boolean | null;
	effect_size: number | null;
	window: string | null;
	window_start: number | null;
	period: string | null;
	segment_column: string | null;
	segment_value: string | null;
	reference_count: number | null;
	current_count: number | null;
}

const EMPTY: ResultRow = {
	scope: '',
	column: null,
	kind: null,
	method: null,
	statistic: null,
	p_value: null,
	p_adjusted: null,
	threshold: null,
	lower_threshold: null,
	drifted: null,
	effect_size: null,
	window: null,
	window_start: null,
	period: null,
	segment_column: null,
	segment_value: null,
	reference_count: null,
	current_count: null
};

/** The fields every test result fills: what was tested, how, and what it found. */
function tested(
	column: string,
	kind: ResultRow['kind'],
	method: string,
	t: { statistic: number | null; p_value: number | null; drifted: boolean | null; effect_size?: number | null }
): Partial<ResultRow> {
	return { column, kind, method, statistic: finite(t.statistic), p_value: finite(t.p_value), drifted: t.drifted, effect_size: finite(t.effect_size) };
}

/** Every result in long form, one row each. */
export function resultRows(report: DriftReport, analysis: Omit<DriftAnalysis, 'report'>): ResultRow[] {
	const rows: ResultRow[] = [];
	const reportRows = (r: DriftReport, extra: Partial<ResultRow>) => {
		for (const c of r.columns) {
			for (const t of c.tests) {
				rows.push({
					...EMPTY,
					...extra,
					...tested(c.column, c.kind, t.method, t),
					threshold: t.threshold,
					reference_count: c.reference.count,
					current_count: c.current.count
				});
			}
		}
	};
	reportRows(report, { scope: 'overall' });
	const time = analysis.over_time;
	if (time) {
		for (const col of time.columns) {
			col.values.forEach((v, i) => {
				const w = time.windows[i];
				const t = col.threshold;
				rows.push({
					...EMPTY,
					scope: 'window',
					...tested(col.column, col.kind, col.method, v),
					threshold: t === null ? null : t.mode === 'fixed' ? t.value : t.upper,
					lower_threshold: t?.mode === 'reference' ? t.lower : null,
					window: w.label,
					window_start: w.start,
					period: w.period,
					current_count: v.count
				});
			});
		}
	}
	const segments = analysis.segments;
	if (segments) {
		for (const s of segments.segments) {
			if (s.report) reportRows(s.report, { scope: 'segment', segment_column: segments.segment_column, segment_value: s.value });
		}
	}
	for (const f of analysis.segment_search?.findings ?? []) {
		rows.push({
			...EMPTY,
			scope: 'segment_search',
			...tested(f.column, f.kind, f.method, f),
			p_adjusted: finite(f.p_adjusted),
			threshold: analysis.segment_search!.fdr,
			segment_column: f.segment_column,
			segment_value: f.segment_value,
			reference_count: f.reference_rows,
			current_count: f.current_rows
		});
	}
	const perf = analysis.performance;
	if (perf) {
		for (const m of perf.metrics) {
			rows.push({
				...EMPTY,
				scope: 'performance',
				column: perf.prediction,
				method: m.metric,
				statistic: m.reference,
				period: 'reference',
				reference_count: perf.reference_rows
			});
			rows.push({
				...EMPTY,
				scope: 'performance',
				column: perf.prediction,
				method: m.metric,
				statistic: m.current,
				period: 'current',
				current_count: perf.current_rows
			});
			for (const w of m.windows) {
				const win = time?.windows[w.window];
				rows.push({
					...EMPTY,
					scope: 'performance',
					column: perf.prediction,
					method: m.metric,
					statistic: w.value,
					threshold: m.threshold?.upper ?? null,
					lower_threshold: m.threshold?.lower ?? null,
					drifted: w.drifted,
					window: win?.label ?? null,
					window_start: win?.start ?? null,
					period: w.period,
					current_count: w.rows
				});
			}
		}
	}
	return rows;
}

export function resultTable(rows: ResultRow[]): Table {
	const col = <K extends keyof ResultRow>(k: K) => rows.map((r) => r[k]);
	return new Table({
		scope: vectorFromValues(col('scope'), new Utf8()),
		column: vectorFromValues(col('column'), new Utf8()),
		kind: vectorFromValues(col('kind'), new Utf8()),
		method: vectorFromValues(col('method'), new Utf8()),
		statistic: vectorFromValues(col('statistic'), new Float64()),
		p_value: vectorFromValues(col('p_value'), new Float64()),
		p_adjusted: vectorFromValues(col('p_adjusted'), new Float64()),
		threshold: vectorFromValues(col('threshold'), new Float64()),
		lower_threshold: vectorFromValues(col('lower_threshold'), new Float64()),
		drifted: vectorFromValues(col('drifted'), new Bool()),
		effect_size: vectorFromValues(col('effect_size'), new Float64()),
		window: vectorFromValues(col('window'), new Utf8()),
		window_start: vectorFromValues(col('window_start'), new TimestampMillisecond()),
		period: vectorFromValues(col('period'), new Utf8()),
		segment_column: vectorFromValues(col('segment_column'), new Utf8()),
		segment_value: vectorFromValues(col('segment_value'), new Utf8()),
		reference_count: vectorFromValues(col('reference_count'), new Int32()),
		current_count: vectorFromValues(col('current_count'), new Int32())
	});
}

export const driftCell: CellRunner = {
	kind: 'drift',
	inputs: (cell, cellNames) => {
		const fields = new Fields(cell);
		// Tables named in the conditions are inputs too (a subquery in `where`, say).
		const sql = [fields.optional('split'), fields.optional('where')].filter((s): s is string => !!s).join('\n');
		const named = [...fields.referenced(['reference', 'current', 'table']), ...referencedNames(sql, cellNames)];
		return [...new Set(named)].filter((n) => n !== cell.name);
	},
	async run(cell, _inputs, services, { signal, progress }): Promise<DriftValue> {
		const name = cell.name;
		const fields = new Fields(cell);
		const { reference, current } = samples(fields, name);
		const methods = fields.list('method') ?? ['auto'];
		for (const m of methods) {
			if (m !== 'auto' && !isDriftMethod(m)) {
				throw new Error(`cell ${name}, field "method": unknown method "${m}" (auto or one of ${Object.keys(DRIFT_METHODS).join(', ')})`);
			}
		}
		const thresholdText = fields.optional('threshold');
		const threshold: number | 'reference' | undefined =
			thresholdText === undefined ? undefined : thresholdText.toLowerCase() === 'reference' ? 'reference' : fields.number('threshold');
		const time = fields.optional('time');
		const windowText = fields.optional('window');
		if (windowText && !time && !/rows?$|^\d/.test(windowText.trim())) {
			throw new Error(`cell ${name}, field "time": windows by ${windowText} need a time column (time: <column>)`);
		}
		let window;
		try {
			window = windowText ? parseWindow(windowText) : time ? parseWindow('week') : undefined;
		} catch (error) {
			throw new Error(`cell ${name}, field "window": ${(error as Error).message}`, { cause: error });
		}
		if (threshold === 'reference' && !window) {
			throw new Error(`cell ${name}, field "threshold": "reference" learns from the reference's windows: set "time" and "window"`);
		}
		const segmentText = fields.optional('segment');
		const segmentSearch = segmentText?.toLowerCase() === 'auto';
		const segment = segmentSearch ? undefined : segmentText;
		const fdr = fields.number('fdr');
		const target = fields.optional('target');
		const prediction = fields.optional('prediction');
		if (!!target !== !!prediction) throw new Error(`cell ${name}: performance needs both "target" (labels) and "prediction" (the model's output)`);
		const metrics = fields.list('metrics');
		for (const m of metrics ?? []) {
			if (!isPerformanceMetric(m)) throw new Error(`cell ${name}, field "metrics": unknown metric "${m}" (one of ${PERFORMANCE_METRICS.join(', ')})`);
		}
		const units = parseUnits(fields.optional('units'), name);

		const db = await services.db();
		const [refSchema, curSchema] =
			reference.table === current.table
				? await schemaOf(db, reference.table, signal).then((s) => [s, s])
				: await Promise.all([schemaOf(db, reference.table, signal), schemaOf(db, current.table, signal)]);
		const inRef = new Set(refSchema.schema.fields.map((f) => f.name));
		const inCur = new Set(curSchema.schema.fields.map((f) => f.name));
		const need = (column: string, field: string) => {
			if (!inRef.has(column)) throw new Error(`cell ${name}, field "${field}": column "${column}" is not in ${reference.table}`);
			if (!inCur.has(column)) throw new Error(`cell ${name}, field "${field}": column "${column}" is not in ${current.table}`);
		};
		const exclude = new Set([...(fields.list('exclude') ?? []), ...(time ? [time] : [])]);
		const shared = refSchema.schema.fields.map((f) => f.name).filter((n) => inCur.has(n) && !exclude.has(n));
		const columns = fields.list('columns') ?? shared;
		if (columns.length === 0) throw new Error(`cell ${name}: the two samples share no column to test`);
		for (const c of columns) need(c, 'columns');
		for (const [value, field] of [
			[time, 'time'],
			[segment, 'segment'],
			[target, 'target'],
			[prediction, 'prediction']
		] as const) {
			if (value) need(value, field);
		}
		const carried = [...new Set([...columns, ...[segment, target, prediction].filter((c): c is string => !!c)])];
		const refTime = time ? timeExpression(refSchema, time, windowText ?? 'week', name) : undefined;
		const curTime = time ? timeExpression(curSchema, time, windowText ?? 'week', name) : undefined;

		const queryStart = performance.now();
		// DuckDB's IPC bytes go to the stats worker as they came: not decoded or copied on this thread.
		const [refIPC, curIPC] = await Promise.all([
			statsInput(db, sampleQuery(reference, carried, refTime), `cell ${name}: the reference sample (${reference.label}) has no rows`, signal),
			statsInput(db, sampleQuery(current, carried, curTime), `cell ${name}: the current sample (${current.label}) has no rows`, signal)
		]);
		const queried = performance.now();

		const request: DriftAnalysisRequest = {
			jobId: crypto.randomUUID(),
			columns,
			methods,
			threshold,
			window,
			timeColumn: time ? TIME_COLUMN : undefined,
			segment,
			segmentSearch,
			fdr,
			target,
			prediction,
			metrics: metrics as PerformanceMetric[] | undefined,
			positive: fields.optional('positive')
		};
		performance.mark(`driftbook:${name}:queried`);
		const { api, crashed } = await services.stats();
		performance.mark(`driftbook:${name}:stats`);
		const onAbort = () => void api.cancel(request.jobId);
		signal.addEventListener('abort', onAbort, { once: true });
		let result: DriftAnalysis & { timings: DriftWorkerTimings };
		const sent = performance.now();
		try {
			result = await Promise.race([
				api.driftAnalysis(Comlink.transfer(refIPC, [refIPC.buffer]), Comlink.transfer(curIPC, [curIPC.buffer]), request, Comlink.proxy(progress)),
				crashed
			]);
		} catch (error) {
			if (signal.aborted) throw error;
			throw new Error(`cell ${name}: ${(error as Error).message}`, { cause: error });
		} finally {
			signal.removeEventListener('abort', onAbort);
		}
		signal.throwIfAborted();
		const answered = performance.now();
		performance.mark(`driftbook:${name}:answered`);

		const { report, timings: workerTimings, ...analysis } = result;
		const rows = resultRows(report, analysis);
		await db.insertArrowIPC(name, tableToIPC(resultTable(rows), 'stream'));
		const timings: DriftTimings = {
			query_ms: queried - queryStart,
			worker_ms: answered - sent,
			write_ms: performance.now() - answered,
			...workerTimings
		};
		return {
			reference: reference.label,
			current: current.label,
			report,
			analysis,
			settings: {
				methods,
				threshold: threshold ?? null,
				time,
				window: window ? (window.unit === 'rows' ? `${window.size} rows` : window.unit) : undefined,
				segment: segmentText,
				target,
				prediction,
				units
			},
			output: { table: name, rows: rows.length },
			timings
		};
	}
};
