// The sample notebook loads static/samples/churn_events.parquet (scripts/sample-parquet.ts): it
// must hold the CSV's rows, in order, with the values and types a data cell reads from the CSV.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeDb } from '../sql/duckdb';
import { sniffCsv } from '#lib/ingest/csv/dialect.ts';
import { SAMPLE_BYTES } from '#lib/ingest/load-plan.ts';
import { dataSettings } from '#lib/ingest/read-options.ts';
import { literal } from '#lib/sql/identifiers.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const CSV_PATH = `${root}static/samples/churn_events.csv`;
const PARQUET_PATH = `${root}static/samples/churn_events.parquet`;

describe('sample dataset as Parquet (static/samples/churn_events.parquet)', () => {
	it('has the types the loader detects in the CSV, and the same values in the same order', async () => {
		const csv = readFileSync(CSV_PATH);
		const { dialect } = sniffCsv(
			new TextDecoder().decode(csv.subarray(0, SAMPLE_BYTES)),
			dataSettings({ url: '/samples/churn_events.csv' }).request,
			csv.length <= SAMPLE_BYTES
		);
		const db = await nativeDb();
		const dir = mkdtempSync(join(tmpdir(), 'driftbook-sample-parquet-'));
		try {
			const types = await db.rows(`SELECT column_name AS name, column_type AS type FROM (DESCRIBE SELECT * FROM read_parquet(${literal(PARQUET_PATH)}))`);
			expect(types).toEqual(dialect.columns.map((c) => ({ name: c.name, type: c.type })));
			// Written back as CSV by DuckDB: the same text but for trailing zeros (31.10 → 31.1).
			const back = join(dir, 'back.csv');
			await db.run(`COPY (SELECT * FROM read_parquet(${literal(PARQUET_PATH)})) TO ${literal(back)} (HEADER true)`);
			const expected = csv.toString('utf8').trimEnd().split('\n');
			const actual = readFileSync(back, 'utf8').trimEnd().split('\n');
			expect(actual.length).toBe(expected.length);
			expect(actual[0]).toBe(expected[0]);
			for (let line = 1; line < expected.length; line++) {
				const want = expected[line].split(',');
				const got = actual[line].split(',');
				const same = want.length === got.length && want.every((v, i) => v === got[i] || (v !== '' && Number(v) === Number(got[i])));
				if (!same) expect(`line ${line + 1}: ${actual[line]}`).toBe(`line ${line + 1}: ${expected[line]}`);
			}
		} finally {
			db.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
