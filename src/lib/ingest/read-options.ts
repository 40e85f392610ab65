/**
 * How a data cell reads a file: its fields, the CSV dialect and column types, and the read_csv
 * SQL that reads with them. Detection is our own (src/lib/ingest/csv/dialect.ts; DuckDB's sniffer
 * turns a small or ragged file into one VARCHAR column without a word): types are the narrowest
 * that every sampled value fits, and DuckDB then reads with those settings fixed
 * (`auto_detect = false`). A value that does not fit is a rejected row with its line number,
 * never a silently different type.
 */
import { DATASET_FORMATS as DATA_FORMATS, type DatasetFormat as DataFormat } from '#lib/contracts/datasets.ts';
import { literal, quoteIdentifier } from '#lib/sql/identifiers.ts';

export { DATA_FORMATS, type DataFormat };
export const ON_ERROR = ['stop', 'skip'] as const;
export type OnError = (typeof ON_ERROR)[number];

export interface ColumnType {
	name: string;
	/** A DuckDB type name: BIGINT, DOUBLE, VARCHAR, DATE, TIMESTAMP, DECIMAL(10,2), … */
	type: string;
}

/** What the user asked for; everything left out is detected. */
export interface LoadRequest {
	format?: DataFormat;
	delimiter?: string;
	header?: boolean;
	quote?: string;
	/** The character before a quote inside a quoted field (default: the quote, as in `""`). */
	escape?: string;
	/** Explicit types, by column name (or all columns, in order, when the file has no header). */
	columns?: ColumnType[];
	dateformat?: string;
	timestampformat?: string;
	/** A string read as NULL besides the empty field. */
	nullstr?: string;
	onError: OnError;
}

/** The settings a CSV is read with, after detection. */
export interface CsvDialect {
	delimiter: string;
	quote: string;
	escape: string;
	header: boolean;
	columns: ColumnType[];
	dateformat?: string;
	timestampformat?: string;
	nullstr?: string;
}

export interface CsvSniff {
	dialect: CsvDialect;
	/** Which settings were detected rather than given (for the preview). */
	detected: { delimiter: boolean; header: boolean; types: string[] };
	/** The first records after the header, as text. */
	rows: string[][];
	/** How many records the sample held (after the header). */
	sampledRows: number;
	/** Things the user should know: ambiguous dates, columns read as text, ragged records. */
	notes: string[];
}

const EXTENSIONS: Record<string, DataFormat> = {
	csv: 'csv',
	txt: 'csv',
	tsv: 'tsv',
	tab: 'tsv',
	parquet: 'parquet',
	pq: 'parquet',
	json: 'json',
	ndjson: 'ndjson',
	jsonl: 'ndjson',
	arrow: 'arrow',
	feather: 'arrow',
	ipc: 'arrow',
	arrows: 'arrow'
};

/** The format a file name or URL suggests (`.csv.gz` is not supported and says so). */
export function formatFromName(name: string): DataFormat | undefined {
	const path = name.split(/[?#]/)[0].toLowerCase();
	if (/\.(gz|zst|bz2|zip|xz)$/.test(path)) {
		throw new Error(`${name}: compressed files are not supported yet; decompress it first`);
	}
	const extension = path.split('/').pop()?.split('.').slice(1).pop() ?? '';
	return EXTENSIONS[extension];
}

/** The format the first bytes reveal, when the name does not tell. */
export function formatFromBytes(head: Uint8Array): DataFormat | undefined {
	const text = (n: number) => String.fromCharCode(...head.subarray(0, n));
	if (head.length >= 4 && text(4) === 'PAR1') return 'parquet';
	if (head.length >= 6 && text(6) === 'ARROW1') return 'arrow';
	// An IPC stream starts with a continuation marker (0xFFFFFFFF) then a schema message.
	if (head.length >= 8 && head[0] === 0xff && head[1] === 0xff && head[2] === 0xff && head[3] === 0xff) return 'arrow';
	let i = 0;
	if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
	while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
	if (head[i] === 0x5b) return 'json';
	if (head[i] === 0x7b) return 'ndjson';
	return undefined;
}

/** `\t`, `tab`, `;`… as the one delimiter character. */
export function parseDelimiter(text: string): string {
	const named: Record<string, string> = { '\\t': '\t', tab: '\t', comma: ',', semicolon: ';', pipe: '|', space: ' ' };
	const value = named[text.toLowerCase()] ?? text;
	if ([...value].length !== 1) throw new Error(`delimiter "${text}" must be one character (or \\t, tab, comma, semicolon, pipe, space)`);
	return value;
}

export function printDelimiter(delimiter: string): string {
	return delimiter === '\t' ? '\\t' : delimiter === ' ' ? 'space' : delimiter;
}

const TYPE_NAME = /^[A-Za-z][A-Za-z0-9_ ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?(\[\])?$/;

/** `id BIGINT, price DECIMAL(10,2), "full name" VARCHAR` → name/type pairs (commas inside parentheses stay). */
export function parseColumnsField(text: string): ColumnType[] {
	const parts: string[] = [];
	let depth = 0;
	let quoted = false;
	let current = '';
	for (const ch of text) {
		if (ch === '"') quoted = !quoted;
		if (!quoted && ch === '(') depth++;
		if (!quoted && ch === ')') depth--;
		if (!quoted && depth === 0 && ch === ',') {
			parts.push(current);
			current = '';
		} else current += ch;
	}
	parts.push(current);
	return parts
		.map((p) => p.trim())
		.filter((p) => p !== '')
		.map((part) => {
			const m = /^("(?:[^"]|"")+"|[^\s"]+)\s+(.+)$/.exec(part);
			if (!m) throw new Error(`"${part}" is not "name TYPE"`);
			const name = m[1].startsWith('"') ? m[1].slice(1, -1).replaceAll('""', '"') : m[1];
			const type = m[2].trim().replace(/\s+/g, ' ').toUpperCase();
			if (!TYPE_NAME.test(type)) throw new Error(`"${m[2]}" is not a type name (column ${name})`);
			return { name, type };
		});
}

export function printColumnsField(columns: readonly ColumnType[]): string {
	return columns.map((c) => `${/^[A-Za-z_][\w]*$/.test(c.name) ? c.name : quoteIdentifier(c.name)} ${c.type}`).join(', ');
}

// ————— DuckDB SQL —————

export interface RejectTables {
	errors: string;
	scans: string;
}

/**
 * `read_csv` with every setting fixed: DuckDB detects nothing, and rows that do not fit are
 * stored in the reject tables with their line numbers (relative to `file`).
 */
export function readCsvSql(file: string, dialect: CsvDialect, rejects?: RejectTables, header = dialect.header): string {
	const columns = `{${dialect.columns.map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(', ')}}`;
	const options = [
		`delim = ${literal(dialect.delimiter)}`,
		`quote = ${literal(dialect.quote)}`,
		`escape = ${literal(dialect.escape)}`,
		`header = ${header}`,
		`auto_detect = false`,
		`columns = ${columns}`,
		`strict_mode = true`
	];
	if (dialect.dateformat) options.push(`dateformat = ${literal(dialect.dateformat)}`);
	if (dialect.timestampformat) options.push(`timestampformat = ${literal(dialect.timestampformat)}`);
	if (dialect.nullstr !== undefined) options.push(`nullstr = [${literal(dialect.nullstr)}, '']`);
	if (rejects) options.push(`store_rejects = true`, `rejects_table = ${literal(rejects.errors)}`, `rejects_scan = ${literal(rejects.scans)}`);
	return `read_csv(${literal(file)}, ${options.join(', ')})`;
}

/** The rejected rows of the last scan, in line order (the same connection must run it). */
export function rejectsQuery(rejects: RejectTables, limit = 1000): string {
	return `SELECT line::BIGINT AS line, column_name, error_type, csv_line, error_message
FROM ${quoteIdentifier(rejects.errors)}
ORDER BY line
LIMIT ${limit}`;
}

export function rejectCountQuery(rejects: RejectTables): string {
	return `SELECT count(*)::BIGINT AS n FROM ${quoteIdentifier(rejects.errors)}`;
}

export interface RejectedRow {
	/** 1-based line in the file. */
	line: number;
	column?: string;
	error: string;
	/** The record as it appears in the file (cut to 200 characters). */
	text: string;
}

/** `file.csv, line 12: Expected Number of Columns: 3 Found: 2 — "4,bar"`. */
export function describeReject(file: string, row: RejectedRow): string {
	return `${file}, line ${row.line}: ${row.error}${row.text ? ` — "${row.text}"` : ''}`;
}

// ————— A data cell's fields —————

export interface DataSettings {
	url?: string;
	/** The name of an input cell of type file. */
	file?: string;
	request: LoadRequest;
}

const BOOLEAN_FIELD: Record<string, boolean | undefined> = { true: true, yes: true, false: false, no: false, auto: undefined };

/** Reads a data cell's `key: value` fields; errors name the field. */
export function dataSettings(values: Record<string, string | undefined>): DataSettings {
	const get = (key: string) => {
		const v = values[key]?.trim();
		return v === undefined || v === '' ? undefined : v;
	};
	const fail = (field: string, message: string): never => {
		throw new Error(`field "${field}": ${message}`);
	};
	const url = get('url');
	const file = get('file');
	if (!url && !file) fail('url', 'give url: <address> or file: <name of a file input cell>');
	if (url && file) fail('file', 'give either url or file, not both');
	const format = get('format');
	if (format !== undefined && !DATA_FORMATS.includes(format as DataFormat)) fail('format', `"${format}" is not one of ${DATA_FORMATS.join(', ')}`);
	const header = get('header');
	if (header !== undefined && !(header.toLowerCase() in BOOLEAN_FIELD)) fail('header', `"${header}" is not true, false or auto`);
	const onError = get('on_error') ?? 'stop';
	if (!ON_ERROR.includes(onError as OnError)) fail('on_error', `"${onError}" is not stop or skip`);
	let delimiter: string | undefined;
	let columns: ColumnType[] | undefined;
	try {
		delimiter = get('delimiter') === undefined ? undefined : parseDelimiter(get('delimiter')!);
	} catch (error) {
		fail('delimiter', (error as Error).message);
	}
	try {
		columns = get('columns') === undefined ? undefined : parseColumnsField(get('columns')!);
	} catch (error) {
		fail('columns', (error as Error).message);
	}
	const quote = get('quote');
	if (quote !== undefined && [...quote].length !== 1) fail('quote', 'must be one character');
	const escape = get('escape');
	if (escape !== undefined && [...escape].length !== 1) fail('escape', 'must be one character');
	if (escape !== undefined && escape === delimiter) fail('escape', 'must differ from the delimiter');
	return {
		url,
		file,
		request: {
			format: format as DataFormat | undefined,
			delimiter,
			header: header === undefined ? undefined : BOOLEAN_FIELD[header.toLowerCase()],
			quote,
			escape,
			columns,
			dateformat: get('dateformat'),
			timestampformat: get('timestampformat'),
			nullstr: get('nullstr'),
			onError: onError as OnError
		}
	};
}

/** The fields of a data cell, in a stable order (what the preview writes back). */
export function printDataSettings(settings: DataSettings): string {
	const r = settings.request;
	const lines: string[] = [];
	if (settings.url) lines.push(`url: ${settings.url}`);
	if (settings.file) lines.push(`file: ${settings.file}`);
	if (r.format) lines.push(`format: ${r.format}`);
	if (r.delimiter !== undefined) lines.push(`delimiter: ${printDelimiter(r.delimiter)}`);
	if (r.header !== undefined) lines.push(`header: ${r.header}`);
	if (r.quote !== undefined && r.quote !== '"') lines.push(`quote: ${r.quote}`);
	if (r.escape !== undefined && r.escape !== (r.quote ?? '"')) lines.push(`escape: ${r.escape}`);
	if (r.columns?.length) lines.push(`columns: ${printColumnsField(r.columns)}`);
	if (r.dateformat) lines.push(`dateformat: ${r.dateformat}`);
	if (r.timestampformat) lines.push(`timestampformat: ${r.timestampformat}`);
	if (r.nullstr !== undefined) lines.push(`nullstr: ${r.nullstr}`);
	lines.push(`on_error: ${r.onError}`);
	return lines.join('\n');
}
