/**
 * A whole CSV with a header row as named columns of strings (the CLI's reader, and tests'),
 * with the dialect the browser's loader would detect: the delimiter is sniffed the same way
 * (src/lib/ingest/csv/dialect.ts) unless given, and the syntax is the one tokenizer's.
 */
import { detectDelimiter } from './dialect';
import { CsvError, csvSyntax, isBlankRecord, tokenizeCsv, type CsvSyntax } from './tokenize';

export interface CsvColumns {
	/** Header names, in file order. */
	names: string[];
	/** Column-major values, as written. */
	columns: string[][];
	rows: number;
	/** The line each data row starts on. */
	lines: number[];
	/** The syntax the file was read with (the delimiter detected when not given). */
	syntax: CsvSyntax;
}

/** The lines of ragged records, for one message: "line 4 has 2 fields… (also lines 7, 9)". */
function raggedMessage(width: number, bad: { line: number; fields: number }[]): string {
	const first = bad[0];
	const more = bad.slice(1, 6).map((b) => b.line);
	const also = more.length ? ` (also line${more.length > 1 ? 's' : ''} ${more.join(', ')}${bad.length > 6 ? `, … ${bad.length} records in all` : ''})` : '';
	return `${first.fields} field${first.fields === 1 ? '' : 's'} where the header has ${width}${also}`;
}

/**
 * Reads `text` strictly. Throws CsvError (naming the line) on an empty file, a duplicate column
 * name, ragged records or malformed quoting. Blank lines are skipped, except in a one-column
 * file, where they are empty (missing) values.
 */
export function readCsvColumns(text: string, given: Partial<CsvSyntax> = {}): CsvColumns {
	const quote = given.quote ?? '"';
	const syntax = csvSyntax({ ...given, quote, delimiter: given.delimiter ?? detectDelimiter(text, { quote, escape: given.escape }) });
	const { records, lines } = tokenizeCsv(text, syntax, { strict: true });
	let h = 0;
	while (h < records.length && isBlankRecord(records[h])) h++;
	if (h >= records.length) throw new CsvError('the file is empty (no header row)', 1);
	const names = records[h];
	const seen = new Set<string>();
	for (const name of names) {
		if (seen.has(name)) throw new CsvError(`the header names column ${JSON.stringify(name)} twice`, lines[h]);
		seen.add(name);
	}
	const width = names.length;
	const columns: string[][] = names.map(() => []);
	const dataLines: number[] = [];
	const bad: { line: number; fields: number }[] = [];
	for (let r = h + 1; r < records.length; r++) {
		const record = records[r];
		if (isBlankRecord(record) && width > 1) continue;
		if (record.length !== width) {
			bad.push({ line: lines[r], fields: record.length });
			continue;
		}
		for (let c = 0; c < width; c++) columns[c].push(record[c]);
		dataLines.push(lines[r]);
	}
	if (bad.length > 0) throw new CsvError(raggedMessage(width, bad), bad[0].line);
	return { names, columns, rows: dataLines.length, lines: dataLines, syntax };
}
