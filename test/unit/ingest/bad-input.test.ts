/**
 * The bad-input matrix for files, on the pure parts the loader worker runs before DuckDB
 * (detection, UTF-8 check, record splitting and line mapping) and on real DuckDB reading with
 * the settings detection chose. The browser path is test/e2e/datasets-bad-input.spec.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsvSql, formatFromBytes } from '#lib/ingest/read-options.ts';
import { sniffCsv } from '#lib/ingest/csv/dialect.ts';
import { fileLine, firstInvalidUtf8, headerExtent, scanCsv } from '#lib/ingest/csv/chunks.ts';
import { nativeDb, type NativeDb } from '../sql/duckdb';

const RFC_QUOTING = { quote: 34, escape: 34 };

const bytes = (text: string) => new TextEncoder().encode(text);
const sniff = (text: string, request = {}) => sniffCsv(text, { onError: 'stop', ...request }, true);

let db: NativeDb;
let dir: string;
beforeAll(async () => {
	db = await nativeDb();
	dir = mkdtempSync(join(tmpdir(), 'driftbook-bad-input-'));
});
afterAll(() => {
	db.close();
	rmSync(dir, { recursive: true, force: true });
});

/** Reads `text` with DuckDB the way the loader does: header cut off, detected settings. */
async function load(name: string, text: string | Uint8Array) {
	const raw = typeof text === 'string' ? bytes(text) : text;
	const plan = sniff(new TextDecoder().decode(raw));
	const header = headerExtent(raw, RFC_QUOTING);
	const path = join(dir, name);
	writeFileSync(path, raw.subarray(header.bytes));
	return db.rows(`SELECT * FROM ${readCsvSql(path, plan.dialect, undefined, false)}`);
}

describe('bad files', () => {
	it('an empty file is refused as empty', () => {
		expect(() => sniff('')).toThrow('the file is empty');
	});

	it('a header-only CSV is a table with its columns and no rows', async () => {
		const plan = sniff('id,name,score\n');
		expect(plan.dialect.header).toBe(true);
		expect(plan.dialect.columns.map((c) => c.name)).toEqual(['id', 'name', 'score']);
		expect(await load('header-only.csv', 'id,name,score\n')).toEqual([]);
	});

	it('ragged rows are named by line before loading, and DuckDB refuses them', async () => {
		const text = 'id,name,score\n1,a,2.5\n2,b\n3,c,4.5,extra\n4,d,1\n';
		expect(sniff(text).notes).toContain('2 of the first 4 records do not have 3 fields (line 3, 4): they will be rejected');
		await expect(load('ragged.csv', text)).rejects.toThrow(/Expected Number of Columns: 3 Found: 2/);
	});

	it('a delimiter that leaves one field per record says which one splits them', () => {
		const plan = sniff('id,name,score\n1,a,2.5\n2,b,3.5\n', { delimiter: ';' });
		expect(plan.dialect.columns).toHaveLength(1);
		expect(plan.notes).toContain('with delimiter ";" every record is one field; "," splits them into 3 fields: is the delimiter right?');
		// Detected, the semicolon file splits.
		expect(sniff('id;name\n1;a\n').dialect.delimiter).toBe(';');
	});

	it('a byte order mark is not part of the first column name', async () => {
		const text = '\ufeffid,name\n1,a\n2,b\n';
		expect(sniff(text).dialect.columns[0]).toEqual({ name: 'id', type: 'BIGINT' });
		expect(headerExtent(bytes(text), RFC_QUOTING).bytes).toBe(3 + 'id,name\n'.length);
		expect(await load('bom.csv', text)).toEqual([
			{ id: '1', name: 'a' },
			{ id: '2', name: 'b' }
		]);
	});

	it('non-UTF-8 bytes are found with their line and offset; a character cut at the end of a sample is not', () => {
		const latin1 = new Uint8Array([...bytes('id,name\n1,ok\n2,'), 0xe9, 0x74, 0xe9, 10]);
		expect(firstInvalidUtf8(latin1, true)).toEqual({ line: 3, offset: 15, byte: 0xe9 });
		expect(firstInvalidUtf8(bytes('id,näme\n1,é\n'), true)).toBeUndefined();
		const cut = bytes('a,é').subarray(0, 3);
		expect(firstInvalidUtf8(cut, false)).toBeUndefined();
		expect(firstInvalidUtf8(cut, true)).toEqual({ line: 1, offset: 2, byte: 0xc3 });
	});

	it('quoted newlines stay in their field, and later lines keep their file line numbers', async () => {
		const text = 'id,note\n1,"first\nsecond"\n2,x\n';
		const body = bytes(text).subarray(headerExtent(bytes(text), RFC_QUOTING).bytes);
		const scan = scanCsv(body, RFC_QUOTING, true);
		expect(scan.lines).toBe(2);
		expect(scan.physical).toBe(3);
		expect(scan.multiline).toEqual([[1, 1]]);
		// DuckDB's line 2 of the chunk (the record after the quoted newline) is line 4 of the file.
		expect(fileLine(2, scan.multiline, 2)).toBe(4);
		expect(await load('quoted.csv', text)).toEqual([
			{ id: '1', note: 'first\nsecond' },
			{ id: '2', note: 'x' }
		]);
	});

	it('10,000 columns are detected and read', async () => {
		const n = 10_000;
		const text =
			[Array.from({ length: n }, (_, i) => `c${i}`), Array.from({ length: n }, (_, i) => i), Array.from({ length: n }, (_, i) => 2 * i)]
				.map((r) => r.join(','))
				.join('\n') + '\n';
		const plan = sniff(text);
		expect(plan.dialect.columns).toHaveLength(n);
		expect(plan.dialect.columns[n - 1]).toEqual({ name: `c${n - 1}`, type: 'BIGINT' });
		const rows = await load('wide.csv', text);
		expect(rows).toHaveLength(2);
		expect(rows[1][`c${n - 1}`]).toBe(String(2 * (n - 1)));
	}, 60_000);

	it('binary content is recognised by its first bytes', () => {
		expect(formatFromBytes(bytes('PAR1\u0000\u0000'))).toBe('parquet');
		expect(formatFromBytes(bytes('ARROW1\u0000\u0000'))).toBe('arrow');
	});
});
