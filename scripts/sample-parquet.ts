/**
 * Writes static/samples/churn_events.parquet from static/samples/churn_events.csv (made by
 * scripts/generate_sample.py): the table a data cell `url: /samples/churn_events.csv` loads, with
 * the app's own type detection (sniffCsv on the first SAMPLE_BYTES, as the loader worker does) and
 * the same read_csv call (readCsvSql), read by native DuckDB and written as Parquet. The sample notebook
 * loads the Parquet: no text to parse on the page, so its first cells start sooner.
 *
 *   npx tsx scripts/sample-parquet.ts
 */
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { sniffCsv } from '#lib/ingest/csv/dialect.ts';
import { SAMPLE_BYTES } from '#lib/ingest/load-plan.ts';
import { dataSettings, readCsvSql } from '#lib/ingest/read-options.ts';
import { literal } from '#lib/sql/identifiers.ts';

const csv = fileURLToPath(new URL('../static/samples/churn_events.csv', import.meta.url));
const parquet = csv.replace(/\.csv$/, '.parquet');

const bytes = readFileSync(csv);
const sample = new TextDecoder().decode(bytes.subarray(0, SAMPLE_BYTES));
const { dialect } = sniffCsv(sample, dataSettings({ url: '/samples/churn_events.csv' }).request, bytes.length <= SAMPLE_BYTES);
const db = await (await DuckDBInstance.create(':memory:')).connect();
// Row groups of 50,000 rows: the loader inserts one Arrow batch per row group while it reads the next.
await db.run(`COPY (SELECT * FROM ${readCsvSql(csv, dialect)}) TO ${literal(parquet)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 50000)`);
console.log(`${parquet}: ${statSync(parquet).size} bytes; ${dialect.columns.map((c) => `${c.name} ${c.type}`).join(', ')}`);
