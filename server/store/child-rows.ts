import type { Queryable } from './types';

/** A key column of the parents, with the SQL type its placeholders need when it is not text. */
export type KeyColumn = string | { column: string; type: string };

export type ParentKey = string | number | readonly (string | number)[];

const columnOf = (key: KeyColumn) => (typeof key === 'string' ? key : key.column);
const partsOf = (parent: ParentKey) => (Array.isArray(parent) ? parent : [parent]) as readonly (string | number)[];
// Rows give numbers where parents may give strings (or the reverse): compare as text.
const keyText = (parts: readonly unknown[]) => parts.map(String).join('\u0000');

/**
 * Loads child rows (params, tags, aliases, metrics, …) of many parents, one query per child
 * table: `load(from, select, orderBy)` selects the key columns and `select` from `from` (code,
 * not input) for every parent, in `orderBy` order, and answers `rowsOf(parent)`, a parent's
 * rows ([] when it has none). Await each load before the next: inside a transaction all
 * queries share one connection.
 */
export function childRowLoader(db: Queryable, keys: readonly KeyColumn[], parents: readonly ParentKey[]) {
	const columns = keys.map(columnOf);
	const values: unknown[] = [];
	const placeholder = (value: unknown, key: KeyColumn) => {
		values.push(value);
		return typeof key === 'string' ? `$${values.length}` : `$${values.length}::${key.type}`;
	};
	const tuples = parents.map((parent) => {
		const parts = partsOf(parent).map((value, i) => placeholder(value, keys[i]));
		return parts.length === 1 ? parts[0] : `(${parts.join(', ')})`;
	});
	const target = columns.length === 1 ? columns[0] : `(${columns.join(', ')})`;

	return async <Row extends Record<string, unknown>>(from: string, select: string, orderBy: string): Promise<(parent: ParentKey) => Row[]> => {
		const groups = new Map<string, Row[]>();
		if (parents.length > 0) {
			const rows = await db.query<Row>(
				`SELECT ${columns.join(', ')}, ${select} FROM ${from} WHERE ${target} IN (${tuples.join(', ')}) ORDER BY ${orderBy}`,
				values
			);
			for (const row of rows) {
				const key = keyText(columns.map((column) => row[column]));
				const group = groups.get(key);
				if (group) group.push(row);
				else groups.set(key, [row]);
			}
		}
		return (parent) => groups.get(keyText(partsOf(parent))) ?? [];
	};
}
