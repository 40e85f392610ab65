/**
 * Column kind detection and the per-kind data the tests work on.
 *
 * Rule (reference and current together, missing values dropped):
 * - `numerical` when every value parses as a finite number and the union has
 *   more than 5 distinct numbers;
 * - `binary` when the union has at most 2 distinct values;
 * - `categorical` otherwise.
 * Categories are the values as written (`String(n)` for number columns).
 */

import { isMissingString, type Column } from './column';
import { sortFloat64 } from './sort';

export type ColumnKind = 'numerical' | 'binary' | 'categorical';

/** Distinct values above which an all-numeric column counts as numerical. */
export const NUMERICAL_MIN_DISTINCT = 6;

export interface SampleCounts {
	/** Non-missing rows. */
	count: number;
	/** Missing rows. */
	missing: number;
}

export interface NumericalData {
	kind: 'numerical';
	reference: SampleCounts;
	current: SampleCounts;
	/** Sorted non-missing values. */
	ref: Float64Array;
	cur: Float64Array;
}

export interface CategoricalData {
	kind: 'binary' | 'categorical';
	reference: SampleCounts;
	current: SampleCounts;
	/** Union of categories, sorted by UTF-16 code units. */
	categories: string[];
	refCounts: Float64Array;
	curCounts: Float64Array;
	/** Every non-missing value is a number (a column of few distinct numbers). */
	numbers: boolean;
}

export type PreparedColumn = NumericalData | CategoricalData;

const NUMBER_RE = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** Parses a decimal number (optional sign, decimals, exponent, surrounding blanks); NaN otherwise. */
export function parseNumber(s: string): number {
	if (!NUMBER_RE.test(s)) return NaN;
	return Number(s);
}

interface Parsed {
	missing: number;
	/** Finite parsed values when every non-missing value is numeric, else null. */
	numbers: Float64Array | null;
	/** `numbers` are the column's own values, already sorted (not to be sorted or changed). */
	sorted?: boolean;
}

function parseColumn(col: Column): Parsed {
	const n = col.values.length;
	if (col.type === 'number' && col.sorted) {
		const v = col.values;
		const finite = n === 0 || (Number.isFinite(v[0]) && Number.isFinite(v[n - 1]));
		return { missing: 0, numbers: finite ? v : null, sorted: true };
	}
	if (col.type === 'number') {
		const v = col.values;
		let missing = 0;
		let finite = true;
		for (let i = 0; i < n; i++) {
			const x = v[i];
			if (Number.isNaN(x)) missing++;
			else if (x === Infinity || x === -Infinity) finite = false;
		}
		if (!finite) return { missing, numbers: null };
		const out = new Float64Array(n - missing);
		let k = 0;
		for (let i = 0; i < n; i++) if (!Number.isNaN(v[i])) out[k++] = v[i];
		return { missing, numbers: out };
	}
	const v = col.values;
	let missing = 0;
	let numeric = true;
	// allocated at the first value that parses: a text column needs none
	let out: Float64Array | null = null;
	let k = 0;
	for (let i = 0; i < n; i++) {
		const s = v[i];
		if (isMissingString(s)) {
			missing++;
			continue;
		}
		if (!numeric) continue;
		const x = parseNumber(String(s));
		if (!Number.isFinite(x)) {
			numeric = false;
			continue;
		}
		out ??= new Float64Array(n);
		out[k++] = x;
	}
	if (!numeric) return { missing, numbers: null };
	return { missing, numbers: (out ?? new Float64Array(0)).subarray(0, k) };
}

/** Number of distinct values in the union of two sorted arrays, counting at most up to `limit`. */
function countDistinctUnion(a: Float64Array, b: Float64Array, limit: number): number {
	let i = 0;
	let j = 0;
	let count = 0;
	while ((i < a.length || j < b.length) && count < limit) {
		const v = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
		count++;
		while (i < a.length && a[i] <= v) i++;
		while (j < b.length && b[j] <= v) j++;
	}
	return count;
}

/** Each non-missing value's count (`String(n)` for numbers), in order of first appearance: one Map lookup per row. */
function categoryCounts(col: Column, counts: Map<string, number>): void {
	const n = col.values.length;
	const slots = new Map<string, number>();
	const tally: number[] = [];
	const count = (key: string) => {
		const slot = slots.get(key);
		if (slot !== undefined) tally[slot]++;
		else {
			slots.set(key, tally.length);
			tally.push(1);
		}
	};
	if (col.type === 'number') {
		const v = col.values;
		for (let i = 0; i < n; i++) if (!Number.isNaN(v[i])) count(String(v[i]));
	} else {
		const v = col.values;
		for (let i = 0; i < n; i++) if (!isMissingString(v[i])) count(String(v[i]));
	}
	for (const [key, slot] of slots) counts.set(key, tally[slot]);
}

/** Decide a column's kind from reference and current, and prepare its data for the tests. */
export function prepareColumn(reference: Column, current: Column): PreparedColumn {
	const pr = parseColumn(reference);
	const pc = parseColumn(current);
	const refCounts: SampleCounts = { count: reference.values.length - pr.missing, missing: pr.missing };
	const curCounts: SampleCounts = { count: current.values.length - pc.missing, missing: pc.missing };
	if (pr.numbers && pc.numbers) {
		// parseColumn returns fresh arrays (sort them in place) or sorted ones
		const ref = pr.sorted ? pr.numbers : sortFloat64(pr.numbers);
		const cur = pc.sorted ? pc.numbers : sortFloat64(pc.numbers);
		if (countDistinctUnion(ref, cur, NUMERICAL_MIN_DISTINCT) >= NUMERICAL_MIN_DISTINCT) {
			return { kind: 'numerical', reference: refCounts, current: curCounts, ref, cur };
		}
	}
	const rc = new Map<string, number>();
	const cc = new Map<string, number>();
	categoryCounts(reference, rc);
	categoryCounts(current, cc);
	const union = new Set<string>(rc.keys());
	for (const k of cc.keys()) union.add(k);
	const categories = [...union].sort();
	const r = new Float64Array(categories.length);
	const c = new Float64Array(categories.length);
	categories.forEach((k, i) => {
		r[i] = rc.get(k) ?? 0;
		c[i] = cc.get(k) ?? 0;
	});
	return {
		kind: categories.length <= 2 ? 'binary' : 'categorical',
		reference: refCounts,
		current: curCounts,
		categories,
		refCounts: r,
		curCounts: c,
		numbers: pr.numbers !== null && pc.numbers !== null
	};
}

/** Why a column has its kind, in words: "numbers with only 3 distinct values; numerical needs at least 6". */
export function kindReason(data: PreparedColumn): string {
	if (data.kind === 'numerical') return `numbers with at least ${NUMERICAL_MIN_DISTINCT} distinct values`;
	const k = data.categories.length;
	const distinct = `${k} distinct value${k === 1 ? '' : 's'}`;
	if (data.kind === 'binary') return `${data.numbers ? 'numbers with only ' : ''}${distinct}; at most 2 make a column binary`;
	if (data.numbers) return `numbers with only ${distinct}; numerical needs at least ${NUMERICAL_MIN_DISTINCT}`;
	return `values that are not all numbers, ${distinct}`;
}

/** The kind of a column pair (see the module comment for the rule). */
export function columnKind(reference: Column, current: Column): ColumnKind {
	return prepareColumn(reference, current).kind;
}
