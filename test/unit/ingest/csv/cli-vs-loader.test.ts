/**
 * The CLI and the browser read the same CSV the same way: the CLI's reader (readCsvColumns, the
 * one `driftbook drift`/`ab` use) against the loader's path — sniffed dialect, header cut off,
 * whole-record chunks, read_csv in a real DuckDB with every column as text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { readCsvColumns } from '#lib/ingest/csv/columns.ts';
import { sniffCsv } from '#lib/ingest/csv/dialect.ts';
import type { CsvDialect, LoadRequest } from '#lib/ingest/read-options.ts';
import { readDataFile } from '#cli/data/data-file.ts';
import { nativeDb, type NativeDb } from '../../sql/duckdb';
import { loadCsvInChunks } from './load-in-chunks';

let db: NativeDb;
let dir: string;
beforeAll(async () => {
	db = await nativeDb();
	dir = mkdtempSync(join(tmpdir(), 'driftbook-cli-vs-loader-'));
});
afterAll(() => {
	db.close();
	rmSync(dir, { recursive: true, force: true });
});

/** What the loader makes of `text`: its dialect, and the values DuckDB reads with it (as text, NULL as ''). */
async function loaderReads(text: string, request: Partial<LoadRequest> = {}, chunkBytes = 4096) {
	const sniff = sniffCsv(text, { onError: 'stop', ...request }, true);
	const asText: CsvDialect = { ...sniff.dialect, columns: sniff.dialect.columns.map((c) => ({ name: c.name, type: 'VARCHAR' })), nullstr: undefined };
	const { rows, rejected } = await loadCsvInChunks(db, dir, text, asText, chunkBytes);
	expect(rejected).toEqual([]);
	const names = sniff.dialect.columns.map((c) => c.name);
	return { dialect: sniff.dialect, names, columns: names.map((n) => rows.map((r) => (r[n] === null ? '' : String(r[n])))) };
}

// A byte order mark, CRLF, semicolons, a semicolon and doubled quotes inside quotes, a quoted
// CRLF, an empty quoted field, a blank line, accents, and no newline at the end.
const TRICKY = '\ufeffid;name;note;amount\r\n1;"Smith; John";"said ""hi""";3,5\r\n2;Zoë;"two\r\nlines";4\r\n\r\n3;"";plain;\r\n4;x;"a ""b"" c";7';

describe('the CLI reads a CSV as the browser loader does', () => {
	it('a tricky file: same delimiter, header, names and values', async () => {
		const cli = readCsvColumns(TRICKY);
		const loader = await loaderReads(TRICKY);
		expect(loader.dialect).toMatchObject({ delimiter: ';', quote: '"', escape: '"', header: true });
		expect(cli.syntax).toEqual({ delimiter: loader.dialect.delimiter, quote: loader.dialect.quote, escape: loader.dialect.escape });
		expect(cli.names).toEqual(['id', 'name', 'note', 'amount']);
		expect(loader.names).toEqual(cli.names);
		expect(cli.columns[2]).toEqual(['said "hi"', 'two\r\nlines', 'plain', 'a "b" c']);
		expect(loader.columns).toEqual(cli.columns);
		// Chunks cut anywhere between records read the same.
		for (const size of [16, 40]) expect((await loaderReads(TRICKY, {}, size)).columns).toEqual(cli.columns);
		// And the CLI command's own file reading gives those columns.
		const path = join(dir, 'tricky.csv');
		writeFileSync(path, TRICKY);
		const { columns } = await readDataFile(path);
		expect(Object.keys(columns)).toEqual(cli.names);
	});

	it('a backslash-escaped file, with the escape given to both', async () => {
		const text = 'k|v\n1|"a \\"quoted\\" | word"\n2|"back\\\\slash"\n';
		const cli = readCsvColumns(text, { escape: '\\' });
		const loader = await loaderReads(text, { escape: '\\' });
		expect(loader.dialect.delimiter).toBe('|');
		expect(cli.columns[1]).toEqual(['a "quoted" | word', 'back\\slash']);
		expect(loader.columns).toEqual(cli.columns);
	});

	it('any table printed with any delimiter and line ending reads the same in both', async () => {
		const value = fc.stringMatching(/^[a-z;,|\t" \n]{0,5}$/);
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom(',', ';', '\t', '|'),
				fc.constantFrom('\n', '\r\n'),
				fc.integer({ min: 2, max: 4 }),
				fc.array(fc.array(value, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
				async (delimiter, eol, width, rows) => {
					const quote = (v: string) => (/[;,|\t"\n\r]/.test(v) || v === '' ? `"${v.replaceAll('"', '""')}"` : v);
					const names = Array.from({ length: width }, (_, i) => `c${i}`);
					const body = rows.map((r) => r.slice(0, width));
					const text = [names, ...body].map((r) => r.map(quote).join(delimiter)).join(eol) + eol;
					const cli = readCsvColumns(text, { delimiter });
					const loader = await loaderReads(text, { delimiter, header: true });
					expect(loader.columns).toEqual(cli.columns);
					expect(cli.columns).toEqual(names.map((_, c) => body.map((r) => r[c])));
				}
			),
			{ numRuns: 40 }
		);
	});
});
