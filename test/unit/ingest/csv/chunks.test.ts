import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { csvChunkBytes, scanCsv } from '#lib/ingest/csv/chunks.ts';
import { sniffCsv } from '#lib/ingest/csv/dialect.ts';
import { tokenizeCsv } from '#lib/ingest/csv/tokenize.ts';
import type { CsvDialect } from '#lib/ingest/read-options.ts';
import { nativeDb, type NativeDb } from '../../sql/duckdb';
import { loadCsvInChunks } from './load-in-chunks';

const RFC_QUOTING = { quote: 34, escape: 34 };

describe('read_csv in a real DuckDB, in chunks, with line numbers in the file', () => {
	let db: NativeDb;
	let dir: string;
	beforeAll(async () => {
		db = await nativeDb();
		dir = mkdtempSync(join(tmpdir(), 'driftbook-csv-'));
	});
	afterAll(() => {
		db.close();
		rmSync(dir, { recursive: true, force: true });
	});

	const loadInChunks = (text: string, dialect: CsvDialect, chunkBytes: number) => loadCsvInChunks(db, dir, text, dialect, chunkBytes);

	it('rejects ragged rows and bad values with their lines, whatever the chunk size', async () => {
		const text = 'id,name,amount\n1,alpha,10.5\n2,"two\nlines",20\n3,gamma\n\n4,delta,40\n5,epsilon,not-a-number\n6,"x,y",60\n7,g,7,8\n';
		const dialect: CsvDialect = {
			delimiter: ',',
			quote: '"',
			escape: '"',
			header: true,
			columns: [
				{ name: 'id', type: 'BIGINT' },
				{ name: 'name', type: 'VARCHAR' },
				{ name: 'amount', type: 'DOUBLE' }
			]
		};
		for (const size of [8, 20, 64, 4096]) {
			const { rows, rejected } = await loadInChunks(text, dialect, size);
			expect(
				rows.map((r) => r.id),
				`chunks of ${size}`
			).toEqual(['1', '2', '4', '6']);
			expect(rows[1].name).toBe('two\nlines');
			expect(
				rejected.map((r) => [r.line, r.error_type]),
				`chunks of ${size}`
			).toEqual([
				[5, 'MISSING COLUMNS'],
				[8, 'CAST'],
				[10, 'TOO MANY COLUMNS']
			]);
		}
	});

	it('reads a file that mixes CRLF and LF (DuckDB alone refuses it)', async () => {
		const dialect: CsvDialect = {
			delimiter: ',',
			quote: '"',
			escape: '"',
			header: false,
			columns: [
				{ name: 'a', type: 'BIGINT' },
				{ name: 'b', type: 'VARCHAR' }
			]
		};
		const { rows, rejected } = await loadInChunks('1,a\r\n2,"b\r\nc"\n3,c\r\n', dialect, 4096);
		expect(rows).toEqual([
			{ a: '1', b: 'a' },
			{ a: '2', b: 'b\r\nc' },
			{ a: '3', b: 'c' }
		]);
		expect(rejected).toEqual([]);
	});

	it('reads a chunk whose first newline is quoted and of another kind than its record ends', async () => {
		// DuckDB's strict parser takes the first newline it meets, quoted or not, as the record end.
		const dialect: CsvDialect = {
			delimiter: ',',
			quote: '"',
			escape: '"',
			header: false,
			columns: [
				{ name: 'a', type: 'VARCHAR' },
				{ name: 'b', type: 'VARCHAR' }
			]
		};
		const crlf = await loadInChunks('x,"p\nq"\r\ny,z\r\n', dialect, 4096);
		expect(crlf.rows).toEqual([
			{ a: 'x', b: 'p\nq' },
			{ a: 'y', b: 'z' }
		]);
		const lf = await loadInChunks('x,"p\r\nq"\ny,z\n', dialect, 4096);
		expect(lf.rows).toEqual([
			{ a: 'x', b: 'p\r\nq' },
			{ a: 'y', b: 'z' }
		]);
		expect(scanCsv(new TextEncoder().encode('x,"p\r\nq"\ny,z\n'), RFC_QUOTING, true).newlines).toBe('crlf');
		expect(scanCsv(new TextEncoder().encode('x,"p\nq"\r\ny,z\r\n'), RFC_QUOTING, true).newlines).toBe('lf');
		expect(scanCsv(new TextEncoder().encode('x,y\r\ny,"z\r\n"\r\n'), RFC_QUOTING, true).newlines).toBeUndefined();
	});

	it('splits and reads backslash-escaped quotes', async () => {
		const dialect: CsvDialect = {
			delimiter: ',',
			quote: '"',
			escape: '\\',
			header: true,
			columns: [
				{ name: 'id', type: 'BIGINT' },
				{ name: 'note', type: 'VARCHAR' }
			]
		};
		const text = 'id,note\n1,"a \\"quoted\\"\nline, and \\\\"\n2,plain\n3,x,extra\n';
		for (const size of [6, 4096]) {
			const { rows, rejected } = await loadInChunks(text, dialect, size);
			expect(rows, `chunks of ${size}`).toEqual([
				{ id: '1', note: 'a "quoted"\nline, and \\' },
				{ id: '2', note: 'plain' }
			]);
			expect(rejected.map((r) => r.line)).toEqual([5]);
		}
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
					let scan = scanCsv(rest.subarray(0, take), RFC_QUOTING, rest.length <= take);
					while (scan.boundary === 0) {
						take += size;
						scan = scanCsv(rest.subarray(0, take), RFC_QUOTING, rest.length <= take);
					}
					pieces.push(new TextDecoder().decode(rest.subarray(0, scan.boundary)));
					lines += scan.lines;
					rest = rest.subarray(scan.boundary);
				}
				expect(pieces.join('')).toBe(text);
				expect(lines).toBe(records.length);
				for (const piece of pieces) expect(tokenizeCsv(piece).records.every((r) => r.length >= 1)).toBe(true);
				expect(pieces.flatMap((p) => tokenizeCsv(p).records)).toEqual(tokenizeCsv(text).records);
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

describe('csvChunkBytes', () => {
	it('makes about ten chunks of a big file, fewer and bigger ones of a wide file, within 256 KiB and 32 MiB', () => {
		expect(csvChunkBytes(135_000_000, 20)).toBe(13_500_000);
		expect(csvChunkBytes(null, 20)).toBe(Math.ceil((64 << 20) / 10));
		expect(csvChunkBytes(1_000_000, 5)).toBe(256 << 10);
		expect(csvChunkBytes(2_000_000, 20)).toBe(20 * (16 << 10));
		expect(csvChunkBytes(3_500_000, 10_000)).toBe(32 << 20);
		expect(csvChunkBytes(10_000_000_000, 20)).toBe(32 << 20);
	});
});
