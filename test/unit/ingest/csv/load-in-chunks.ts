/**
 * The data cell's CSV path on a real native DuckDB, for tests: header cut off, whole-record
 * chunks (src/lib/ingest/csv/chunks.ts), read_csv with the dialect, rejects mapped to file lines
 * (src/lib/cells/data.ts does the same in the browser).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bomBytes, byteQuoting, fileLine, headerExtent, rewriteNewlines, scanCsv } from '#lib/ingest/csv/chunks.ts';
import { readCsvSql, type CsvDialect } from '#lib/ingest/read-options.ts';
import type { NativeDb } from '../../sql/duckdb';

/** Loads `text` the way the data cell does: header stripped, whole-record chunks, rejects mapped to file lines. */
export async function loadCsvInChunks(db: NativeDb, dir: string, text: string, dialect: CsvDialect, chunkBytes: number) {
	const bytes = new TextEncoder().encode(text);
	const quoting = byteQuoting(dialect);
	const header = dialect.header ? headerExtent(bytes, quoting) : { bytes: bomBytes(bytes), lines: 0 };
	let rest = bytes.subarray(header.bytes);
	let nextLine = 1 + header.lines;
	const rejected: Array<{ line: number; error_type: string; csv_line: string }> = [];
	let n = 0;
	const run = Math.random().toString(36).slice(2, 8);
	await db.run('DROP TABLE IF EXISTS loaded');
	while (rest.length > 0) {
		const atEnd = rest.length <= chunkBytes;
		let scan = scanCsv(rest.subarray(0, chunkBytes), quoting, atEnd);
		let take = chunkBytes;
		while (scan.boundary === 0) {
			take *= 2;
			scan = scanCsv(rest.subarray(0, take), quoting, rest.length <= take);
		}
		const chunk = rest.subarray(0, scan.boundary);
		const file = join(dir, `chunk_${n++}.csv`);
		writeFileSync(file, scan.newlines ? rewriteNewlines(chunk, quoting, scan.newlines) : chunk);
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
