import type { CellRunner } from '#lib/cells/core/types.ts';
import { interpolate, referencedNames } from '#lib/sql/identifiers.ts';
import { createTableAs, describeTable, userQueryError } from '#lib/sql/tables.ts';

/** A SQL cell materializes its result as a DuckDB table named after the cell. */
export const sqlCell: CellRunner = {
	kind: 'sql',
	inputs: (cell, cellNames) => referencedNames(cell.source, cellNames).filter((name) => name !== cell.name),
	async run(cell, inputs, services, { signal }) {
		if (cell.source.trim() === '') throw new Error(`cell ${cell.name}: the query is empty`);
		const db = await services.db();
		const sql = interpolate(cell.source, inputs);
		try {
			await db.query(createTableAs(cell.name, sql), signal);
		} catch (error) {
			if (!(error instanceof Error)) throw error;
			throw Object.assign(new Error(userQueryError(error.message, sql)), { name: error.name });
		}
		return describeTable(db, cell.name, signal);
	}
};
