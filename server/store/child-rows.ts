import type { Queryable } from './types';

/** A key column of the parents, with the SQL type its placeholders need when it is not text. */
export type KeyColumn = string | { column: string; type: string };

export interface ChildQuery {
	/** The child table (code, not input). */
	from: string;
	/** The selected columns; they must include the key columns. */
	select: string;
	/** The column(s) naming the parent, e.g. `run_id` or `name` and `version`. */
	keys: readonly KeyColumn[];
	orderBy: string;
}

export type ParentKey = string | number | readonly (string | number)[];

const columnOf = (key: KeyColumn) => (typeof key === 'string' ? key : key.column);
const partsOf = (parent: ParentKey) => (Array.isArray(parent) ? parent : [parent]) as readonly (string | number)[];
// Rows give numbers where parents may give strings (or the reverse): compare as text.
const keyText = (parts: readonly unknown[]) => parts.map(String).join('\u0000');

/**
 * The child rows (params, tags, aliases, metrics, …) of many parents in one query, in `orderBy`
 * order, grouped by parent: `rowsOf(parent)` answers a parent's rows ([] when it has none).
 * Queries run one after another where they are used: inside a transaction all share one
 * connection.
 */
export async function loadChildRows<Row extends Record<string, unknown>>(
	db: Queryable,
	query: ChildQuery,
	parents: readonly ParentKey[]
): Promise<(parent: ParentKey) => Row[]> {
	const groups = new Map<string, Row[]>();
	if (parents.length > 0) {
		const values: unknown[] = [];
		const placeholder = (value: unknown, key: KeyColumn) => {
			values.push(value);
			return typeof key === 'string' ? `$${values.length}` : `$${values.length}::${key.type}`;
		};
		const tuples = parents.map((parent) => {
			const parts = partsOf(parent).map((value, i) => placeholder(value, query.keys[i]));
			return parts.length === 1 ? parts[0] : `(${parts.join(', ')})`;
		});
		const columns = query.keys.map(columnOf);
		const target = columns.length === 1 ? columns[0] : `(${columns.join(', ')})`;
		const rows = await db.query<Row>(`SELECT ${query.select} FROM ${query.from} WHERE ${target} IN (${tuples.join(', ')}) ORDER BY ${query.orderBy}`, values);
		for (const row of rows) {
			const key = keyText(columns.map((column) => row[column]));
			const group = groups.get(key);
			if (group) group.push(row);
			else groups.set(key, [row]);
		}
	}
	return (parent) => groups.get(keyText(partsOf(parent))) ?? [];
}
