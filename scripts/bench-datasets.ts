/**
 * The dataset benchmark's data: `rows` rows × 20 columns of every kind the app profiles
 * (integers, doubles with NULLs, low- and high-cardinality text, dates, timestamps, booleans),
 * deterministic (DuckDB's hash of the row number), written by DuckDB as bench.csv and
 * bench.parquet into `dir`. Used by test/bench/datasets.bench.ts; on its own:
 *
 *   npx tsx scripts/bench-datasets.ts <dir> [rows]
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

export const BENCH_COLUMNS = 20;

const pick = (seed: number, values: string[]) => `[${values.map((v) => `'${v}'`).join(', ')}][1 + (hash(i, ${seed}) % ${values.length})::INTEGER]`;
const unit = (seed: number) => `((hash(i, ${seed}) % 1000000007)::DOUBLE / 1000000007)`;

export const BENCH_SQL = (rows: number) => `SELECT
  i AS id,
  TIMESTAMP '2024-01-01 00:00:00' + to_seconds((hash(i, 1) % 31536000)::BIGINT) AS ts,
  DATE '2023-01-01' + (hash(i, 2) % 730)::INTEGER AS day,
  'u' || (hash(i, 3) % 200000)::VARCHAR AS user_id,
  ${pick(4, ['US', 'DE', 'FR', 'GB', 'IN', 'BR', 'JP', 'CA', 'AU', 'ES', 'IT', 'NL', 'SE', 'PL', 'MX', 'KR', 'ZA', 'NG', 'AR', 'CH'])} AS country,
  ${pick(5, ['ios', 'android', 'web', 'desktop', 'tv'])} AS device,
  ${pick(6, ['free', 'basic', 'pro', 'enterprise'])} AS plan,
  CASE WHEN hash(i, 7) % 33 = 0 THEN NULL ELSE ${pick(8, ['seo', 'ads', 'email', 'social', 'referral', 'partner', 'direct', 'affiliate'])} END AS channel,
  hash(i, 9) % 3 = 0 AS active,
  (hash(i, 10) % 1000)::INTEGER AS clicks,
  (hash(i, 11) % 50)::BIGINT AS sessions,
  round(${unit(12)} * 500, 2) AS revenue,
  round(${unit(13)} * 120, 2) AS cost,
  CASE WHEN hash(i, 14) % 20 = 0 THEN NULL ELSE round(20 + 480 * ${unit(15)} * ${unit(16)}, 3) END AS latency_ms,
  round(sqrt(-2 * ln(${unit(17)} + 1e-12)) * cos(2 * pi() * ${unit(18)}), 6) AS score,
  round(${unit(19)}, 6) AS ratio,
  round(-10 + 45 * ${unit(20)}, 1) AS temperature,
  (1 + hash(i, 21) % 12)::INTEGER AS quantity,
  round(${unit(22)} * 0.3, 4) AS discount,
  CASE WHEN hash(i, 23) % 10 = 0 THEN NULL ELSE round(1 + 4 * ${unit(24)}, 1) END AS rating
FROM range(${rows}) r(i)`;

/** The GROUP BY the dataset benchmarks time, in the browser and natively. */
export const GROUP_BY = `SELECT country, device, count(*) AS n, sum(revenue) AS revenue, avg(latency_ms) AS latency_ms, count(DISTINCT user_id) AS users
FROM bench
GROUP BY ALL
ORDER BY ALL`;

export async function generateBenchData(dir: string, rows: number): Promise<{ csvBytes: number; parquetBytes: number }> {
	const instance = await DuckDBInstance.create(':memory:');
	const conn = await instance.connect();
	try {
		await conn.run(`CREATE TABLE bench AS ${BENCH_SQL(rows)}`);
		const csv = join(dir, 'bench.csv');
		const parquet = join(dir, 'bench.parquet');
		await conn.run(`COPY bench TO '${csv.replaceAll("'", "''")}' (HEADER, DELIMITER ',')`);
		await conn.run(`COPY bench TO '${parquet.replaceAll("'", "''")}' (FORMAT parquet)`);
		return { csvBytes: statSync(csv).size, parquetBytes: statSync(parquet).size };
	} finally {
		conn.closeSync();
		instance.closeSync();
	}
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	const [dir, rows] = process.argv.slice(2);
	if (!dir) throw new Error('usage: npx tsx scripts/bench-datasets.ts <dir> [rows]');
	console.log(await generateBenchData(dir, Number(rows ?? 1_000_000)));
}
