import { DataType } from 'apache-arrow';
import type { CellRunner } from '#lib/cells/core/types.ts';
import { Fields } from '#lib/cells/core/fields.ts';
import { quoteIdentifier } from '#lib/sql/identifiers.ts';
import { CHART_MARKS, type ChartSpec } from './plot.ts';

export interface ChartValue {
	spec: ChartSpec;
	rows: Record<string, unknown>[];
}

/** Charts read their columns from a table; more rows than this are an error, not a frozen tab. */
const MAX_POINTS = 200_000;

export const chartCell: CellRunner = {
	kind: 'chart',
	inputs: (cell) => new Fields(cell).referenced(['data']),
	async run(cell, _inputs, services, { signal }): Promise<ChartValue> {
		const fields = new Fields(cell);
		const spec: ChartSpec = {
			data: fields.required('data'),
			mark: fields.oneOf('mark', CHART_MARKS, 'line'),
			x: fields.required('x'),
			y: fields.required('y'),
			color: fields.optional('color'),
			title: fields.optional('title') ?? cell.name,
			xLabel: fields.optional('x_label'),
			yLabel: fields.optional('y_label')
		};
		const columns = [spec.x, spec.y, spec.color].filter((c): c is string => c !== undefined);
		const db = await services.db();
		const sql = `SELECT ${columns.map(quoteIdentifier).join(', ')} FROM ${quoteIdentifier(spec.data)} LIMIT ${MAX_POINTS + 1}`;
		const table = await db.query(sql, signal);
		if (table.numRows > MAX_POINTS) throw new Error(`cell ${cell.name}: ${spec.data} has more than ${MAX_POINTS} rows; aggregate it in SQL first`);
		// Plot draws a time axis only for Date objects; Arrow gives epoch milliseconds.
		const temporal = table.schema.fields.filter((f) => DataType.isTimestamp(f.type) || DataType.isDate(f.type)).map((f) => f.name);
		const rows = table.toArray().map((row) => {
			const record = row.toJSON() as Record<string, unknown>;
			for (const name of temporal) if (record[name] != null) record[name] = new Date(Number(record[name]));
			return record;
		});
		return { spec, rows };
	}
};
