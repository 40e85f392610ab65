/**
 * Column input type of the drift library and helpers to build columns from
 * raw CSV strings or from values as they come out of an Arrow table.
 *
 * Missing values: an empty string, `NA`, `NaN` and `null` (any letter case),
 * JS null / undefined, and NaN in number columns.
 */

export type Column =
	| {
			type: 'number';
			values: Float64Array /* NaN = missing */;
			/** The values are ascending without NaN (as sortFloat64 leaves them): the tests use them as they are, unsorted again. */
			sorted?: boolean;
	  }
	| { type: 'string'; values: ArrayLike<string | null> };

/** True for values treated as missing in string columns. */
export function isMissingString(s: string | null | undefined): boolean {
	if (typeof s !== 'string') {
		// tolerate untyped callers: null, undefined and NaN are missing, other values are kept
		return s === null || s === undefined || Number.isNaN(s);
	}
	// s.toLowerCase() is 'na', 'nan' or 'null' exactly when every code unit is that letter in either
	// ASCII case (no other code unit lower-cases to an ASCII letter: column.test.ts checks them
	// all), compared here without making the lower-case string
	const n = s.length;
	if (n === 0) return true;
	if (n === 1 || n > 4) return false;
	const c0 = s.charCodeAt(0) | 0x20;
	const c1 = s.charCodeAt(1) | 0x20;
	if (n === 4) return c0 === 0x6e && c1 === 0x75 && (s.charCodeAt(2) | 0x20) === 0x6c && (s.charCodeAt(3) | 0x20) === 0x6c;
	if (c0 !== 0x6e || c1 !== 0x61) return false;
	return n === 2 || (s.charCodeAt(2) | 0x20) === 0x6e;
}

/** A column of raw CSV strings (categories keep their exact spelling). */
export function columnFromStrings(values: ArrayLike<string | null>): Column {
	return { type: 'string', values };
}

function isNumberLike(v: unknown): v is number | bigint {
	return typeof v === 'number' || typeof v === 'bigint';
}

function isMissingValue(v: unknown): boolean {
	return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

function valueToString(v: unknown): string | null {
	if (isMissingValue(v)) return null;
	if (typeof v === 'string') return v;
	if (typeof v === 'number' || typeof v === 'bigint') return String(v);
	if (typeof v === 'boolean') return v ? 'true' : 'false';
	if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
	return String(v);
}

/**
 * A column from JS values as produced by an Arrow table (numbers, bigints,
 * booleans, strings, Dates, null). When every non-missing value is a number
 * or a bigint the result is a number column; otherwise a string column where
 * booleans become "true"/"false", Dates ISO 8601 strings and numbers String(n).
 */
export function columnFromValues(values: ArrayLike<unknown>): Column {
	const n = values.length;
	let numeric = true;
	for (let i = 0; i < n; i++) {
		const v = values[i];
		if (!isMissingValue(v) && !isNumberLike(v)) {
			numeric = false;
			break;
		}
	}
	if (numeric) {
		const out = new Float64Array(n);
		for (let i = 0; i < n; i++) {
			const v = values[i];
			out[i] = v === null || v === undefined ? NaN : Number(v as number | bigint);
		}
		return { type: 'number', values: out };
	}
	const out: (string | null)[] = new Array<string | null>(n);
	for (let i = 0; i < n; i++) out[i] = valueToString(values[i]);
	return { type: 'string', values: out };
}

/** A string column's values parsed one by one (`parse` may throw, naming the row), NaN for missing ones. */
export function parseStringValues(values: ArrayLike<string | null>, parse: (text: string, row: number) => number): Float64Array {
	const out = new Float64Array(values.length);
	for (let i = 0; i < out.length; i++) {
		const s = values[i];
		out[i] = isMissingString(s) ? NaN : parse(String(s), i);
	}
	return out;
}
