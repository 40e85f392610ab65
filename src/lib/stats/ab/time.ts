/** Time columns for the A/B and champion analyses: parsing and bucketing for "over time" views. */
import { parseStringValues, type Column } from '#lib/stats/column.ts';
import { AbInputError } from './errors';

/**
 * Epoch milliseconds from Date-like strings; numbers as given, as epoch milliseconds when
 * `numbers` is 'ms' and as plain ordered values (unit 'number') otherwise.
 */
export function timeValues(col: Column, what: string, numbers: 'ms' | 'number' = 'number'): { values: Float64Array; unit: 'ms' | 'number' } {
	if (col.type === 'number') return { values: col.values, unit: numbers };
	const out = parseStringValues(col.values, (value, row) => {
		const text = value.trim();
		let t = Date.parse(text);
		if (Number.isNaN(t)) t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text.replace(' ', 'T') : text.replace(' ', 'T') + 'Z');
		if (Number.isNaN(t)) throw new AbInputError(`${what}: "${text}" is not a date or time (row ${row + 1})`, row);
		return t;
	});
	return { values: out, unit: 'ms' };
}

export const MAX_BUCKETS = 60;
const MIN_BUCKETS = 7;
const MINUTE = 60_000;
const BUCKETS_MS = [MINUTE, 10 * MINUTE, 60 * MINUTE, 6 * 60 * MINUTE, 24 * 60 * MINUTE, 7 * 24 * 60 * MINUTE, 30 * 24 * 60 * MINUTE];

/** Start of each row's bucket: calendar-aligned (UTC) widths for epoch ms, equal widths otherwise. */
export function bucketStarts(t: Float64Array, rows: number[], unit: 'ms' | 'number'): Map<number, number> {
	let lo = Infinity;
	let hi = -Infinity;
	for (const i of rows) {
		if (t[i] < lo) lo = t[i];
		if (t[i] > hi) hi = t[i];
	}
	const span = hi - lo;
	const out = new Map<number, number>();
	if (unit === 'ms') {
		// The coarsest calendar width that still gives MIN_BUCKETS periods, else the finest that fits.
		const fits = BUCKETS_MS.filter((w) => span / w < MAX_BUCKETS);
		const width = [...fits].reverse().find((w) => span / w >= MIN_BUCKETS) ?? fits[0] ?? BUCKETS_MS[BUCKETS_MS.length - 1];
		// Weeks start on Monday (1970-01-05 was a Monday).
		const offset = width === 7 * 24 * 60 * MINUTE ? 4 * 24 * 60 * MINUTE : 0;
		for (const i of rows) out.set(i, Math.floor((t[i] - offset) / width) * width + offset);
		return out;
	}
	const distinct = new Set(rows.map((i) => t[i]));
	if (distinct.size <= MAX_BUCKETS) {
		for (const i of rows) out.set(i, t[i]);
		return out;
	}
	const width = span / MAX_BUCKETS;
	for (const i of rows) out.set(i, lo + Math.min(MAX_BUCKETS - 1, Math.floor((t[i] - lo) / width)) * width);
	return out;
}
