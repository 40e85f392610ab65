import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsvColumns } from '#lib/ingest/csv/columns.ts';
import { byteQuoting, fileLine, scanCsv } from '#lib/ingest/csv/chunks.ts';
import { tokenizeCsv, type CsvSyntax } from '#lib/ingest/csv/tokenize.ts';
import { csvField } from '#lib/ingest/export/csv-text.ts';

// The app's CSV printer (grid downloads, copy as CSV) and its reader agree on every table.
const anyText = fc.string({ unit: 'grapheme', maxLength: 12 });
const tricky = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', '\r\n', ' ', '""', 'é', '𝔘', '\t'), maxLength: 8 });
// A byte order mark at the very start of a file is dropped by design, so no field starts with one.
const field = fc.oneof(anyText, tricky).filter((v) => !v.startsWith('\uFEFF'));

describe('CSV print → parse', () => {
	it('gives back every record exactly, whatever the fields hold', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 4 }).chain((width) => fc.array(fc.array(field, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 8 })),
				fc.constantFrom('\n', '\r\n'),
				fc.boolean(),
				(records, eol, finalEol) => {
					// A one-column record holding '' prints as a blank line, which the reader keeps as ['']
					// — except at the very end, where an empty last line is no record (as in every CSV reader).
					fc.pre(!(records[0].length === 1 && records.at(-1)![0] === ''));
					const text = records.map((r) => r.map(csvField).join(',')).join(eol) + (finalEol ? eol : '');
					expect(tokenizeCsv(text, {}, { strict: true }).records).toEqual(records);
				}
			),
			{ numRuns: 300 }
		);
	});

	it('reads named columns whose values are the printed ones, in order', () => {
		fc.assert(
			fc.property(
				fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/), { minLength: 1, maxLength: 4 }),
				fc.array(fc.array(field, { minLength: 4, maxLength: 4 }), { maxLength: 6 }),
				(names, rows) => {
					const width = names.length;
					const body = rows.map((r) => r.slice(0, width));
					// One-column blank lines are missing values, not skipped rows: covered above; keep them out here.
					fc.pre(width > 1 || body.every((r) => r[0] !== ''));
					const text = [names, ...body].map((r) => r.map(csvField).join(',')).join('\n');
					const read = readCsvColumns(text, { delimiter: ',' });
					expect(read.names).toEqual(names);
					expect(read.rows).toBe(body.length);
					expect(read.columns).toEqual(names.map((_, i) => body.map((r) => r[i])));
				}
			),
			{ numRuns: 150 }
		);
	});
});

// Any dialect the loader and the CLI take: the printer quotes what needs it and escapes the
// quote and escape characters; the tokenizer (text) and the chunker (bytes) agree on it.
const syntaxes = fc
	.record({
		delimiter: fc.constantFrom(',', ';', '\t', '|'),
		quote: fc.constantFrom('"', "'"),
		backslash: fc.boolean()
	})
	.map(({ delimiter, quote, backslash }): CsvSyntax => ({ delimiter, quote, escape: backslash ? '\\' : quote }));
const anyField = fc.string({ unit: fc.constantFrom('a', ',', ';', '\t', '|', '"', "'", '\\', '\n', '\r\n', ' ', 'é', '𝔘'), maxLength: 6 });

function printField(value: string, { delimiter, quote, escape }: CsvSyntax): string {
	const special = value === '' || [delimiter, quote, escape, '\n', '\r'].some((c) => value.includes(c));
	if (!special) return value;
	let out = '';
	for (const ch of value) out += ch === quote || ch === escape ? escape + ch : ch;
	return quote + out + quote;
}

const table = fc
	.integer({ min: 1, max: 4 })
	.chain((width) => fc.array(fc.array(anyField, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 10 }));

describe('any dialect: print → tokenize, and the byte chunker agrees with the tokenizer', () => {
	it('gives back every record, strictly, with any delimiter, quote and escape', () => {
		fc.assert(
			fc.property(table, syntaxes, fc.constantFrom('\n', '\r\n'), (records, syntax, eol) => {
				const text = records.map((r) => r.map((v) => printField(v, syntax)).join(syntax.delimiter)).join(eol) + eol;
				expect(tokenizeCsv(text, syntax, { strict: true }).records).toEqual(records);
			}),
			{ numRuns: 300 }
		);
	});

	it('cuts bytes only between records, and maps DuckDB line numbers to the lines the tokenizer gives', () => {
		fc.assert(
			fc.property(table, syntaxes, fc.constantFrom('\n', '\r\n'), fc.integer({ min: 1, max: 48 }), (records, syntax, eol, size) => {
				const text = records.map((r) => r.map((v) => printField(v, syntax)).join(syntax.delimiter)).join(eol) + eol;
				const whole = tokenizeCsv(text, syntax, { strict: true });
				const quoting = byteQuoting(syntax);
				let rest = new TextEncoder().encode(text);
				let firstLine = 1;
				const pieces: string[] = [];
				const lines: number[] = [];
				while (rest.length > 0) {
					let take = size;
					let scan = scanCsv(rest.subarray(0, take), quoting, rest.length <= take);
					while (scan.boundary === 0) {
						take += size;
						scan = scanCsv(rest.subarray(0, take), quoting, rest.length <= take);
					}
					const piece = new TextDecoder().decode(rest.subarray(0, scan.boundary));
					pieces.push(piece);
					const own = tokenizeCsv(piece, syntax, { strict: true });
					expect(own.records.length).toBe(scan.lines);
					// DuckDB numbers the piece's records 1, 2, …: fileLine maps them back to the file.
					for (let k = 1; k <= scan.lines; k++) lines.push(fileLine(firstLine, scan.multiline, k));
					firstLine += scan.physical;
					rest = rest.subarray(scan.boundary);
				}
				expect(pieces.join('')).toBe(text);
				expect(pieces.flatMap((p) => tokenizeCsv(p, syntax, { strict: true }).records)).toEqual(whole.records);
				expect(lines).toEqual(whole.lines);
			}),
			{ numRuns: 300 }
		);
	});
});
