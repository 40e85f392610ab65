/**
 * CSV on two DuckDB-WASMs (src/lib/ingest/csv/arrow-reader.ts): chunks the second DuckDB reads into
 * Arrow and the notebook's DuckDB appends make the same table, in the same order with the same
 * types, as the notebook's DuckDB reading every chunk; a chunk the second one cannot read comes back
 * as CSV. Real DuckDB-WASM (its eh build, blocking bindings, two instances), real loader chunks.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChunkPipeline, twoReaders, TWO_READERS_MIN_BYTES, type CsvArrowReader, type PreparedChunk } from '#lib/ingest/csv/arrow-reader.ts';
import { CsvJob } from '#lib/ingest/csv/csv-job.ts';
import { byteQuoting, headerExtent } from '#lib/ingest/csv/chunks.ts';
import { sniffCsv } from '#lib/ingest/csv/dialect.ts';
import { readCsvSql, type CsvDialect } from '#lib/ingest/read-options.ts';
import { blobSource } from '#lib/ingest/sources/byte-source.ts';
import { arrowFileToStream } from '#lib/sql/arrow-file.ts';
import { tableFromIPC } from 'apache-arrow';

interface Bindings {
	connect(): { query(sql: string): { toArray(): Array<{ toJSON(): Record<string, unknown> }> }; insertArrowFromIPCStream(ipc: Uint8Array, o: object): void };
	registerFileBuffer(name: string, bytes: Uint8Array): void;
	dropFile(name: string): void;
	runQuery(conn: number, sql: string): Uint8Array;
}

async function duckdbWasm(): Promise<Bindings> {
	const require = createRequire(import.meta.url);
	const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
	const dist = join(process.cwd(), 'node_modules/@duckdb/duckdb-wasm/dist');
	const db = await duckdb.createDuckDB(
		{ mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: '' }, eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: '' } },
		new duckdb.VoidLogger(),
		duckdb.NODE_RUNTIME
	);
	await db.instantiate();
	await db.open({});
	return db;
}

/** 12,000 rows of every type the loader detects, with NULLs, quoted commas and quoted newlines: about 1.2 MB. */
function csvText(bad?: number): string {
	const lines = ['id,name,score,day,at,flag,note'];
	for (let i = 0; i < 12_000; i++) {
		const note = i % 97 === 0 ? '"two\nlines, quoted"' : i % 13 === 0 ? '' : `"note ${'x'.repeat(i % 50)}, ${i}"`;
		const score = i % 11 === 0 ? '' : ((i * 7919) % 100003) / 37;
		const day = `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
		lines.push(`${i === bad ? 'oops' : i},name${i % 300},${score},${day},${day} ${String(i % 24).padStart(2, '0')}:15:0${i % 10},${i % 3 === 0},${note}`);
	}
	return lines.join('\n') + '\n';
}

async function prepared(text: string, helper: CsvArrowReader | undefined) {
	const bytes = new TextEncoder().encode(text);
	const { dialect } = sniffCsv(text.slice(0, 1 << 20), { onError: 'stop' }, true);
	const quoting = byteQuoting(dialect);
	const sample = bytes.subarray(0, 1 << 16);
	const header = headerExtent(sample, quoting);
	const source = blobSource(new Blob([bytes]));
	await source.read(sample.byteLength);
	const job = new CsvJob(source, quoting, sample, false, header.bytes, header.lines, dialect.columns.length);
	const pipeline = new ChunkPipeline(
		() => job.next(),
		2,
		() => helper && { reader: helper, sqlFor: (file) => `SELECT * FROM ${readCsvSql(file, dialect, undefined, false)}`, file: (n) => `helper_${n}.csv` }
	);
	const chunks: PreparedChunk[] = [];
	for (let c = await pipeline.next(); c; c = await pipeline.next()) chunks.push(c);
	return { chunks, dialect, pipeline };
}

/** What data.ts does: CSV chunks through read_csv, Arrow ones appended. */
function insert(db: Bindings, chunks: PreparedChunk[], dialect: CsvDialect, table: string) {
	const conn = db.connect();
	chunks.forEach(({ chunk, ipc }, n) => {
		if (chunk.kind !== 'csv') throw new Error('expected CSV chunks');
		if (ipc && n > 0) return conn.insertArrowFromIPCStream(ipc, { name: table, create: false });
		db.registerFileBuffer(`${table}_${n}.csv`, chunk.bytes.slice());
		conn.query(`${n === 0 ? `CREATE TABLE ${table} AS` : `INSERT INTO ${table}`} SELECT * FROM ${readCsvSql(`${table}_${n}.csv`, dialect, undefined, false)}`);
		db.dropFile(`${table}_${n}.csv`);
	});
	return conn;
}

function readerOn(db: Bindings): CsvArrowReader {
	const conn = db.connect() as unknown as { useUnsafe<R>(f: (b: Bindings, id: number) => R): R };
	return {
		async read(file, bytes, sql) {
			db.registerFileBuffer(file, bytes);
			try {
				return arrowFileToStream(conn.useUnsafe((b, id) => b.runQuery(id, sql)));
			} finally {
				db.dropFile(file);
			}
		}
	};
}

describe('CSV chunks read by a second DuckDB-WASM', () => {
	it('append the same rows, in order, with the same types, as one DuckDB reading them all', async () => {
		const [main, second] = await Promise.all([duckdbWasm(), duckdbWasm()]);
		const text = csvText();
		const helped = await prepared(text, readerOn(second));
		const alone = await prepared(text, undefined);
		expect(helped.chunks.length).toBeGreaterThanOrEqual(4);
		// Every other chunk, the first one never (it creates the table with read_csv's types).
		expect(helped.chunks.map((c) => c.ipc !== undefined)).toEqual(helped.chunks.map((_, n) => n % 2 === 1));
		expect(helped.pipeline.readByHelper).toBe(Math.floor(helped.chunks.length / 2));
		expect(alone.chunks.every((c) => c.ipc === undefined)).toBe(true);
		const conn = insert(main, helped.chunks, helped.dialect, 'helped');
		insert(main, alone.chunks, alone.dialect, 'alone');
		const types = (t: string) =>
			conn
				.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '${t}' ORDER BY ordinal_position`)
				.toArray()
				.map((r) => r.toJSON());
		expect(types('helped')).toEqual(types('alone'));
		expect(types('helped').map((c) => c.data_type)).toEqual(['BIGINT', 'VARCHAR', 'DOUBLE', 'DATE', 'TIMESTAMP', 'BOOLEAN', 'VARCHAR']);
		const rows = (t: string) =>
			conn
				.query(`SELECT * FROM ${t} ORDER BY rowid`)
				.toArray()
				.map((r) => JSON.stringify(r.toJSON(), (_, v) => (typeof v === 'bigint' ? String(v) : v)));
		const [a, b] = [rows('helped'), rows('alone')];
		expect(a.length).toBe(12_000);
		expect(a).toEqual(b);
	});

	it('hands a chunk the second DuckDB cannot read back as CSV, for the notebook’s DuckDB to name its bad line', async () => {
		const second = await duckdbWasm();
		// Row 7,000 is in a chunk of its own well past the first: whichever reader gets it, read_csv fails on it.
		const { chunks } = await prepared(csvText(7_000), readerOn(second));
		const bad = chunks.findIndex((c) => c.chunk.kind === 'csv' && new TextDecoder().decode(c.chunk.bytes).includes('\noops,'));
		expect(bad).toBeGreaterThan(0);
		expect(chunks[bad].ipc).toBeUndefined();
		expect(chunks.filter((c, n) => n !== bad && n % 2 === 1).every((c) => c.ipc !== undefined)).toBe(true);
	});

	it('answers in the stream format DuckDB appends from (DuckDB-WASM queries answer as an Arrow file)', async () => {
		const db = await duckdbWasm();
		const conn = db.connect() as unknown as { useUnsafe<R>(f: (b: Bindings, id: number) => R): R };
		const file = conn.useUnsafe((b, id) => b.runQuery(id, 'SELECT range AS i, range::VARCHAR AS s FROM range(5000)'));
		expect(new TextDecoder().decode(file.subarray(0, 6))).toBe('ARROW1');
		const stream = arrowFileToStream(file);
		expect(new TextDecoder().decode(stream.subarray(0, 6))).not.toBe('ARROW1');
		expect(tableFromIPC(stream).numRows).toBe(5000);
		const appender = db.connect();
		appender.query('CREATE TABLE t (i BIGINT, s VARCHAR)');
		appender.insertArrowFromIPCStream(stream, { name: 't', create: false });
		expect(appender.query('SELECT count(*)::INTEGER AS n, sum(i)::DOUBLE AS total FROM t').toArray()[0].toJSON()).toEqual({ n: 5000, total: 12497500 });
		// Anything but an Arrow file passes through.
		expect(arrowFileToStream(stream)).toBe(stream);
	});

	it('is used for big CSVs whose column types cross Arrow unchanged', () => {
		const dialect = (types: string[]) => ({ columns: types.map((type, i) => ({ name: `c${i}`, type })) }) as unknown as CsvDialect;
		expect(twoReaders(TWO_READERS_MIN_BYTES, dialect(['BIGINT', 'DOUBLE', 'VARCHAR', 'DATE', 'TIMESTAMP', 'BOOLEAN']))).toBe(true);
		expect(twoReaders(null, dialect(['BIGINT']))).toBe(true);
		expect(twoReaders(TWO_READERS_MIN_BYTES - 1, dialect(['BIGINT']))).toBe(false);
		expect(twoReaders(TWO_READERS_MIN_BYTES, dialect(['BIGINT', 'TIMESTAMPTZ']))).toBe(false);
		expect(twoReaders(TWO_READERS_MIN_BYTES, dialect(['DECIMAL(10,2)']))).toBe(false);
	});
});
