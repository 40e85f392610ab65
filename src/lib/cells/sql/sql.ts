import type { CellRunner } from '#lib/cells/core/types.ts';
import { interpolate, referencedNames } from '#lib/sql/identifiers.ts';
import { createTableAs, describeTable } from '#lib/sql/tables.ts';

/** A SQL cell materializes its result as a DuckDB table named after the cell. */
export const sqlCell: CellRunner = {
	kind: 'sql',
	inputs: (cell, cellNames) => referencedNames(cell.source, cellNames).filter((name) => name !== cell.name),
	async run(cell, inputs, services, { signal }) {
		if (cell.source.trim() === '') throw new Error(`cell ${cell.name}: the query is empty`);
		const db = await services.db();
		await db.query(createTableAs(cell.name, interpolate(cell.source, inputs)), signal);
		return describeTable(db, cell.name, signal);
	}
};
