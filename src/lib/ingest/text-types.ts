/**
 * Type inference for values written as text (CSV fields, JSON strings): the narrowest DuckDB type
 * every value fits, with the date or timestamp format it reads with, and parsing those dates and
 * timestamps where DuckDB's casts are not used (JSON).
 */

/** An integer as written in text (what BIGINT reads). */
export const INTEGER_TEXT = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const SPECIAL_NUMBER = /^[+-]?(inf|infinity|nan)$/i;
const BOOLEAN = /^(true|false)$/i;
const INT64_MAX = 9223372036854775807n;

function fitsBigint(value: string): boolean {
	try {
		const n = BigInt(value);
		return n <= INT64_MAX && n >= -INT64_MAX - 1n;
	} catch {
		return false;
	}
}

interface DateFormat {
	format: string;
	pattern: RegExp;
	/** Indices of year, month, day in the match groups. */
	order: [number, number, number];
}

const DATE_FORMATS: DateFormat[] = [
	{ format: '%Y-%m-%d', pattern: /^(\d{4})-(\d{1,2})-(\d{1,2})$/, order: [1, 2, 3] },
	{ format: '%Y/%m/%d', pattern: /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/, order: [1, 2, 3] },
	{ format: '%m/%d/%Y', pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: [3, 1, 2] },
	{ format: '%d/%m/%Y', pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: [3, 2, 1] },
	{ format: '%d.%m.%Y', pattern: /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/, order: [3, 2, 1] },
	{ format: '%d-%m-%Y', pattern: /^(\d{1,2})-(\d{1,2})-(\d{4})$/, order: [3, 2, 1] },
	{ format: '%m-%d-%Y', pattern: /^(\d{1,2})-(\d{1,2})-(\d{4})$/, order: [3, 1, 2] }
];

const TIME_SUFFIXES: Array<{ format: string; pattern: string }> = [
	{ format: ' %H:%M:%S', pattern: ' (\\d{1,2}):(\\d{2}):(\\d{2})' },
	{ format: ' %H:%M', pattern: ' (\\d{1,2}):(\\d{2})()' }
];

/** ISO 8601 timestamps DuckDB's own cast reads: `2024-01-31 12:00:00[.123456]`, `T` allowed. */
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?$/;
const ISO_TIMESTAMP_TZ = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?\s?(Z|[+-]\d{2}(:?\d{2})?)$/;

function validDate(y: number, m: number, d: number): boolean {
	if (m < 1 || m > 12 || d < 1) return false;
	return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function validTime(h: number, mi: number, s: number): boolean {
	return h <= 23 && mi <= 59 && s <= 60;
}

/** Whether `value` reads as a date in `format` (one of the known formats, or a user's strptime format). */
export function matchesDateFormat(value: string, format: string): boolean {
	const known = DATE_FORMATS.find((f) => f.format === format);
	const regex = known?.pattern ?? strptimePattern(format);
	if (!regex) return false;
	const m = regex.exec(value);
	if (!m) return false;
	if (!known) return true;
	const [y, mo, d] = known.order.map((i) => Number(m[i]));
	return validDate(y, mo, d);
}

/** A regular expression for a strptime format using %Y %m %d %H %M %S %y %b %f %z (others: unknown). */
function strptimePattern(format: string): RegExp | undefined {
	const parts: Record<string, string> = {
		Y: '\\d{4}',
		y: '\\d{2}',
		m: '\\d{1,2}',
		d: '\\d{1,2}',
		H: '\\d{1,2}',
		I: '\\d{1,2}',
		M: '\\d{2}',
		S: '\\d{2}',
		f: '\\d{1,6}',
		g: '\\d{1,3}',
		p: '(?:AM|PM|am|pm)',
		b: '[A-Za-z]{3}',
		B: '[A-Za-z]+',
		a: '[A-Za-z]{3}',
		A: '[A-Za-z]+',
		z: '(?:Z|[+-]\\d{2}:?\\d{2})',
		j: '\\d{1,3}',
		'%': '%'
	};
	let out = '';
	for (let i = 0; i < format.length; i++) {
		if (format[i] === '%') {
			const part = parts[format[++i]];
			if (!part) return undefined;
			out += part;
		} else out += format[i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	}
	return new RegExp(`^${out}$`);
}

function matchesTimestampFormat(value: string, format: string): boolean {
	for (const date of DATE_FORMATS) {
		for (const time of TIME_SUFFIXES) {
			if (date.format + time.format !== format) continue;
			const m = new RegExp(`^${date.pattern.source.slice(1, -1)}${time.pattern}$`).exec(value);
			if (!m) return false;
			const [y, mo, d] = date.order.map((i) => Number(m[i]));
			return validDate(y, mo, d) && validTime(Number(m[4]), Number(m[5]), Number(m[6] || 0));
		}
	}
	const regex = strptimePattern(format);
	return regex ? regex.test(value) : false;
}

function isIsoTimestamp(value: string): boolean {
	const m = ISO_TIMESTAMP.exec(value);
	return !!m && validDate(+m[1], +m[2], +m[3]) && validTime(+m[4], +m[5], +(m[6] ?? 0));
}

function isIsoTimestampTz(value: string): boolean {
	const m = ISO_TIMESTAMP_TZ.exec(value);
	return !!m && validDate(+m[1], +m[2], +m[3]) && validTime(+m[4], +m[5], +(m[6] ?? 0));
}

export interface InferredType {
	type: string;
	dateformat?: string;
	timestampformat?: string;
	/** Day/month order could not be told apart: the guess is in `dateformat`/`timestampformat`. */
	ambiguous?: boolean;
}

/**
 * The narrowest DuckDB type every non-empty value fits: BOOLEAN, BIGINT, DOUBLE, DATE,
 * TIMESTAMP (TIMESTAMPTZ with offsets), else VARCHAR. Given formats are tried first.
 */
export function inferTextType(values: readonly string[], given: { dateformat?: string; timestampformat?: string } = {}): InferredType {
	const present = values.filter((v) => v !== '');
	if (present.length === 0) return { type: 'VARCHAR' };
	if (present.every((v) => BOOLEAN.test(v))) return { type: 'BOOLEAN' };
	if (present.every((v) => INTEGER_TEXT.test(v))) return present.every(fitsBigint) ? { type: 'BIGINT' } : { type: 'VARCHAR' };
	if (present.every((v) => NUMBER.test(v) || SPECIAL_NUMBER.test(v)) && present.some((v) => NUMBER.test(v))) return { type: 'DOUBLE' };
	if (given.dateformat && present.every((v) => matchesDateFormat(v, given.dateformat!))) return { type: 'DATE', dateformat: given.dateformat };
	if (given.timestampformat && present.every((v) => matchesTimestampFormat(v, given.timestampformat!))) {
		return { type: 'TIMESTAMP', timestampformat: given.timestampformat };
	}
	const dates = DATE_FORMATS.filter((f) => present.every((v) => matchesDateFormat(v, f.format)));
	if (dates.length > 0) {
		const format = dates[0].format;
		return { type: 'DATE', dateformat: format === '%Y-%m-%d' ? undefined : format, ambiguous: dates.length > 1 && format !== '%Y-%m-%d' };
	}
	if (present.every(isIsoTimestamp)) return { type: 'TIMESTAMP' };
	if (present.every((v) => isIsoTimestamp(v) || isIsoTimestampTz(v))) return { type: 'TIMESTAMPTZ' };
	const formats: string[] = [];
	for (const date of DATE_FORMATS) for (const time of TIME_SUFFIXES) formats.push(date.format + time.format);
	const timestamps = formats.filter((f) => present.every((v) => matchesTimestampFormat(v, f)));
	if (timestamps.length > 0) return { type: 'TIMESTAMP', timestampformat: timestamps[0], ambiguous: timestamps.length > 1 };
	return { type: 'VARCHAR' };
}

// ————— Parsing text dates (for JSON, where DuckDB's casts are not used) —————

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a date in `format` (ISO when none), or null when it does not parse. */
export function parseDateText(value: string, format?: string): number | null {
	const known = DATE_FORMATS.find((f) => f.format === (format ?? '%Y-%m-%d'));
	if (!known) return null;
	const m = known.pattern.exec(value);
	if (!m) return null;
	const [y, mo, d] = known.order.map((i) => Number(m[i]));
	if (!validDate(y, mo, d)) return null;
	return Date.UTC(y, mo - 1, d) / DAY_MS;
}

/**
 * Microseconds since the epoch of a timestamp: ISO 8601 (an offset or Z converts to UTC; none
 * means the wall-clock time as UTC, like DuckDB's TIMESTAMP) or one of the known formats.
 */
export function parseTimestampText(value: string, format?: string): number | null {
	if (!format) {
		const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s?(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(value);
		if (!m) return null;
		const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
		if (!validDate(y, mo, d) || !validTime(h, mi, s)) return null;
		const micros = Number((m[7] ?? '').padEnd(6, '0').slice(0, 6) || 0);
		let offsetMinutes = 0;
		if (m[8] && m[8] !== 'Z') {
			const sign = m[8][0] === '-' ? -1 : 1;
			const digits = m[8].slice(1).replace(':', '');
			offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0));
		}
		return (Date.UTC(y, mo - 1, d, h, mi, s) - offsetMinutes * 60_000) * 1000 + micros;
	}
	for (const date of DATE_FORMATS) {
		for (const time of TIME_SUFFIXES) {
			if (date.format + time.format !== format) continue;
			const m = new RegExp(`^${date.pattern.source.slice(1, -1)}${time.pattern}$`).exec(value);
			if (!m) return null;
			const [y, mo, d] = date.order.map((i) => Number(m[i]));
			const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6] || 0)];
			if (!validDate(y, mo, d) || !validTime(h, mi, s)) return null;
			return Date.UTC(y, mo - 1, d, h, mi, s) * 1000;
		}
	}
	return null;
}

/** Formats this module can parse itself (JSON values); DuckDB reads any strptime format in CSV. */
export function isKnownDateFormat(format: string): boolean {
	return DATE_FORMATS.some((f) => f.format === format);
}

export function isKnownTimestampFormat(format: string): boolean {
	return DATE_FORMATS.some((d) => TIME_SUFFIXES.some((t) => d.format + t.format === format));
}
