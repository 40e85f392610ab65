/**
 * Column profiles computed inside DuckDB with one statement per table: counts, distinct counts,
 * min/max/mean/quantiles and an equal-width histogram for numbers and times, top values for
 * everything else. The statement scans the table three times (aggregates, histogram bins that
 * need the min and max, and one GROUPING SETS pass for value frequencies) and returns one row.
 */
import { literal, quoteIdentifier } from './identifiers';

export type ProfileKind = 'numeric' | 'temporal' | 'boolean' | 'text' | 'other';

export interface ProfileColumn {
	name: string;
	/** The DuckDB type name, as `DESCRIBE` prints it. */
	type: string;
}

export interface ColumnProfile {
	name: string;
	type: string;
	kind: ProfileKind;
	rows: number;
	/** Values that are NULL. */
	missing: number;
	missingShare: number;
	/** Distinct non-NULL values. */
	distinct: number;
	/** As DuckDB prints them (exact for integers, decimals, dates). */
	min?: string;
	max?: string;
	/** Mean, standard deviation and quantiles are over finite values; NaN and ±infinity are counted here. */
	nonFinite?: number;
	mean?: number;
	stddev?: number;
	/** `QUANTILES[i]` → value (numbers for numeric columns, text for times). */
	quantiles?: Array<number | string | null>;
	/** Equal-width bins over [lo, hi] (seconds since the epoch for times). */
	histogram?: { lo: number; hi: number; counts: number[] };
	/** The most frequent values, most frequent first (ties by value). */
	top?: Array<{ value: string; count: number }>;
}

export const HISTOGRAM_BINS = 20;
/**
 * Columns per profile statement. A table up to this wide is profiled in one query; a wider one
 * (thousands of columns) in batches of this many, each one query, run for the columns in view:
 * one statement over 10,000 columns would take minutes to bind and plan and freeze the tab.
 */
export const PROFILE_BATCH = 100;
export const TOP_VALUES = 5;
export const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

const NUMERIC =
	/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|INT\d*|DECIMAL(\(.*\))?|NUMERIC(\(.*\))?)$/;
const TEMPORAL = /^(DATE|TIMESTAMP(_S|_MS|_NS)?|TIMESTAMP WITH TIME ZONE|TIMESTAMPTZ|DATETIME)$/;

export function profileKind(type: string): ProfileKind {
	const t = type.toUpperCase().trim();
	if (NUMERIC.test(t)) return 'numeric';
	if (TEMPORAL.test(t)) return 'temporal';
	if (t === 'BOOLEAN' || t === 'BOOL') return 'boolean';
	if (t === 'VARCHAR' || t === 'TEXT' || t === 'STRING' || t === 'UUID' || t.startsWith('ENUM') || t === 'TIME' || t === 'INTERVAL' || t === 'BLOB')
		return 'text';
	return 'other';
}

const alias = (i: number, stat: string) => quoteIdentifier(`c${i}_${stat}`);

/**
 * The one profile statement for `table`. Columns are named `c<i>_<stat>` in the result. A first,
 * inlined CTE gives each column a short name and, for numbers and times, its finite value as a
 * DOUBLE (times as epoch seconds): aggregating those plain expressions is several times faster
 * in DuckDB than repeating `FILTER (WHERE isfinite(…))` on every aggregate.
 */
export function profileQuery(table: string, columns: readonly ProfileColumn[]): string {
	const quantiles = `[${QUANTILES.join(', ')}]`;
	const values: string[] = [];
	const stats: string[] = ['count(*) AS "n"'];
	const bins: string[] = [];
	const frequencies: number[] = [];
	columns.forEach((c, i) => {
		const col = quoteIdentifier(c.name);
		const kind = profileKind(c.type);
		const v = quoteIdentifier(`v${i}`);
		const f = quoteIdentifier(`f${i}`);
		values.push(`${col} AS ${v}`);
		stats.push(`count(${v}) AS ${alias(i, 'count')}`, `count(DISTINCT ${v}) AS ${alias(i, 'distinct')}`);
		if (kind === 'numeric' || kind === 'temporal') {
			const x = kind === 'numeric' ? `${col}::DOUBLE` : `epoch(${col})::DOUBLE`;
			values.push(`CASE WHEN isfinite(${x}) THEN ${x} END AS ${f}`);
			stats.push(
				`min(${v})::VARCHAR AS ${alias(i, 'min')}`,
				`max(${v})::VARCHAR AS ${alias(i, 'max')}`,
				`min(${f}) AS ${alias(i, 'lo')}`,
				`max(${f}) AS ${alias(i, 'hi')}`
			);
			if (kind === 'numeric') {
				stats.push(
					`count(${v}) - count(${f}) AS ${alias(i, 'nonfinite')}`,
					`avg(${f}) AS ${alias(i, 'mean')}`,
					`stddev_samp(${f}) AS ${alias(i, 'sd')}`,
					`quantile_cont(${f}, ${quantiles}) AS ${alias(i, 'q')}`
				);
			} else {
				stats.push(`quantile_disc(${v}, ${quantiles})::VARCHAR[] AS ${alias(i, 'q')}`);
			}
			bins.push(binExpression(i));
		} else {
			frequencies.push(i);
		}
	});
	const ctes = [
		`"profile_values" AS NOT MATERIALIZED (\n  SELECT ${values.join(',\n    ')}\n  FROM ${quoteIdentifier(table)}\n)`,
		`"profile_stats" AS (\n  SELECT ${stats.join(',\n    ')}\n  FROM "profile_values"\n)`
	];
	const select = ['s.*'];
	if (bins.length > 0) {
		ctes.push(`"profile_bins" AS (\n  SELECT ${bins.join(',\n    ')}\n  FROM "profile_values" AS t, "profile_stats" AS s\n)`);
		columns.forEach((c, i) => {
			const kind = profileKind(c.type);
			if (kind !== 'numeric' && kind !== 'temporal') return;
			// Lists of 64-bit integers arrive garbled through DuckDB-WASM's BIGINT→DOUBLE cast: cast them here.
			select.push(`map_keys(b.${alias(i, 'hist')})::INTEGER[] AS ${alias(i, 'bins')}`, `map_values(b.${alias(i, 'hist')})::DOUBLE[] AS ${alias(i, 'counts')}`);
		});
	}
	if (frequencies.length > 0) {
		const v = (i: number) => quoteIdentifier(`v${i}`);
		const which = frequencies.map((i) => `WHEN grouping(${v(i)}) = 0 THEN ${i}`).join(' ');
		const value = frequencies.map((i) => `WHEN grouping(${v(i)}) = 0 THEN ${v(i)}::VARCHAR`).join(' ');
		const sets = frequencies.map((i) => `(${v(i)})`).join(', ');
		ctes.push(
			`"profile_freq" AS (\n  SELECT CASE ${which} END AS k, CASE ${value} END AS v, count(*) AS n\n  FROM "profile_values"\n  GROUP BY GROUPING SETS (${sets})\n)`,
			`"profile_top" AS (\n  SELECT k, list(v ORDER BY n DESC, v) AS vs, list(n::DOUBLE ORDER BY n DESC, v) AS ns\n  FROM (SELECT k, v, n, row_number() OVER (PARTITION BY k ORDER BY n DESC, v) AS r FROM "profile_freq" WHERE v IS NOT NULL)\n  WHERE r <= ${TOP_VALUES}\n  GROUP BY k\n)`
		);
		for (const i of frequencies) {
			select.push(
				`(SELECT vs FROM "profile_top" WHERE k = ${i}) AS ${alias(i, 'top')}`,
				`(SELECT ns FROM "profile_top" WHERE k = ${i}) AS ${alias(i, 'topn')}`
			);
		}
	}
	const from = bins.length > 0 ? `"profile_stats" AS s, "profile_bins" AS b` : `"profile_stats" AS s`;
	return `WITH ${ctes.join(',\n')}\nSELECT ${select.join(',\n  ')}\nFROM ${from}`;
}

/** Bin index 0…BINS-1 of a finite value between the column's finite min and max; NULL otherwise. */
function binExpression(i: number): string {
	const f = `t.${quoteIdentifier(`f${i}`)}`;
	const lo = `s.${alias(i, 'lo')}`;
	const hi = `s.${alias(i, 'hi')}`;
	const last = HISTOGRAM_BINS - 1;
	return `histogram(CASE WHEN ${f} IS NULL THEN NULL WHEN ${hi} > ${lo} THEN least(floor((${f} - ${lo}) / (${hi} - ${lo}) * ${HISTOGRAM_BINS}), ${last})::INTEGER ELSE 0 END) AS ${alias(i, 'hist')}`;
}

/** The statement that lists a table's columns with their DuckDB types. */
export function describeQuery(table: string): string {
	return `SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ${literal(table)} ORDER BY ordinal_position`;
}

function toList(value: unknown): unknown[] | null {
	if (value === null || value === undefined) return null;
	if (Array.isArray(value)) return value;
	if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<unknown>);
	const v = value as { toArray?: () => ArrayLike<unknown>; items?: unknown[] };
	if (typeof v.toArray === 'function') return Array.from(v.toArray());
	if (Array.isArray(v.items)) return v.items;
	throw new Error(`expected a list, got ${String(value)}`);
}

function toNumber(value: unknown): number | null {
	if (value === null || value === undefined) return null;
	if (typeof value === 'number') return value;
	if (typeof value === 'bigint') return Number(value);
	const n = Number(value);
	return Number.isNaN(n) && String(value) !== 'NaN' ? null : n;
}

function toText(value: unknown): string | undefined {
	return value === null || value === undefined ? undefined : String(value);
}

/** Reads the one result row (plain values, Arrow vectors or node-api lists) back into profiles. */
export function readProfile(row: Record<string, unknown>, columns: readonly ProfileColumn[]): ColumnProfile[] {
	const rows = toNumber(row.n) ?? 0;
	return columns.map((c, i) => {
		const get = (stat: string) => row[`c${i}_${stat}`];
		const kind = profileKind(c.type);
		const count = toNumber(get('count')) ?? 0;
		const profile: ColumnProfile = {
			name: c.name,
			type: c.type,
			kind,
			rows,
			missing: rows - count,
			missingShare: rows === 0 ? 0 : (rows - count) / rows,
			distinct: toNumber(get('distinct')) ?? 0
		};
		if (kind === 'numeric' || kind === 'temporal') {
			profile.min = toText(get('min'));
			profile.max = toText(get('max'));
			const q = toList(get('q'));
			if (q) profile.quantiles = q.map((v) => (kind === 'numeric' ? toNumber(v) : (toText(v) ?? null)));
			if (kind === 'numeric') {
				profile.nonFinite = toNumber(get('nonfinite')) ?? 0;
				profile.mean = toNumber(get('mean')) ?? undefined;
				profile.stddev = toNumber(get('sd')) ?? undefined;
			}
			const lo = toNumber(get('lo'));
			const hi = toNumber(get('hi'));
			const bins = toList(get('bins'));
			const counts = toList(get('counts'));
			if (lo !== null && hi !== null && bins && counts) {
				const histogram = new Array<number>(hi > lo ? HISTOGRAM_BINS : 1).fill(0);
				bins.forEach((b, k) => (histogram[toNumber(b) ?? 0] += toNumber(counts[k]) ?? 0));
				profile.histogram = { lo, hi, counts: histogram };
			}
		} else {
			const values = toList(get('top')) ?? [];
			const counts = toList(get('topn')) ?? [];
			profile.top = values.map((v, k) => ({ value: String(v), count: toNumber(counts[k]) ?? 0 }));
		}
		return profile;
	});
}
