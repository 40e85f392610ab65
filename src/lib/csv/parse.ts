/**
 * An RFC 4180 CSV reader: fields separated by a delimiter (`,`), records by CRLF, LF or CR; a
 * field in double quotes may hold delimiters, line breaks and doubled quotes (`""` → `"`). A
 * leading byte order mark is dropped. Values are kept exactly as written, as strings.
 *
 * Strict where RFC 4180 is: a quote inside an unquoted field, text after a closing quote, an
 * unclosed quote and records whose field count differs from the header's are errors that name
 * the line (the physical line where the record or quoted field starts, counting from 1).
 * Blank lines are skipped, except in a one-column file, where they are empty (missing) values.
 *
 * Pure TypeScript: runs in the CLI, in Node and in the browser.
 */

export class CsvError extends Error {
	constructor(
		message: string,
		/** 1-based line the problem starts on. */
		readonly line: number
	) {
		super(`line ${line}: ${message}`);
		this.name = 'CsvError';
	}
}

export interface CsvOptions {
	/** One character (default `,`). */
	delimiter?: string;
}

export interface CsvRecords {
	records: string[][];
	/** Line on which each record starts. */
	lines: number[];
}

const LF = 10;
const CR = 13;
const QUOTE = 34;

/** Every record of `text`, the header included. Blank lines are kept as `['']` records. */
export function parseCsvRecords(text: string, options: CsvOptions = {}): CsvRecords {
	const delimiter = options.delimiter ?? ',';
	if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
		throw new Error(`the delimiter must be one character other than a quote or a line break (got ${JSON.stringify(delimiter)})`);
	}
	const delim = delimiter.charCodeAt(0);
	const n = text.length;
	let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
	let line = 1;
	const records: string[][] = [];
	const lines: number[] = [];
	while (i < n) {
		const recordLine = line;
		const fields: string[] = [];
		for (;;) {
			let value: string;
			if (text.charCodeAt(i) === QUOTE) {
				const quoteLine = line;
				i++;
				value = '';
				let from = i;
				for (;;) {
					const j = text.indexOf('"', i);
					if (j < 0) throw new CsvError('a quoted field opened here is never closed', quoteLine);
					for (let k = i; k < j; k++) {
						const c = text.charCodeAt(k);
						if (c === LF || (c === CR && text.charCodeAt(k + 1) !== LF)) line++;
					}
					if (text.charCodeAt(j + 1) === QUOTE) {
						value += text.slice(from, j + 1);
						i = j + 2;
						from = i;
						continue;
					}
					value += text.slice(from, j);
					i = j + 1;
					break;
				}
				if (i < n) {
					const c = text.charCodeAt(i);
					if (c !== delim && c !== LF && c !== CR) {
						throw new CsvError(`unexpected ${JSON.stringify(text[i])} after a closing quote (a quote inside a quoted field is written "")`, line);
					}
				}
			} else {
				const from = i;
				while (i < n) {
					const c = text.charCodeAt(i);
					if (c === delim || c === LF || c === CR) break;
					if (c === QUOTE) throw new CsvError('a quote inside an unquoted field (quote the whole field and double the quote: "a ""b""")', line);
					i++;
				}
				value = text.slice(from, i);
			}
			fields.push(value);
			if (i >= n) break;
			const c = text.charCodeAt(i);
			if (c === delim) {
				i++;
				if (i >= n) {
					fields.push('');
					break;
				}
				continue;
			}
			// a line break ends the record
			i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
			line++;
			break;
		}
		records.push(fields);
		lines.push(recordLine);
	}
	return { records, lines };
}

export interface CsvColumns {
	/** Header names, in file order. */
	names: string[];
	/** Column-major values, as written. */
	columns: string[][];
	rows: number;
}

/** The lines of ragged records, for one message: "line 4 has 2 fields… (also lines 7, 9)". */
function raggedMessage(width: number, bad: { line: number; fields: number }[]): string {
	const first = bad[0];
	const more = bad.slice(1, 6).map((b) => b.line);
	const also = more.length ? ` (also line${more.length > 1 ? 's' : ''} ${more.join(', ')}${bad.length > 6 ? `, … ${bad.length} records in all` : ''})` : '';
	return `${first.fields} field${first.fields === 1 ? '' : 's'} where the header has ${width}${also}`;
}

/**
 * A CSV with a header row as named columns of strings. Throws CsvError on an empty file, a
 * duplicate column name, ragged records or malformed quoting.
 */
export function readCsvColumns(text: string, options: CsvOptions = {}): CsvColumns {
	const { records, lines } = parseCsvRecords(text, options);
	const blank = (r: string[]) => r.length === 1 && r[0] === '';
	let h = 0;
	while (h < records.length && blank(records[h])) h++;
	if (h >= records.length) throw new CsvError('the file is empty (no header row)', 1);
	const names = records[h];
	const seen = new Set<string>();
	for (const name of names) {
		if (seen.has(name)) throw new CsvError(`the header names column ${JSON.stringify(name)} twice`, lines[h]);
		seen.add(name);
	}
	const width = names.length;
	const columns: string[][] = names.map(() => []);
	const bad: { line: number; fields: number }[] = [];
	for (let r = h + 1; r < records.length; r++) {
		const record = records[r];
		if (blank(record) && width > 1) continue;
		if (record.length !== width) {
			bad.push({ line: lines[r], fields: record.length });
			continue;
		}
		for (let c = 0; c < width; c++) columns[c].push(record[c]);
	}
	if (bad.length > 0) throw new CsvError(raggedMessage(width, bad), bad[0].line);
	return { names, columns, rows: columns[0]?.length ?? 0 };
}
