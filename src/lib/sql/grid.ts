/**
 * SQL for the virtualized table: windows of rows by rowid range (or LIMIT/OFFSET), per-column
 * filters written the way people type them, and sorts. A sorted or filtered view is materialized
 * once in the `driftbook_grid` schema so that scrolling stays a cheap rowid range scan.
 */
import { literal, quoteIdentifier } from './identifiers';
import { profileKind } from './profile';

export const GRID_SCHEMA = 'driftbook_grid';

export interface SortKey {
	column: string;
	descending: boolean;
}

export interface GridColumn {
	name: string;
	/** DuckDB type name. */
	type: string;
}

export interface GridView {
	sort: SortKey[];
	/** Column name → filter text as typed (empty means no filter). */
	filters: Record<string, string>;
}

const COMPARISON = /^(>=|<=|!=|<>|=|>|<)\s*(.+)$/;
const RANGE = /^(.+?)\s*\.\.\s*(.+)$/;

function unquote(text: string): string {
	const t = text.trim();
	return /^(['"]).*\1$/.test(t) ? t.slice(1, -1) : t;
}

/**
 * One column's filter as a SQL condition. Numbers and times: `> 5`, `<= 2024-03-01`, `5..10`,
 * `= 3` or a bare value; text: a substring (case-insensitive), `=exact` or `!=value`; every
 * kind: `null` and `!null`. Throws with a message for a value that is not of the column's type.
 */
export function filterCondition(column: GridColumn, text: string): string | undefined {
	const f = text.trim();
	if (f === '') return undefined;
	const col = quoteIdentifier(column.name);
	const lower = f.toLowerCase();
	if (lower === 'null' || lower === 'is null' || f === '∅') return `${col} IS NULL`;
	if (lower === '!null' || lower === 'not null' || lower === 'is not null') return `${col} IS NOT NULL`;
	const kind = profileKind(column.type);
	if (kind === 'numeric' || kind === 'temporal') {
		const value = (v: string) => {
			const raw = unquote(v);
			if (kind === 'numeric') {
				if (!Number.isFinite(Number(raw)) || raw === '') throw new Error(`${column.name}: "${raw}" is not a number`);
				return raw;
			}
			if (!/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(raw)) {
				throw new Error(`${column.name}: "${raw}" is not a date (YYYY-MM-DD[ HH:MM[:SS]])`);
			}
			return `${literal(raw)}::${column.type.toUpperCase().startsWith('DATE') ? 'DATE' : 'TIMESTAMP'}`;
		};
		const range = RANGE.exec(f);
		if (range) return `${col} BETWEEN ${value(range[1])} AND ${value(range[2])}`;
		const cmp = COMPARISON.exec(f);
		if (cmp) return `${col} ${cmp[1] === '!=' ? '<>' : cmp[1]} ${value(cmp[2])}`;
		return `${col} = ${value(f)}`;
	}
	if (kind === 'boolean') {
		const v = unquote(f.replace(/^=\s*/, '')).toLowerCase();
		if (v !== 'true' && v !== 'false') throw new Error(`${column.name}: write true or false`);
		return `${col} = ${v.toUpperCase()}`;
	}
	if (f.startsWith('!=')) return `${col}::VARCHAR <> ${literal(unquote(f.slice(2)))}`;
	if (f.startsWith('=')) return `${col}::VARCHAR = ${literal(unquote(f.slice(1)))}`;
	const escaped = f.replace(/[\\%_]/g, (c) => `\\${c}`);
	return `${col}::VARCHAR ILIKE ${literal(`%${escaped}%`)} ESCAPE '\\'`;
}

export function whereClause(columns: readonly GridColumn[], filters: Record<string, string>): string {
	const conditions = columns.map((c) => filterCondition(c, filters[c.name] ?? '')).filter((c): c is string => c !== undefined);
	return conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
}

export function orderClause(sort: readonly SortKey[]): string {
	if (sort.length === 0) return '';
	// rowid last: equal keys keep the table's order, so windows never overlap or skip rows.
	return `ORDER BY ${sort.map((s) => `${quoteIdentifier(s.column)} ${s.descending ? 'DESC' : 'ASC'} NULLS LAST`).join(', ')}, rowid`;
}

export function isPlain(view: GridView): boolean {
	return view.sort.length === 0 && Object.values(view.filters).every((f) => f.trim() === '');
}

/** The rows of the view, in view order (for a download or a materialized copy). */
export function viewQuery(table: string, columns: readonly GridColumn[], view: GridView): string {
	return [`SELECT * FROM ${quoteIdentifier(table)}`, whereClause(columns, view.filters), orderClause(view.sort)].filter(Boolean).join(' ');
}

/** A name for the materialized copy of a view. */
export function viewTable(id: string): string {
	return `${quoteIdentifier(GRID_SCHEMA)}.${quoteIdentifier(`view_${id}`)}`;
}

/**
 * From this many columns on, a sorted or filtered view is materialized as the order of the
 * table's rowids only, and windows join back to the table. Copying every column instead costs
 * more with width: sorting a 10,000-column × 100-row table took 16 s natively (one thread) as a
 * full copy and 46 ms as rowids, with windows of 64 columns as fast either way; for narrow tables
 * of millions of rows the full copy keeps each window a plain rowid range scan.
 */
export const ROWID_VIEW_FROM = 64;

/** The column of a rowid view that holds the table's rowid for each position of the view. */
export const VIEW_ROW = 'driftbook_row';

export function materializeQuery(target: string, table: string, columns: readonly GridColumn[], view: GridView, rowidsOnly = false): string {
	const select = rowidsOnly
		? [`SELECT rowid AS ${quoteIdentifier(VIEW_ROW)} FROM ${quoteIdentifier(table)}`, whereClause(columns, view.filters), orderClause(view.sort)]
				.filter(Boolean)
				.join(' ')
		: viewQuery(table, columns, view);
	return `CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(GRID_SCHEMA)};\nCREATE OR REPLACE TABLE ${target} AS ${select}`;
}

/** Whether rowids run 0…n-1 (true of any table made by CREATE TABLE AS and never deleted from). */
export function rowidCheckQuery(source: string): string {
	return `SELECT count(*)::DOUBLE AS n, coalesce(max(rowid) + 1, 0)::DOUBLE AS m FROM ${source}`;
}

/**
 * Rows [offset, offset + limit) of `source` (an already quoted table reference), or every row
 * when `limit` is undefined. With `order`, a rowid view (see materializeQuery): the rows are
 * those of `source` at the view's positions, joined back by rowid.
 */
export function windowQuery(source: string, offset: number, limit: number | undefined, byRowid: boolean, select = '*', order?: string): string {
	if (order !== undefined) {
		const range = limit === undefined ? '' : ` WHERE rowid >= ${offset} AND rowid < ${offset + limit}`;
		const positions = `(SELECT rowid AS "driftbook_pos", ${quoteIdentifier(VIEW_ROW)} FROM ${order}${range}) AS "driftbook_v"`;
		return `SELECT ${select} FROM ${positions} JOIN ${source} ON ${source}.rowid = "driftbook_v".${quoteIdentifier(VIEW_ROW)} ORDER BY "driftbook_v"."driftbook_pos"`;
	}
	if (limit === undefined) return `SELECT ${select} FROM ${source}${byRowid ? ' ORDER BY rowid' : ''}`;
	if (byRowid) return `SELECT ${select} FROM ${source} WHERE rowid >= ${offset} AND rowid < ${offset + limit} ORDER BY rowid`;
	return `SELECT ${select} FROM ${source} LIMIT ${limit} OFFSET ${offset}`;
}

/**
 * Columns [from, to) as DuckDB prints them (exact integers, decimals and times), named by their
 * index in the table (c<from>, …): a window over a 10,000-column table reads only what is shown.
 */
export function textSelect(columns: readonly GridColumn[], from = 0, to = columns.length): string {
	const parts: string[] = [];
	for (let i = Math.max(0, from); i < Math.min(columns.length, to); i++)
		parts.push(`${quoteIdentifier(columns[i].name)}::VARCHAR AS ${quoteIdentifier(`c${i}`)}`);
	return parts.join(', ') || '*';
}

const INT64 = /^(BIGINT|INT8|LONG)$/i;

/**
 * Columns for a Parquet download: BIGINT travels as text (the DuckDB-WASM client turns 64-bit
 * integers into doubles) and becomes Int64 again in the loader worker; the rest keep their types.
 */
export function parquetSelect(columns: readonly GridColumn[]): { select: string; int64: string[] } {
	const int64 = columns.filter((c) => INT64.test(c.type)).map((c) => c.name);
	const select = columns
		.map((c) => (int64.includes(c.name) ? `${quoteIdentifier(c.name)}::VARCHAR AS ${quoteIdentifier(c.name)}` : quoteIdentifier(c.name)))
		.join(', ');
	return { select: select || '*', int64 };
}

/** Tab-separated text for the clipboard (tabs and newlines inside values become spaces). */
export function tsvLine(values: readonly string[]): string {
	return values.map((v) => v.replace(/[\t\r\n]+/g, ' ')).join('\t');
}
