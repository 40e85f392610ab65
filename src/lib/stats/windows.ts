/**
 * Time windows: rows split by a time column into calendar days, ISO weeks (Monday to Sunday),
 * or consecutive runs of N rows in time order. Times are epoch milliseconds read as UTC
 * (DuckDB's `epoch_ms(timestamp)`); NaN marks a row without a time, which belongs to no window.
 */

import type { Column } from './column';

export type WindowSpec = { unit: 'day' } | { unit: 'week' } | { unit: 'rows'; size: number };

export interface TimeWindow {
	/** Position in time order, from 0. */
	index: number;
	/** `2026-01-05` (day, or the Monday starting a week), or `rows 1–5,000`. */
	label: string;
	/** First instant in the window (day/week: its calendar start; rows: its earliest time), epoch ms. */
	start: number | null;
	/** Day/week: the start of the next window; rows: the latest time in the window. */
	end: number | null;
	rows: number;
}

export interface Windowing {
	spec: WindowSpec;
	windows: TimeWindow[];
	/** Window index of each row (-1: no time, so in no window). */
	assignment: Int32Array;
}

const DAY_MS = 86_400_000;

/** `day`, `week`, `5000 rows` (also `5000`, `5,000 rows`, `1 row`); throws on anything else. */
export function parseWindow(text: string): WindowSpec {
	const t = text.trim().toLowerCase();
	if (t === 'day' || t === 'daily' || t === '1 day') return { unit: 'day' };
	if (t === 'week' || t === 'weekly' || t === '1 week') return { unit: 'week' };
	const m = /^(\d[\d,_]*)(?:\s*rows?)?$/.exec(t);
	if (m) {
		const size = Number(m[1].replace(/[,_]/g, ''));
		if (Number.isSafeInteger(size) && size >= 1) return { unit: 'rows', size };
	}
	throw new Error(`window "${text}" is not one of: day, week, <N> rows`);
}

export function describeWindow(spec: WindowSpec): string {
	return spec.unit === 'rows' ? `${spec.size.toLocaleString('en-US')} rows` : spec.unit;
}

function isoDate(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

/** Day number since 1970-01-01 (UTC) → the day number of the Monday starting its week. */
function mondayOf(day: number): number {
	// 1970-01-01 was a Thursday: day 0 is weekday 3 counting from Monday = 0.
	return day - ((((day + 3) % 7) + 7) % 7);
}

function calendarWindows(time: ArrayLike<number>, unit: 'day' | 'week'): { windows: TimeWindow[]; assignment: Int32Array } {
	const n = time.length;
	const keys = new Float64Array(n);
	const distinct = new Set<number>();
	for (let i = 0; i < n; i++) {
		const t = time[i];
		if (!Number.isFinite(t)) {
			keys[i] = NaN;
			continue;
		}
		const day = Math.floor(t / DAY_MS);
		const key = unit === 'day' ? day : mondayOf(day);
		keys[i] = key;
		distinct.add(key);
	}
	const ordered = [...distinct].sort((a, b) => a - b);
	const position = new Map<number, number>(ordered.map((k, i) => [k, i]));
	const rows = new Array<number>(ordered.length).fill(0);
	const assignment = new Int32Array(n);
	for (let i = 0; i < n; i++) {
		const k = keys[i];
		if (Number.isNaN(k)) {
			assignment[i] = -1;
			continue;
		}
		const w = position.get(k)!;
		assignment[i] = w;
		rows[w]++;
	}
	const span = unit === 'day' ? 1 : 7;
	const windows = ordered.map((key, index) => ({
		index,
		label: isoDate(key * DAY_MS),
		start: key * DAY_MS,
		end: (key + span) * DAY_MS,
		rows: rows[index]
	}));
	return { windows, assignment };
}

function rowWindows(time: ArrayLike<number> | null, n: number, size: number): { windows: TimeWindow[]; assignment: Int32Array } {
	const assignment = new Int32Array(n).fill(-1);
	let order: Uint32Array;
	if (time) {
		let k = 0;
		const timed = new Uint32Array(n);
		for (let i = 0; i < n; i++) if (Number.isFinite(time[i])) timed[k++] = i;
		// Stable: equal times keep their row order.
		order = timed.subarray(0, k).sort((a, b) => time[a] - time[b] || a - b);
	} else {
		order = new Uint32Array(n);
		for (let i = 0; i < n; i++) order[i] = i;
	}
	const windows: TimeWindow[] = [];
	for (let from = 0; from < order.length; from += size) {
		const to = Math.min(order.length, from + size);
		const index = windows.length;
		for (let j = from; j < to; j++) assignment[order[j]] = index;
		const fmt = (x: number) => x.toLocaleString('en-US');
		windows.push({
			index,
			label: `rows ${fmt(from + 1)}–${fmt(to)}`,
			start: time ? time[order[from]] : null,
			end: time ? time[order[to - 1]] : null,
			rows: to - from
		});
	}
	return { windows, assignment };
}

/**
 * Splits `n` rows into windows by `time` (epoch ms; NaN = no time). `time` may be null only for
 * `N rows`, which then follows row order. Only non-empty windows are listed, in time order; the
 * last `N rows` window may be shorter (kept, as NannyML's size-based chunker does by default).
 */
export function assignWindows(time: ArrayLike<number> | null, spec: WindowSpec, n = time?.length ?? 0): Windowing {
	if (time && time.length !== n) throw new Error(`windows: ${time.length} times for ${n} rows`);
	if (spec.unit === 'rows') {
		if (!Number.isSafeInteger(spec.size) || spec.size < 1) throw new Error(`windows: ${spec.size} is not a row count`);
		return { spec, ...rowWindows(time, n, spec.size) };
	}
	if (!time) throw new Error(`windows by ${spec.unit} need a time column`);
	return { spec, ...calendarWindows(time, spec.unit) };
}

/** Row indices of each window, in row order. */
export function windowRows(windowing: Windowing): Uint32Array[] {
	const counts = windowing.windows.map((w) => w.rows);
	const out = counts.map((c) => new Uint32Array(c));
	const fill = new Array<number>(counts.length).fill(0);
	const a = windowing.assignment;
	for (let i = 0; i < a.length; i++) {
		const w = a[i];
		if (w >= 0) out[w][fill[w]++] = i;
	}
	return out;
}

/** The rows `rows` of a column, in that order. */
export function selectRows(column: Column, rows: ArrayLike<number>): Column {
	const n = rows.length;
	if (column.type === 'number') {
		const out = new Float64Array(n);
		const v = column.values;
		for (let i = 0; i < n; i++) out[i] = v[rows[i]];
		return { type: 'number', values: out };
	}
	const out = new Array<string | null>(n);
	const v = column.values;
	for (let i = 0; i < n; i++) out[i] = v[rows[i]];
	return { type: 'string', values: out };
}

/** The same rows of every column. */
export function selectColumns(
	columns: Record<string, Column>,
	rows: ArrayLike<number>,
	names: readonly string[] = Object.keys(columns)
): Record<string, Column> {
	const out: Record<string, Column> = {};
	for (const name of names) out[name] = selectRows(columns[name], rows);
	return out;
}
