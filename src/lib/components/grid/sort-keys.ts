/** Sorting by column headers: which keys a click leaves, and the mark a header shows. */
import type { SortKey } from '#lib/sql/grid.ts';

/** Click: ascending → descending → unsorted. Shift+click (`add`) adds or cycles a further key. */
export function nextSort(sort: readonly SortKey[], column: string, add: boolean): SortKey[] {
	const current = sort.find((s) => s.column === column);
	if (add) {
		if (!current) return [...sort, { column, descending: false }];
		if (!current.descending) return sort.map((s) => (s.column === column ? { column, descending: true } : s));
		return sort.filter((s) => s.column !== column);
	}
	if (!current || sort.length > 1) return [{ column, descending: false }];
	if (!current.descending) return [{ column, descending: true }];
	return [];
}

/** ▲ or ▼, numbered when several keys sort; empty for a column that does not. */
export function sortMark(sort: readonly SortKey[], column: string): string {
	const i = sort.findIndex((s) => s.column === column);
	if (i < 0) return '';
	return `${sort[i].descending ? '▼' : '▲'}${sort.length > 1 ? i + 1 : ''}`;
}
