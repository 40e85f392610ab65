/**
 * How driftbook writes numbers for people: report sentences, output tables, charts and the CLI.
 * One module so that a p-value or an effect reads the same everywhere. Pure: no DOM, no Node.
 */

export interface NumberStyle {
	/** Significant digits in plain notation. */
	digits?: number;
	/** Magnitudes below this (but not zero) are written in exponent form. */
	expBelow?: number;
	/** Magnitudes at or above this are written in exponent form. */
	expAbove?: number;
	/** Digits after the point in exponent form. */
	expDigits?: number;
	/** Written for null, undefined and non-finite values; absent: `String(x)` (NaN, Infinity). */
	missing?: string;
}

/** Reports' sentences: 3 significant digits, exponent form below 1e-4 and from 1e6 on. */
export const SENTENCE: NumberStyle = { digits: 3, expBelow: 1e-4, expAbove: 1e6, expDigits: 2 };
/** Sentences that compare two measured values: 4 significant digits. */
export const PRECISE: NumberStyle = { ...SENTENCE, digits: 4 };
/** Logged metrics (runs tables): 4 significant digits, plain notation from 1e-3 up to 1e7. */
export const METRIC: NumberStyle = { digits: 4, expBelow: 1e-3, expAbove: 1e7, expDigits: 3 };
/** Tables (CLI and outputs): 4 significant digits, a dash for what is missing. */
export const TABLE: NumberStyle = { digits: 4, expBelow: 1e-4, expAbove: 1e6, expDigits: 3, missing: '—' };

/** `0.0123`, `1.23e-7`, `4.57e+6`: a number rounded to significant digits, exponent form at the extremes. */
export function formatNumber(x: number | null | undefined, style: NumberStyle = SENTENCE): string {
	const { digits = 3, expBelow = 1e-4, expAbove = 1e6, expDigits = 2, missing } = style;
	if (x === null || x === undefined || !Number.isFinite(x)) return missing ?? String(x);
	if (x === 0) return '0';
	const magnitude = Math.abs(x);
	if (magnitude < expBelow || magnitude >= expAbove) return x.toExponential(expDigits);
	return String(Number(x.toPrecision(digits)));
}

/**
 * A difference with its sign always shown: `+0.5`. `minus` is the sign for negative values: the
 * typographic `−` in prose, the ASCII `-` in tables people copy.
 */
export function formatSigned(x: number | null | undefined, style: NumberStyle = SENTENCE, minus: '−' | '-' = '−'): string {
	if ((x === null || x === undefined || !Number.isFinite(x)) && style.missing !== undefined) return style.missing;
	if (x === null || x === undefined) return String(x);
	return (x > 0 ? '+' : x < 0 ? minus : '') + formatNumber(Math.abs(x), style);
}

/** A share as a percentage: `12.3%`. */
export function formatPercent(share: number, style: NumberStyle = SENTENCE): string {
	return `${formatNumber(100 * share, style)}%`;
}

/** A share with fixed decimals, for tables where the column should line up: `12.3%`. */
export function formatPercentFixed(share: number, decimals = 1): string {
	return `${(100 * share).toFixed(decimals)}%`;
}

/**
 * A p-value. `sentence`: `p = 0.012`, `p = 3.2e-5`, `p < 1e-300` (two significant digits, for
 * reports' prose). `table`: `0.0123`, `3.20e-5`, `< 1e-300` (four decimals, aligned in columns).
 * A p-value of 0 means it underflowed double precision, hence `< 1e-300`.
 */
export function formatPValue(p: number | null | undefined, form: 'sentence' | 'table' = 'table'): string {
	if (p === null || p === undefined) return '—';
	if (form === 'sentence') {
		if (p === 0) return 'p < 1e-300';
		return `p = ${p < 1e-4 ? p.toExponential(1) : String(Number(p.toPrecision(2)))}`;
	}
	if (p === 0) return '< 1e-300';
	return p < 1e-4 ? p.toExponential(2) : p.toFixed(4);
}

/** A count with thousands separators: `1,234,567`. */
export function formatCount(n: number): string {
	return n.toLocaleString('en-US');
}

/** A cell of a result table: integers in full, other numbers to 6 significant digits, dates as ISO. */
export function formatValue(value: unknown): string {
	if (value === null || value === undefined) return '∅';
	if (typeof value === 'number') {
		if (Number.isInteger(value)) return value.toLocaleString('en-US');
		return Math.abs(value) >= 1e-3 || value === 0 ? value.toLocaleString('en-US', { maximumSignificantDigits: 6 }) : value.toExponential(3);
	}
	if (value instanceof Date)
		return value
			.toISOString()
			.replace('T', ' ')
			.replace(/\.000Z$/, '');
	return String(value);
}

/**
 * A stored floating-point value for reading in a result grid: 6 significant digits, exponent
 * form (shortest) below 1e-4 and from 1e15: `0.3`, not `0.30000000000000004`; `3.2e-5`. The grid
 * keeps the full value for its tooltip, copy and download.
 */
export function formatReading(x: number): string {
	if (!Number.isFinite(x) || x === 0) return String(x);
	const rounded = Number(x.toPrecision(6));
	const magnitude = Math.abs(rounded);
	return magnitude < 1e-4 || magnitude >= 1e15 ? rounded.toExponential() : String(rounded);
}

/**
 * A number in full, as stored, with thousands separators: `2,232,588.5` (a Mann–Whitney U is a
 * count of pairs and halves, never to be rounded). Exponent form stays as JavaScript writes it.
 */
export function formatFull(x: number): string {
	const text = String(x);
	if (!Number.isFinite(x) || text.includes('e')) return text;
	const [whole, fraction] = text.split('.');
	const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
	return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/**
 * The value as stored, for a results table cell's tooltip and what copying it puts on the
 * clipboard: `0.000032123456789`, an interval as `[low, high]`; undefined when nothing is stored.
 */
export function storedValue(x: number | null | undefined | readonly (number | null | undefined)[]): string | undefined {
	if (Array.isArray(x)) return x.every((v) => v === null || v === undefined) ? undefined : `[${x.map((v) => String(v ?? '')).join(', ')}]`;
	return x === null || x === undefined ? undefined : String(x);
}

/** A size in decimal units: `512 bytes`, `1.5 MB`, `135 MB`. */
export function formatBytes(bytes: number): string {
	if (!Number.isFinite(bytes)) return '?';
	const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1000 && unit < units.length - 1) {
		value /= 1000;
		unit++;
	}
	return unit === 0 ? `${Math.round(value)} bytes` : `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}
