/**
 * The one CSV tokenizer, for text (the CLI, the sniffer, tests); src/lib/ingest/csv/chunks.ts applies
 * the same syntax to raw bytes for the loader's chunking. Syntax (RFC 4180 by default, and what
 * DuckDB's read_csv reads with the same settings): fields separated by `delimiter`, records by
 * CRLF, LF or CR; a field that starts with `quote` may hold delimiters and line breaks, and a
 * quote inside it is written `escape` + quote (`""` when escape is the quote itself, `\"` with
 * a backslash escape). A leading byte order mark is dropped. Values are kept exactly as written.
 *
 * Strict mode (the CLI) refuses what DuckDB's strict mode refuses, naming the line: a quote
 * inside an unquoted field, text after a closing quote, an unclosed quote. Lenient mode (the
 * sniffer, which also tries wrong delimiters on a sample cut anywhere) reads such text as it
 * comes. Lines are physical lines counted from 1, the one where a record or quoted field starts.
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

/** The characters a CSV is written with. */
export interface CsvSyntax {
	/** One character (default `,`). */
	delimiter: string;
	/** One character (default `"`). */
	quote: string;
	/** The character before a quote inside a quoted field (default: the quote itself, so `""`). */
	escape: string;
}

export const RFC_4180: CsvSyntax = { delimiter: ',', quote: '"', escape: '"' };

/** The syntax with defaults filled in; throws on characters that cannot work together. */
export function csvSyntax(given: Partial<CsvSyntax> = {}): CsvSyntax {
	const quote = given.quote ?? RFC_4180.quote;
	const syntax = { delimiter: given.delimiter ?? RFC_4180.delimiter, quote, escape: given.escape ?? quote };
	const breaks = (c: string) => c === '\n' || c === '\r';
	if (syntax.delimiter.length !== 1 || syntax.delimiter === quote || breaks(syntax.delimiter)) {
		throw new Error(`the delimiter must be one character other than the quote or a line break (got ${JSON.stringify(syntax.delimiter)})`);
	}
	if (quote.length !== 1 || breaks(quote)) throw new Error(`the quote must be one character other than a line break (got ${JSON.stringify(quote)})`);
	if (syntax.escape.length !== 1 || breaks(syntax.escape) || syntax.escape === syntax.delimiter) {
		throw new Error(`the escape must be one character other than the delimiter or a line break (got ${JSON.stringify(syntax.escape)})`);
	}
	return syntax;
}

export interface TokenizeOptions {
	/** Refuse malformed quoting with a CsvError (default false: read it as it comes). */
	strict?: boolean;
	/** Stop after this many records. */
	limit?: number;
	/** The text is the whole file (default true); false drops a last record that may be cut off. */
	complete?: boolean;
}

export interface CsvRecords {
	/** Every record, the header included; a blank line is a `['']` record. */
	records: string[][];
	/** Line on which each record starts. */
	lines: number[];
}

const LF = 10;
const CR = 13;

/** Splits `text` into records of fields (see the module comment for the syntax). */
export function tokenizeCsv(text: string, syntax: Partial<CsvSyntax> = {}, options: TokenizeOptions = {}): CsvRecords {
	const { delimiter, quote, escape } = csvSyntax(syntax);
	const strict = options.strict ?? false;
	const limit = options.limit ?? Infinity;
	const complete = options.complete ?? true;
	const D = delimiter.charCodeAt(0);
	const Q = quote.charCodeAt(0);
	const E = escape.charCodeAt(0);
	const n = text.length;
	let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
	let line = 1;
	const records: string[][] = [];
	const lines: number[] = [];
	/** Moves `i` to the end of an unquoted run (a delimiter, a line break or the end). */
	const unquoted = (): void => {
		while (i < n) {
			const c = text.charCodeAt(i);
			if (c === D || c === LF || c === CR) return;
			if (c === Q && strict)
				throw new CsvError(
					`a quote inside an unquoted field (quote the whole field and escape the quote: ${quote}a ${escape}${quote}b${escape}${quote}${quote})`,
					line
				);
			i++;
		}
	};
	while (i < n && records.length < limit) {
		const recordLine = line;
		const fields: string[] = [];
		let cut = false;
		for (;;) {
			let value = '';
			if (text.charCodeAt(i) === Q) {
				const quoteLine = line;
				let from = ++i;
				let closed = false;
				while (i < n) {
					const c = text.charCodeAt(i);
					if (c === E && E !== Q && i + 1 < n && (text.charCodeAt(i + 1) === Q || text.charCodeAt(i + 1) === E)) {
						value += text.slice(from, i);
						from = ++i;
						i++;
						continue;
					}
					if (c === Q) {
						if (E === Q && text.charCodeAt(i + 1) === Q) {
							value += text.slice(from, i + 1);
							i += 2;
							from = i;
							continue;
						}
						value += text.slice(from, i);
						i++;
						closed = true;
						break;
					}
					if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) line++;
					i++;
				}
				if (!closed) {
					if (!complete) {
						cut = true;
						break;
					}
					if (strict) throw new CsvError('a quoted field opened here is never closed', quoteLine);
					value += text.slice(from, i);
				}
				if (i < n) {
					const c = text.charCodeAt(i);
					if (c !== D && c !== LF && c !== CR) {
						if (strict)
							throw new CsvError(
								`unexpected ${JSON.stringify(text[i])} after a closing quote (a quote inside a quoted field is written ${escape}${quote})`,
								line
							);
						const rest = i;
						unquoted();
						value += text.slice(rest, i);
					}
				}
			} else {
				const from = i;
				unquoted();
				value = text.slice(from, i);
			}
			fields.push(value);
			if (i >= n) {
				cut = !complete;
				break;
			}
			const c = text.charCodeAt(i);
			if (c === D) {
				i++;
				if (i >= n) {
					fields.push('');
					cut = !complete;
					break;
				}
				continue;
			}
			// a line break ends the record
			i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
			line++;
			break;
		}
		if (cut) break;
		records.push(fields);
		lines.push(recordLine);
	}
	return { records, lines };
}

/** A blank line: no fields but one empty one. */
export function isBlankRecord(record: readonly string[]): boolean {
	return record.length === 1 && record[0] === '';
}
