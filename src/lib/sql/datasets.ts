/** The dataset panel's SQL: the tables in DuckDB, their approximate size, and naming new ones. */
import { quoteIdentifier } from './identifiers';
import { DISK_CATALOG_PREFIX, DISK_SCHEMA, type Placement } from './storage';

/**
 * Tables in memory (main), and disk tables (each in its own OPFS database file, read through a
 * view in main under the same name), with where each lives and its file.
 */
export const TABLES_QUERY = `SELECT t.table_name AS name, t.estimated_size::DOUBLE AS rows, t.column_count::DOUBLE AS columns,
  coalesce(v.comment, t.comment) AS comment,
  CASE WHEN t.database_name = current_database() THEN 'memory' ELSE 'disk' END AS storage,
  CASE WHEN t.database_name = current_database() THEN NULL ELSE d.path END AS path,
  CASE WHEN t.database_name = current_database() THEN NULL ELSE t.database_name END AS catalog,
  CASE WHEN t.database_name = current_database() THEN NULL ELSE (s.used_blocks * s.block_size)::DOUBLE END AS disk_bytes
FROM duckdb_tables() t
LEFT JOIN duckdb_views() v ON v.database_name = current_database() AND v.schema_name = 'main' AND v.view_name = t.table_name
LEFT JOIN duckdb_databases() d ON d.database_name = t.database_name
LEFT JOIN pragma_database_size() s ON s.database_name = t.database_name
WHERE NOT t.temporary AND NOT starts_with(t.table_name, '__load_') AND (
  (t.database_name = current_database() AND t.schema_name = 'main')
  OR (starts_with(t.database_name, '${DISK_CATALOG_PREFIX}') AND t.schema_name = '${DISK_SCHEMA}' AND v.view_name IS NOT NULL))
ORDER BY t.table_name`;

export const COLUMNS_QUERY = `SELECT table_name, column_name, data_type
FROM information_schema.columns
WHERE table_catalog = current_database() AND table_schema = 'main' AND NOT starts_with(table_name, '__load_')
ORDER BY table_name, ordinal_position`;

export interface TableInfo {
	name: string;
	rows: number;
	columns: number;
	comment: string | null;
	storage: Placement;
	/** The disk table's database file (`opfs://…`). */
	path: string | null;
	/** The disk table's attached database, and the bytes its file uses. */
	catalog: string | null;
	disk_bytes: number | null;
}

const WIDTHS: Array<[RegExp, number]> = [
	[/^(BOOLEAN|TINYINT|UTINYINT)$/, 1],
	[/^(SMALLINT|USMALLINT)$/, 2],
	[/^(INTEGER|UINTEGER|FLOAT|REAL|DATE|TIME)$/, 4],
	[/^(BIGINT|UBIGINT|DOUBLE|TIMESTAMP.*|TIME WITH TIME ZONE)$/, 8],
	[/^(HUGEINT|UHUGEINT|UUID|INTERVAL)$/, 16]
];

/** Bytes per value of a fixed-width type; undefined for strings and nested types. */
export function fixedWidth(type: string): number | undefined {
	const t = type.toUpperCase();
	const decimal = /^DECIMAL\((\d+)/.exec(t);
	if (decimal) return Number(decimal[1]) <= 4 ? 2 : Number(decimal[1]) <= 9 ? 4 : Number(decimal[1]) <= 18 ? 8 : 16;
	return WIDTHS.find(([re]) => re.test(t))?.[1];
}

/** Average string length over the first rows of each variable-width column (one query per table). */
export function stringLengthQuery(table: string, columns: readonly string[], sample = 2048): string {
	const select = columns.map((c, i) => `coalesce(avg(strlen(${quoteIdentifier(c)}::VARCHAR)), 0)::DOUBLE AS "l${i}"`).join(', ');
	return `SELECT ${select} FROM (SELECT * FROM ${quoteIdentifier(table)} LIMIT ${sample})`;
}

/**
 * Approximate in-memory size: fixed widths times rows, plus, for strings, DuckDB's 16-byte
 * string header and the characters beyond the 12 it inlines.
 */
export function estimateSize(rows: number, types: readonly string[], averageLengths: readonly number[]): number {
	let perRow = 0;
	let s = 0;
	for (const type of types) {
		const width = fixedWidth(type);
		if (width !== undefined) perRow += width;
		else {
			const length = averageLengths[s++] ?? 16;
			perRow += 16 + (length > 12 ? length : 0);
		}
		perRow += 1 / 8;
	}
	return rows * perRow;
}

/** A cell name from a file name: `Sales 2024.csv` → `sales_2024`, unique among `taken`. */
export function datasetName(fileName: string, taken: ReadonlySet<string>): string {
	const stem = (fileName.split(/[?#]/)[0].split('/').pop() ?? 'data').replace(/\.[^.]*$/, '').replace(/\.(csv|tsv|json)$/i, '');
	let base = stem
		.toLowerCase()
		.replace(/[^a-z0-9_]+/g, '_')
		.replace(/^_+|_+$/g, '');
	if (!base) base = 'data';
	if (/^\d/.test(base)) base = `d_${base}`;
	if (!taken.has(base)) return base;
	for (let n = 2; ; n++) if (!taken.has(`${base}_${n}`)) return `${base}_${n}`;
}
