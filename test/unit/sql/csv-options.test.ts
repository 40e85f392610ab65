import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	dataSettings,
	detectDelimiter,
	formatFromBytes,
	formatFromName,
	inferTextType,
	parseColumnsField,
	parseCsvRecords,
	parseDateText,
	parseDelimiter,
	parseTimestampText,
	printDataSettings,
	readCsvSql,
	sniffCsv,
	type CsvDialect
} from '$lib/sql/csv-options';
import { fileLine, headerExtent, normalizeNewlines, scanCsv } from '$lib/sql/csv-chunks';
import { nativeDb, type NativeDb } from './duckdb';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const RAGGED = 'a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11,12\n';

describe('CSV records and dialect', () => {
	it('parses RFC 4180 quoting, quoted newlines and CRLF, with the line each record starts on', () => {
		const records = parseCsvRecords('id,text\r\n1,"a, ""b"""\r\n2,"two\nlines"\n\n3,x', ',');
		expect(records).toEqual([
			{ fields: ['id', 'text'], line: 1 },
			{ fields: ['1', 'a, "b"'], line: 2 },
			{ fields: ['2', 'two\nlines'], line: 3 },
			{ fields: ['3', 'x'], line: 6 }
		]);
		expect(parseCsvRecords('a,b\n1,2\n3,', ',', '"', Infinity, false)).toEqual([
			{ fields: ['a', 'b'], line: 1 },
			{ fields: ['1', '2'], line: 2 }
		]);
	});

	it('finds the delimiter that splits most records alike, even in a small ragged file', () => {
		expect(detectDelimiter(RAGGED)).toBe(',');
		expect(detectDelimiter('a;b;c\n1,5;2;3\n4;5;6\n')).toBe(';');
		expect(detectDelimiter('a\tb\n"x,y"\t2\n')).toBe('\t');
		expect(detectDelimiter('a|b|c\n1|2|3\n')).toBe('|');
		expect(detectDelimiter('just one column\nanother\n')).toBe(',');
	});

	it('reads the ragged file as three BIGINT columns and says which lines do not fit', () => {
		const sniff = sniffCsv(RAGGED, { onError: 'stop' }, true);
		expect(sniff.dialect).toMatchObject({
			delimiter: ',',
			header: true,
			columns: [
				{ name: 'a', type: 'BIGINT' },
				{ name: 'b', type: 'BIGINT' },
				{ name: 'c', type: 'BIGINT' }
			]
		});
		expect(sniff.notes[0]).toContain('2 of the first 4 records do not have 3 fields (line 3, 5)');
	});

	it('detects headers by type, and their absence', () => {
		expect(sniffCsv('x,y\n1,2\n3,4\n', { onError: 'stop' }, true).dialect.header).toBe(true);
		const none = sniffCsv('1,2\n3,4\n', { onError: 'stop' }, true);
		expect(none.dialect.header).toBe(false);
		expect(none.dialect.columns.map((c) => c.name)).toEqual(['column0', 'column1']);
		expect(sniffCsv('name,city\nada,london\ngrace,nyc\n', { onError: 'stop' }, true).dialect.header).toBe(true);
		expect(sniffCsv('x,x,\n1,2,3\n', { onError: 'stop' }, true).dialect.columns.map((c) => c.name)).toEqual(['x', 'x_1', 'column2']);
	});

	it('applies explicit settings and types, and refuses unknown columns', () => {
		const sniff = sniffCsv('a;b\n1;x\n', { delimiter: ';', header: true, columns: [{ name: 'a', type: 'VARCHAR' }], onError: 'stop' }, true);
		expect(sniff.dialect.columns).toEqual([
			{ name: 'a', type: 'VARCHAR' },
			{ name: 'b', type: 'VARCHAR' }
		]);
		expect(sniff.detected).toEqual({ delimiter: false, header: false, types: ['b'] });
		expect(() => sniffCsv('a,b\n1,2\n', { columns: [{ name: 'zzz', type: 'INTEGER' }], onError: 'stop' }, true)).toThrow('no column "zzz"');
		// Without a header, a full list of columns names them in order.
		const named = sniffCsv('1,2\n3,4\n', { header: false, columns: [{ name: 'p', type: 'DOUBLE' }, { name: 'q', type: 'INTEGER' }], onError: 'stop' }, true);
		expect(named.dialect.columns).toEqual([
			{ name: 'p', type: 'DOUBLE' },
			{ name: 'q', type: 'INTEGER' }
		]);
	});
});

describe('types of text values', () => {
	it('picks the narrowest type every value fits', () => {
		expect(inferTextType(['1', '-2', '', '+3']).type).toBe('BIGINT');
		expect(inferTextType(['1', '2.5', '1e3', 'inf']).type).toBe('DOUBLE');
		expect(inferTextType(['true', 'FALSE']).type).toBe('BOOLEAN');
		expect(inferTextType(['1', 'x']).type).toBe('VARCHAR');
		expect(inferTextType(['99999999999999999999']).type).toBe('VARCHAR');
		expect(inferTextType(['', '']).type).toBe('VARCHAR');
		expect(inferTextType(['inf', 'nan']).type).toBe('VARCHAR');
	});

	it('finds dates, timestamps and their formats, and says when day and month are ambiguous', () => {
		expect(inferTextType(['2024-01-31', '2024-02-29'])).toEqual({ type: 'DATE', dateformat: undefined, ambiguous: false });
		expect(inferTextType(['2023-02-29']).type).toBe('VARCHAR');
		expect(inferTextType(['31/01/2024', '01/02/2024'])).toEqual({ type: 'DATE', dateformat: '%d/%m/%Y', ambiguous: false });
		expect(inferTextType(['01/31/2024', '02/01/2024'])).toEqual({ type: 'DATE', dateformat: '%m/%d/%Y', ambiguous: false });
		expect(inferTextType(['01/02/2024']).ambiguous).toBe(true);
		expect(inferTextType(['2024-01-31 10:00:00', '2024-01-31T10:00:00.123456']).type).toBe('TIMESTAMP');
		expect(inferTextType(['2024-01-31 10:00:00+02:00', '2024-01-31T10:00:00Z']).type).toBe('TIMESTAMPTZ');
		expect(inferTextType(['31.01.2024 10:00:00'])).toMatchObject({ type: 'TIMESTAMP', timestampformat: '%d.%m.%Y %H:%M:%S' });
		expect(inferTextType(['2024 Jan 31'], { dateformat: '%Y %b %d' })).toEqual({ type: 'DATE', dateformat: '%Y %b %d' });
	});

	it('parses dates and timestamps for JSON the way DuckDB reads them', () => {
		expect(parseDateText('2024-03-01')).toBe(Date.UTC(2024, 2, 1) / 86_400_000);
		expect(parseDateText('01/03/2024', '%d/%m/%Y')).toBe(Date.UTC(2024, 2, 1) / 86_400_000);
		expect(parseDateText('2024-02-30')).toBeNull();
		expect(parseTimestampText('2024-03-01 10:00:00.5')).toBe(Date.UTC(2024, 2, 1, 10) * 1000 + 500_000);
		expect(parseTimestampText('2024-03-01T10:00:00+02:00')).toBe(Date.UTC(2024, 2, 1, 8) * 1000);
		expect(parseTimestampText('nope')).toBeNull();
	});
});

describe('data cell fields', () => {
	it('reads every setting, with errors naming the field', () => {
		const s = dataSettings({ file: 'upload', format: 'csv', delimiter: '\\t', header: 'no', columns: 'id BIGINT, "full name" VARCHAR, price DECIMAL(10, 2)', dateformat: '%d/%m/%Y', on_error: 'skip' });
		expect(s).toEqual({
			url: undefined,
			file: 'upload',
			request: {
				format: 'csv',
				delimiter: '\t',
				header: false,
				quote: undefined,
				columns: [
					{ name: 'id', type: 'BIGINT' },
					{ name: 'full name', type: 'VARCHAR' },
					{ name: 'price', type: 'DECIMAL(10, 2)' }
				],
				dateformat: '%d/%m/%Y',
				timestampformat: undefined,
				nullstr: undefined,
				onError: 'skip'
			}
		});
		expect(parseDataRoundTrip(printDataSettings(s))).toEqual(s);
		expect(() => dataSettings({})).toThrow('field "url"');
		expect(() => dataSettings({ url: 'x', file: 'y' })).toThrow('field "file"');
		expect(() => dataSettings({ url: 'x', format: 'xlsx' })).toThrow('field "format": "xlsx" is not one of');
		expect(() => dataSettings({ url: 'x', on_error: 'ignore' })).toThrow('field "on_error"');
		expect(() => dataSettings({ url: 'x', columns: 'id' })).toThrow('field "columns": "id" is not "name TYPE"');
		expect(() => dataSettings({ url: 'x', delimiter: '::' })).toThrow('field "delimiter"');
		expect(() => parseColumnsField('a DROP TABLE x; --')).toThrow('is not a type name');
		expect(parseDelimiter('tab')).toBe('\t');
	});

	it('tells formats from names and first bytes', () => {
		expect(formatFromName('/data/x.PARQUET?token=1')).toBe('parquet');
		expect(formatFromName('a.jsonl')).toBe('ndjson');
		expect(formatFromName('noext')).toBeUndefined();
		expect(() => formatFromName('x.csv.gz')).toThrow('compressed');
		const bytes = (s: string) => new TextEncoder().encode(s);
		expect(formatFromBytes(bytes('PAR1xxxx'))).toBe('parquet');
		expect(formatFromBytes(bytes('ARROW1\0\0'))).toBe('arrow');
		expect(formatFromBytes(bytes(' \n[{"a":1}]'))).toBe('json');
		expect(formatFromBytes(bytes('{"a":1}\n{"a":2}'))).toBe('ndjson');
		expect(formatFromBytes(bytes('a,b\n'))).toBeUndefined();
	});
});

function parseDataRoundTrip(text: string) {
	return dataSettings(Object.fromEntries(text.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()])));
}

describe('read_csv in a real DuckDB, in chunks, with line numbers in the file', () => {
	let db: NativeDb;
	let dir: string;
	beforeAll(async () => {
		db = await nativeDb();
		dir = mkdtempSync(join(tmpdir(), 'driftbook-csv-'));
	});
	afterAll(() => db.close());

	/** Loads `text` the way the data cell does: header stripped, whole-record chunks, rejects mapped to file lines. */
	async function loadInChunks(text: string, dialect: CsvDialect, chunkBytes: number) {
		const bytes = new TextEncoder().encode(text);
		const quote = dialect.quote.charCodeAt(0);
		const header = dialect.header ? headerExtent(bytes, quote) : { bytes: 0, lines: 0 };
		let rest = bytes.subarray(header.bytes);
		let nextLine = 1 + header.lines;
		const rejected: Array<{ line: number; error_type: string; csv_line: string }> = [];
		let n = 0;
		const run = Math.random().toString(36).slice(2, 8);
		await db.run('DROP TABLE IF EXISTS loaded');
		while (rest.length > 0) {
			const atEnd = rest.length <= chunkBytes;
			let scan = scanCsv(rest.subarray(0, chunkBytes), quote, atEnd);
			let take = chunkBytes;
			while (scan.boundary === 0) {
				take *= 2;
				scan = scanCsv(rest.subarray(0, take), quote, rest.length <= take);
			}
			const chunk = rest.subarray(0, scan.boundary);
			const file = join(dir, `chunk_${n++}.csv`);
			writeFileSync(file, scan.mixedNewlines ? normalizeNewlines(chunk, quote) : chunk);
			const target = n === 1 ? 'CREATE TABLE loaded AS SELECT * FROM' : 'INSERT INTO loaded SELECT * FROM';
			await db.run(`${target} ${readCsvSql(file, dialect, { errors: `rej_${run}_${n}`, scans: `scan_${run}_${n}` }, false)}`);
			for (const r of await db.rows(`SELECT line, error_type, csv_line FROM rej_${run}_${n} ORDER BY line`)) {
				rejected.push({ line: fileLine(nextLine, scan.multiline, Number(r.line)), error_type: String(r.error_type), csv_line: String(r.csv_line).trim() });
			}
			nextLine += scan.physical;
			rest = rest.subarray(scan.boundary);
		}
		return { rows: await db.rows('SELECT * FROM loaded'), rejected };
	}

	it('rejects ragged rows and bad values with their lines, whatever the chunk size', async () => {
		const text = 'id,name,amount\n1,alpha,10.5\n2,"two\nlines",20\n3,gamma\n\n4,delta,40\n5,epsilon,not-a-number\n6,"x,y",60\n7,g,7,8\n';
		const dialect: CsvDialect = {
			delimiter: ',',
			quote: '"',
			header: true,
			columns: [
				{ name: 'id', type: 'BIGINT' },
				{ name: 'name', type: 'VARCHAR' },
				{ name: 'amount', type: 'DOUBLE' }
			]
		};
		for (const size of [8, 20, 64, 4096]) {
			const { rows, rejected } = await loadInChunks(text, dialect, size);
			expect(rows.map((r) => r.id), `chunks of ${size}`).toEqual(['1', '2', '4', '6']);
			expect(rows[1].name).toBe('two\nlines');
			expect(rejected.map((r) => [r.line, r.error_type]), `chunks of ${size}`).toEqual([
				[5, 'MISSING COLUMNS'],
				[8, 'CAST'],
				[10, 'TOO MANY COLUMNS']
			]);
		}
	});

	it('reads a file that mixes CRLF and LF (DuckDB alone refuses it)', async () => {
		const dialect: CsvDialect = { delimiter: ',', quote: '"', header: false, columns: [{ name: 'a', type: 'BIGINT' }, { name: 'b', type: 'VARCHAR' }] };
		const { rows, rejected } = await loadInChunks('1,a\r\n2,"b\r\nc"\n3,c\r\n', dialect, 4096);
		expect(rows).toEqual([
			{ a: '1', b: 'a' },
			{ a: '2', b: 'b\r\nc' },
			{ a: '3', b: 'c' }
		]);
		expect(rejected).toEqual([]);
	});

	it('splits only between records, for any text and any chunk size', () => {
		const field = fc.stringMatching(/^[a-z",\n ]{0,6}$/).map((s) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s));
		const record = fc.array(field, { minLength: 1, maxLength: 4 }).map((f) => f.join(','));
		fc.assert(
			fc.property(fc.array(record, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 40 }), (records, size) => {
				const text = records.join('\n') + '\n';
				const bytes = new TextEncoder().encode(text);
				const pieces: string[] = [];
				let rest = bytes;
				let lines = 0;
				while (rest.length > 0) {
					let take = size;
					let scan = scanCsv(rest.subarray(0, take), 34, rest.length <= take);
					while (scan.boundary === 0) {
						take += size;
						scan = scanCsv(rest.subarray(0, take), 34, rest.length <= take);
					}
					pieces.push(new TextDecoder().decode(rest.subarray(0, scan.boundary)));
					lines += scan.lines;
					rest = rest.subarray(scan.boundary);
				}
				expect(pieces.join('')).toBe(text);
				expect(lines).toBe(records.length);
				for (const piece of pieces) expect(parseCsvRecords(piece, ',').every((r) => r.fields.length >= 1)).toBe(true);
				expect(pieces.flatMap((p) => parseCsvRecords(p, ',').map((r) => r.fields))).toEqual(parseCsvRecords(text, ',').map((r) => r.fields));
			}),
			{ numRuns: 300 }
		);
	});

	it('reads a NULL marker as NULL, not as text that makes a column VARCHAR', async () => {
		const text = 'a,b\n1,NA\nNA,2.5\n3,4\n';
		const sniff = sniffCsv(text, { nullstr: 'NA', onError: 'stop' }, true);
		expect(sniff.dialect.columns).toEqual([
			{ name: 'a', type: 'BIGINT' },
			{ name: 'b', type: 'DOUBLE' }
		]);
		const { rows, rejected } = await loadInChunks(text, sniff.dialect, 4096);
		expect(rows).toEqual([
			{ a: '1', b: null },
			{ a: null, b: 2.5 },
			{ a: '3', b: 4 }
		]);
		expect(rejected).toEqual([]);
	});

	it('reads dates in a detected format and rejects those that do not parse', async () => {
		const text = 'day,value\n31/01/2024,1\n01/02/2024,2\n2024-02-03,3\n';
		const sniff = sniffCsv(text, { onError: 'skip' }, true);
		// The third date is ISO, not d/m/Y: the column is text and nothing is silently NULL.
		expect(sniff.dialect.columns[0].type).toBe('VARCHAR');
		const strict = sniffCsv(text, { dateformat: '%d/%m/%Y', columns: [{ name: 'day', type: 'DATE' }], onError: 'skip' }, true);
		const { rows, rejected } = await loadInChunks(text, strict.dialect, 4096);
		expect(rows.map((r) => r.day)).toEqual(['2024-01-31', '2024-02-01']);
		expect(rejected.map((r) => r.line)).toEqual([4]);
	});
});
