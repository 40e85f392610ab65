import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeQuery, HISTOGRAM_BINS, profileKind, profileQuery, QUANTILES, readProfile, type ProfileColumn } from '#lib/sql/profile.ts';
import { nativeDb, type NativeDb } from './duckdb';

let db: NativeDb;
beforeAll(async () => {
	db = await nativeDb();
});
afterAll(() => db.close());

async function profile(table: string) {
	const columns = (await db.rows(describeQuery(table))) as unknown as ProfileColumn[];
	const sql = profileQuery(table, columns);
	const rows = await db.rows(sql);
	expect(rows).toHaveLength(1);
	return { sql, profiles: readProfile(rows[0], columns) };
}

/** Deterministic pseudo-random numbers (LCG), so the expected values are computed here, independently. */
function lcg(seed: number) {
	return () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

function quantileCont(sorted: number[], p: number): number {
	const h = (sorted.length - 1) * p;
	const lo = Math.floor(h);
	return sorted[lo] + (h - lo) * (sorted[Math.min(sorted.length - 1, lo + 1)] - sorted[lo]);
}

describe('profileQuery: the SQL text', () => {
	it('is one statement: the values once, aggregates, histogram bins and one GROUPING SETS pass for frequencies', () => {
		const sql = profileQuery('t', [
			{ name: 'x', type: 'DOUBLE' },
			{ name: 'we"ird', type: 'VARCHAR' }
		]);
		expect(sql).toBe(`WITH "profile_values" AS NOT MATERIALIZED (
  SELECT "x" AS "v0",
    CASE WHEN isfinite("x"::DOUBLE) THEN "x"::DOUBLE END AS "f0",
    "we""ird" AS "v1"
  FROM "t"
),
"profile_stats" AS (
  SELECT count(*) AS "n",
    count("v0") AS "c0_count",
    count(DISTINCT "v0") AS "c0_distinct",
    min("v0")::VARCHAR AS "c0_min",
    max("v0")::VARCHAR AS "c0_max",
    min("f0") AS "c0_lo",
    max("f0") AS "c0_hi",
    count("v0") - count("f0") AS "c0_nonfinite",
    avg("f0") AS "c0_mean",
    stddev_samp("f0") AS "c0_sd",
    quantile_cont("f0", [0.05, 0.25, 0.5, 0.75, 0.95]) AS "c0_q",
    count("v1") AS "c1_count",
    count(DISTINCT "v1") AS "c1_distinct"
  FROM "profile_values"
),
"profile_bins" AS (
  SELECT histogram(CASE WHEN t."f0" IS NULL THEN NULL WHEN s."c0_hi" > s."c0_lo" THEN least(floor((t."f0" - s."c0_lo") / (s."c0_hi" - s."c0_lo") * 20), 19)::INTEGER ELSE 0 END) AS "c0_hist"
  FROM "profile_values" AS t, "profile_stats" AS s
),
"profile_freq" AS (
  SELECT CASE WHEN grouping("v1") = 0 THEN 1 END AS k, CASE WHEN grouping("v1") = 0 THEN "v1"::VARCHAR END AS v, count(*) AS n
  FROM "profile_values"
  GROUP BY GROUPING SETS (("v1"))
),
"profile_top" AS (
  SELECT k, list(v ORDER BY n DESC, v) AS vs, list(n::DOUBLE ORDER BY n DESC, v) AS ns
  FROM (SELECT k, v, n, row_number() OVER (PARTITION BY k ORDER BY n DESC, v) AS r FROM "profile_freq" WHERE v IS NOT NULL)
  WHERE r <= 5
  GROUP BY k
)
SELECT s.*,
  map_keys(b."c0_hist")::INTEGER[] AS "c0_bins",
  map_values(b."c0_hist")::DOUBLE[] AS "c0_counts",
  (SELECT vs FROM "profile_top" WHERE k = 1) AS "c1_top",
  (SELECT ns FROM "profile_top" WHERE k = 1) AS "c1_topn"
FROM "profile_stats" AS s, "profile_bins" AS b`);
	});

	it('reads the table in one place and runs three passes over it, never a statement per column', () => {
		const columns = Array.from({ length: 30 }, (_, i) => ({ name: `c${i}`, type: i % 3 === 0 ? 'VARCHAR' : i % 3 === 1 ? 'BIGINT' : 'DATE' }));
		const sql = profileQuery('wide', columns);
		expect(sql.match(/FROM "wide"/g)).toHaveLength(1);
		expect(sql.match(/FROM "profile_values"/g)).toHaveLength(3);
		expect(sql).not.toContain(';');
		expect(sql.match(/GROUPING SETS/g)).toHaveLength(1);
	});

	it('leaves out the passes a table does not need', () => {
		const numbers = profileQuery('t', [{ name: 'x', type: 'INTEGER' }]);
		expect(numbers).not.toContain('GROUPING SETS');
		const text = profileQuery('t', [{ name: 's', type: 'VARCHAR' }]);
		expect(text).not.toContain('histogram');
		expect(text).toMatch(/FROM "profile_stats" AS s$/);
	});

	it('classifies DuckDB types', () => {
		for (const t of ['BIGINT', 'DOUBLE', 'DECIMAL(18,3)', 'UTINYINT', 'HUGEINT', 'FLOAT']) expect(profileKind(t)).toBe('numeric');
		for (const t of ['DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE', 'TIMESTAMP_NS']) expect(profileKind(t)).toBe('temporal');
		expect(profileKind('BOOLEAN')).toBe('boolean');
		for (const t of ['VARCHAR', 'UUID', "ENUM('a', 'b')", 'TIME']) expect(profileKind(t)).toBe('text');
		for (const t of ['INTEGER[]', 'STRUCT(a INTEGER)', 'MAP(VARCHAR, INTEGER)']) expect(profileKind(t)).toBe('other');
	});
});

describe('profileQuery: results from a real DuckDB against values computed here', () => {
	it('matches counts, distinct counts, min/max/mean/sd/quantiles, histogram and top values', async () => {
		const random = lcg(7);
		const n = 20_000;
		const xs: Array<number | null> = [];
		const cats: Array<string | null> = [];
		const days: string[] = [];
		const flags: boolean[] = [];
		for (let i = 0; i < n; i++) {
			xs.push(random() < 0.1 ? null : Math.round(random() * 100000) / 100 - 300);
			const r = random();
			cats.push(r < 0.02 ? null : ['red', 'green', 'blue', 'cyan', 'magenta', 'yellow', 'black'][Math.floor(r * r * 7)]);
			days.push(new Date(Date.UTC(2024, 0, 1) + Math.floor(random() * 90) * 86_400_000).toISOString().slice(0, 10));
			flags.push(random() < 0.3);
		}
		await db.run('CREATE TABLE facts (id BIGINT, x DOUBLE, cat VARCHAR, day DATE, flag BOOLEAN, "odd ""name""" INTEGER)');
		const values = xs.map((x, i) => `(${i}, ${x ?? 'NULL'}, ${cats[i] ? `'${cats[i]}'` : 'NULL'}, DATE '${days[i]}', ${flags[i]}, ${i % 4})`);
		for (let i = 0; i < values.length; i += 5000) await db.run(`INSERT INTO facts VALUES ${values.slice(i, i + 5000).join(',')}`);

		const { profiles } = await profile('facts');
		expect(profiles.map((p) => [p.name, p.kind])).toEqual([
			['id', 'numeric'],
			['x', 'numeric'],
			['cat', 'text'],
			['day', 'temporal'],
			['flag', 'boolean'],
			['odd "name"', 'numeric']
		]);
		const [id, x, cat, day, flag, odd] = profiles;

		const present = xs.filter((v): v is number => v !== null);
		const sorted = [...present].sort((a, b) => a - b);
		const mean = present.reduce((a, b) => a + b, 0) / present.length;
		const sd = Math.sqrt(present.reduce((a, b) => a + (b - mean) ** 2, 0) / (present.length - 1));
		expect(x.rows).toBe(n);
		expect(x.missing).toBe(n - present.length);
		expect(x.missingShare).toBeCloseTo((n - present.length) / n, 12);
		expect(x.distinct).toBe(new Set(present).size);
		expect(Number(x.min)).toBe(sorted[0]);
		expect(Number(x.max)).toBe(sorted[sorted.length - 1]);
		expect(x.mean).toBeCloseTo(mean, 9);
		expect(x.stddev).toBeCloseTo(sd, 9);
		QUANTILES.forEach((p, i) => expect(x.quantiles![i]).toBeCloseTo(quantileCont(sorted, p), 9));
		const lo = sorted[0];
		const hi = sorted[sorted.length - 1];
		const bins = new Array(HISTOGRAM_BINS).fill(0);
		for (const v of present) bins[Math.min(HISTOGRAM_BINS - 1, Math.floor(((v - lo) / (hi - lo)) * HISTOGRAM_BINS))]++;
		expect(x.histogram).toEqual({ lo, hi, counts: bins });

		expect(id).toMatchObject({ missing: 0, distinct: n, min: '0', max: String(n - 1), mean: (n - 1) / 2 });
		expect(id.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(n);

		const counts = new Map<string, number>();
		for (const c of cats) if (c !== null) counts.set(c, (counts.get(c) ?? 0) + 1);
		const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
		expect(cat.top).toEqual(top.map(([value, count]) => ({ value, count })));
		expect(cat.missing).toBe(cats.filter((c) => c === null).length);
		expect(cat.distinct).toBe(counts.size);
		expect(cat.min).toBeUndefined();

		const sortedDays = [...days].sort();
		expect(day).toMatchObject({ missing: 0, distinct: new Set(days).size, min: sortedDays[0], max: sortedDays[n - 1] });
		expect(day.quantiles![2]).toBe(sortedDays[Math.floor((n - 1) * 0.5)]);
		expect(day.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(n);
		expect(day.histogram!.lo).toBe(Date.parse(`${sortedDays[0]}T00:00:00Z`) / 1000);

		const trues = flags.filter(Boolean).length;
		expect(flag.top).toEqual(
			[
				{ value: 'false', count: n - trues },
				{ value: 'true', count: trues }
			].sort((a, b) => b.count - a.count)
		);
		expect(odd).toMatchObject({ distinct: 4, min: '0', max: '3' });
	});

	it('handles empty tables, all-NULL and constant columns, NaN and infinity', async () => {
		await db.run('CREATE TABLE empty (x DOUBLE, s VARCHAR, d TIMESTAMP)');
		const { profiles: none } = await profile('empty');
		expect(none.map((p) => [p.rows, p.missing, p.missingShare, p.distinct])).toEqual([
			[0, 0, 0, 0],
			[0, 0, 0, 0],
			[0, 0, 0, 0]
		]);
		expect(none[0].histogram).toBeUndefined();
		expect(none[1].top).toEqual([]);

		await db.run(
			`CREATE TABLE edge AS SELECT NULL::DOUBLE AS nothing, 5 AS same, CASE WHEN i = 0 THEN 'nan'::DOUBLE WHEN i = 1 THEN 'inf'::DOUBLE ELSE i END AS wild, TIMESTAMP '2024-01-01 10:00:00' + INTERVAL (i) HOUR AS ts FROM range(10) t(i)`
		);
		const { profiles } = await profile('edge');
		const [nothing, same, wild, ts] = profiles;
		expect(nothing).toMatchObject({ rows: 10, missing: 10, missingShare: 1, distinct: 0 });
		expect(nothing.histogram).toBeUndefined();
		expect(same.histogram).toEqual({ lo: 5, hi: 5, counts: [10] });
		// Non-finite values count as values but stay out of the histogram's range.
		expect(wild.histogram!.lo).toBe(2);
		expect(wild.histogram!.hi).toBe(9);
		expect(wild.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(8);
		expect(wild.distinct).toBe(10);
		expect(wild.nonFinite).toBe(2);
		expect(wild.mean).toBe(5.5);
		expect(ts).toMatchObject({ min: '2024-01-01 10:00:00', max: '2024-01-01 19:00:00', distinct: 10 });
		expect(ts.histogram!.hi - ts.histogram!.lo).toBe(9 * 3600);
	});
});
