/**
 * JSON and NDJSON into Arrow, without DuckDB's json extension (it would be downloaded at query
 * time). Records keep the line they start on, so a malformed record or a value that does not fit
 * its column is reported by line. Types are inferred over every record, not a sample.
 */
import { Bool, DateDay, Float64, Int64, makeData, makeVector, Table, tableToIPC, TimestampMicrosecond, Utf8, type DataType, type Vector } from 'apache-arrow';
import type { ColumnType, RejectedRow } from '#lib/ingest/read-options.ts';
import { inferTextType, isKnownDateFormat, isKnownTimestampFormat, parseDateText, parseTimestampText } from '#lib/ingest/text-types.ts';

export interface JsonRecordSpan {
	start: number;
	end: number;
	line: number;
}

/** Where each record of a JSON array, NDJSON text or single object is, with its line. */
export function scanJsonRecords(text: string, format: 'json' | 'ndjson'): JsonRecordSpan[] {
	let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
	let line = 1;
	const skipSpace = () => {
		for (; i < text.length; i++) {
			const c = text.charCodeAt(i);
			if (c === 10) line++;
			else if (c !== 32 && c !== 9 && c !== 13) break;
		}
	};
	skipSpace();
	if (text[i] === '[' && format === 'json') return scanArray(text, i, line);
	if (text[i] === '[') throw new Error(`line ${line}: this is a JSON array, not newline-delimited JSON (use format: json)`);
	if (format === 'json' && text[i] === '{') {
		// One object spread over lines, or NDJSON saved as .json.
		try {
			JSON.parse(text.slice(i));
			return [{ start: i, end: text.length, line }];
		} catch {
			// fall through: one object per line
		}
	}
	return scanJsonLines(text);
}

/** The non-blank lines of NDJSON text as records; `firstLine` numbers the text's first line (a later part of a download). */
export function scanJsonLines(text: string, firstLine = 1): JsonRecordSpan[] {
	const spans: JsonRecordSpan[] = [];
	let start = 0;
	let line = firstLine;
	for (let k = 0; k <= text.length; k++) {
		if (k === text.length || text.charCodeAt(k) === 10) {
			let a = start;
			let b = k;
			while (a < b && /\s/.test(text[a])) a++;
			while (b > a && /\s/.test(text[b - 1])) b--;
			if (a === 0 && text.charCodeAt(0) === 0xfeff) a = 1;
			if (b > a) spans.push({ start: a, end: b, line });
			start = k + 1;
			line++;
		}
	}
	return spans;
}

function scanArray(text: string, open: number, firstLine: number): JsonRecordSpan[] {
	const spans: JsonRecordSpan[] = [];
	let line = firstLine;
	let depth = 0;
	let inString = false;
	let start = -1;
	let startLine = line;
	for (let i = open; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 10) line++;
		if (inString) {
			if (c === 92)
				i++; // backslash escapes the next character
			else if (c === 34) inString = false;
			continue;
		}
		if (c === 34) {
			inString = true;
			if (depth === 1 && start < 0) {
				start = i;
				startLine = line;
			}
		} else if (c === 91 || c === 123) {
			if (depth === 1 && start < 0) {
				start = i;
				startLine = line;
			}
			depth++;
		} else if (c === 93 || c === 125) {
			depth--;
			if (depth === 0) {
				if (start >= 0) spans.push({ start, end: i, line: startLine });
				const rest = text.slice(i + 1).trim();
				if (rest !== '') throw new Error(`line ${line}: unexpected text after the closing ] of the JSON array`);
				return spans.map((s) => ({ ...s, end: trimEnd(text, s.start, s.end) }));
			}
		} else if (c === 44 && depth === 1) {
			if (start >= 0) spans.push({ start, end: i, line: startLine });
			start = -1;
		} else if (depth === 1 && start < 0 && c !== 32 && c !== 9 && c !== 13 && c !== 10) {
			start = i;
			startLine = line;
		}
	}
	throw new Error(`line ${line}: the JSON array is not closed (the file may be cut off)`);
}

function trimEnd(text: string, start: number, end: number): number {
	while (end > start && /\s/.test(text[end - 1])) end--;
	return end;
}

type JsonKind = 'null' | 'bool' | 'int' | 'bigint' | 'float' | 'string' | 'nested';

export interface JsonColumn extends ColumnType {
	/** TIMESTAMPTZ values arrive as UTC instants. */
	dateformat?: string;
	timestampformat?: string;
}

export interface JsonSchema {
	columns: JsonColumn[];
	notes: string[];
}

/** Parses one record: an object, or a reason it is not one. */
export function parseRecord(text: string): { value: Record<string, unknown> } | { error: string } {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		return { error: `invalid JSON: ${(error as Error).message.replace(/^JSON\.parse: /, '')}` };
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return { error: 'the record is not a JSON object' };
	return { value: value as Record<string, unknown> };
}

function kindOf(value: unknown): JsonKind {
	if (value === null || value === undefined) return 'null';
	if (typeof value === 'boolean') return 'bool';
	if (typeof value === 'number') {
		if (!Number.isInteger(value)) return 'float';
		return Number.isSafeInteger(value) ? 'int' : 'bigint';
	}
	if (typeof value === 'string') return 'string';
	return 'nested';
}

const SUPPORTED = ['BOOLEAN', 'BIGINT', 'INTEGER', 'DOUBLE', 'FLOAT', 'VARCHAR', 'DATE', 'TIMESTAMP', 'TIMESTAMPTZ'];

/**
 * Column types over all records: one kind → its type (strings that are all dates or timestamps
 * → DATE/TIMESTAMP), integers with floats → DOUBLE, anything else mixed → VARCHAR with a note.
 */
export function inferJsonSchema(
	records: Iterable<Record<string, unknown>>,
	options: { columns?: ColumnType[]; dateformat?: string; timestampformat?: string } = {}
): JsonSchema {
	const kinds = new Map<string, Set<JsonKind>>();
	const strings = new Map<string, string[]>();
	for (const record of records) {
		for (const [key, value] of Object.entries(record)) {
			let set = kinds.get(key);
			if (!set) kinds.set(key, (set = new Set()));
			const kind = kindOf(value);
			set.add(kind);
			if (kind === 'string') {
				let list = strings.get(key);
				if (!list) strings.set(key, (list = []));
				if (list.length < 50_000) list.push(value as string);
			}
		}
	}
	const notes: string[] = [];
	const explicit = new Map((options.columns ?? []).map((c) => [c.name, c.type]));
	for (const [name, type] of explicit) {
		if (!kinds.has(name)) throw new Error(`field "columns": no record has a key "${name}" (keys: ${[...kinds.keys()].join(', ')})`);
		if (!SUPPORTED.includes(type)) throw new Error(`field "columns": ${name} ${type} — JSON columns can be ${SUPPORTED.join(', ')}`);
	}
	for (const f of [options.dateformat, options.timestampformat]) {
		if (f && !isKnownDateFormat(f) && !isKnownTimestampFormat(f)) throw new Error(`format "${f}" is not one driftbook can read in JSON`);
	}
	const columns: JsonColumn[] = [...kinds].map(([name, set]) => {
		const given = explicit.get(name);
		const present = new Set([...set].filter((k) => k !== 'null'));
		let type: string;
		let dateformat: string | undefined;
		let timestampformat: string | undefined;
		if (given) type = given;
		else if (present.size === 0) type = 'VARCHAR';
		else if (present.size === 1 && present.has('bool')) type = 'BOOLEAN';
		else if (present.size === 1 && present.has('int')) type = 'BIGINT';
		else if ([...present].every((k) => k === 'int' || k === 'float' || k === 'bigint')) {
			type = 'DOUBLE';
			if (present.has('bigint')) notes.push(`column ${name}: integers beyond ±2^53 lose precision in JSON; read as DOUBLE`);
		} else if (present.size === 1 && present.has('string')) {
			const inferred = inferTextType(strings.get(name) ?? [], options);
			const temporal = ['DATE', 'TIMESTAMP', 'TIMESTAMPTZ'].includes(inferred.type);
			const readable =
				(!inferred.dateformat || isKnownDateFormat(inferred.dateformat)) && (!inferred.timestampformat || isKnownTimestampFormat(inferred.timestampformat));
			type = temporal && readable ? inferred.type : 'VARCHAR';
			dateformat = type === 'DATE' ? inferred.dateformat : undefined;
			timestampformat = type === 'TIMESTAMP' ? inferred.timestampformat : undefined;
			if (inferred.ambiguous && temporal)
				notes.push(`column ${name}: day and month cannot be told apart; read as ${inferred.dateformat ?? inferred.timestampformat}`);
		} else if (present.size === 1 && present.has('nested')) {
			type = 'VARCHAR';
			notes.push(`column ${name}: objects and arrays are kept as JSON text`);
		} else {
			type = 'VARCHAR';
			notes.push(`column ${name}: mixed ${[...present].map((k) => (k === 'bigint' ? 'int' : k)).join('/')} values, read as text (VARCHAR)`);
		}
		if (type === 'DATE') dateformat ??= options.dateformat;
		if (type === 'TIMESTAMP') timestampformat ??= options.timestampformat;
		return { name, type, dateformat, timestampformat };
	});
	return { columns, notes };
}

class ColumnBuilder {
	readonly validity: Uint8Array;
	nulls = 0;
	readonly values: Float64Array | BigInt64Array | Int32Array | Uint8Array | null;
	readonly strings: Array<string | null> | null;

	constructor(
		readonly column: JsonColumn,
		readonly length: number
	) {
		this.validity = new Uint8Array((length + 7) >> 3);
		const t = column.type;
		this.strings = t === 'VARCHAR' ? new Array<string | null>(length).fill(null) : null;
		this.values =
			t === 'DOUBLE' || t === 'FLOAT'
				? new Float64Array(length)
				: t === 'BIGINT' || t === 'INTEGER' || t === 'TIMESTAMP' || t === 'TIMESTAMPTZ'
					? new BigInt64Array(length)
					: t === 'DATE'
						? new Int32Array(length)
						: t === 'BOOLEAN'
							? new Uint8Array((length + 7) >> 3)
							: null;
	}

	/** Converts a value; returns an error message when it does not fit the column's type. */
	convert(value: unknown): { ok: true; value: unknown } | { ok: false; error: string } {
		if (value === null || value === undefined) return { ok: true, value: null };
		const { type, name } = this.column;
		const fail = () => ({ ok: false as const, error: `column "${name}": ${JSON.stringify(value)?.slice(0, 80)} is not ${type}` });
		switch (type) {
			case 'VARCHAR':
				return { ok: true, value: typeof value === 'string' ? value : JSON.stringify(value) };
			case 'BOOLEAN':
				return typeof value === 'boolean' ? { ok: true, value } : fail();
			case 'BIGINT':
			case 'INTEGER': {
				if (typeof value !== 'number' || !Number.isInteger(value)) return fail();
				if (type === 'INTEGER' && Math.abs(value) > 2147483647) return fail();
				return { ok: true, value: BigInt(value) };
			}
			case 'DOUBLE':
			case 'FLOAT':
				return typeof value === 'number' ? { ok: true, value } : fail();
			case 'DATE': {
				const days = typeof value === 'string' ? parseDateText(value, this.column.dateformat) : null;
				return days === null ? fail() : { ok: true, value: days };
			}
			case 'TIMESTAMP':
			case 'TIMESTAMPTZ': {
				const micros = typeof value === 'string' ? parseTimestampText(value, this.column.timestampformat) : null;
				return micros === null ? fail() : { ok: true, value: BigInt(micros) };
			}
		}
		return fail();
	}

	set(row: number, value: unknown): void {
		if (value === null) {
			this.nulls++;
			return;
		}
		this.validity[row >> 3] |= 1 << (row & 7);
		if (this.strings) this.strings[row] = value as string;
		else if (this.column.type === 'BOOLEAN') {
			if (value) (this.values as Uint8Array)[row >> 3] |= 1 << (row & 7);
		} else (this.values as Float64Array | BigInt64Array | Int32Array)[row] = value as never;
	}

	vector(rows: number): Vector {
		const t = this.column.type;
		const common = { length: rows, nullCount: this.nulls, nullBitmap: this.validity };
		if (this.strings) {
			const encoder = new TextEncoder();
			const encoded = this.strings.slice(0, rows).map((s) => (s === null ? new Uint8Array(0) : encoder.encode(s)));
			const offsets = new Int32Array(rows + 1);
			let total = 0;
			encoded.forEach((e, i) => {
				total += e.length;
				offsets[i + 1] = total;
			});
			const data = new Uint8Array(total);
			encoded.forEach((e, i) => data.set(e, offsets[i]));
			return makeVector(makeData({ type: new Utf8(), ...common, valueOffsets: offsets, data }));
		}
		const type: DataType =
			t === 'DOUBLE' || t === 'FLOAT'
				? new Float64()
				: t === 'BIGINT' || t === 'INTEGER'
					? new Int64()
					: t === 'DATE'
						? new DateDay()
						: t === 'BOOLEAN'
							? new Bool()
							: new TimestampMicrosecond(t === 'TIMESTAMPTZ' ? 'UTC' : null);
		const values = this.values!;
		const data = t === 'BOOLEAN' ? values : values.subarray(0, rows);
		return makeVector(makeData({ type, ...common, data } as never));
	}
}

export interface JsonBatch {
	/** An Arrow IPC stream: one schema, one record batch. */
	ipc: Uint8Array;
	rows: number;
	rejected: RejectedRow[];
}

/**
 * Builds one batch from records `spans[from…to)`. A record that is not valid JSON, or has a
 * value its column's type cannot hold, is rejected with its line.
 */
export function buildJsonBatch(text: string, spans: readonly JsonRecordSpan[], schema: JsonSchema): JsonBatch {
	const builders = schema.columns.map((c) => new ColumnBuilder(c, spans.length));
	const rejected: RejectedRow[] = [];
	let row = 0;
	const converted: unknown[] = new Array(builders.length);
	for (const span of spans) {
		const recordText = text.slice(span.start, span.end);
		const parsed = parseRecord(recordText);
		if ('error' in parsed) {
			rejected.push({ line: span.line, error: parsed.error, text: recordText.slice(0, 200) });
			continue;
		}
		let error: string | undefined;
		let column: string | undefined;
		for (let c = 0; c < builders.length; c++) {
			const result = builders[c].convert(parsed.value[builders[c].column.name]);
			if (!result.ok) {
				error = result.error;
				column = builders[c].column.name;
				break;
			}
			converted[c] = result.value;
		}
		if (error) {
			rejected.push({ line: span.line, column, error, text: recordText.slice(0, 200) });
			continue;
		}
		for (let c = 0; c < builders.length; c++) builders[c].set(row, converted[c]);
		row++;
	}
	const table = new Table(Object.fromEntries(builders.map((b) => [b.column.name, b.vector(row)])));
	return { ipc: tableToIPC(table, 'stream'), rows: row, rejected };
}
