import { DataType, type Table, type Vector } from 'apache-arrow';
import { columnFromValues, type Column } from '$lib/stats';

/**
 * Arrow columns as the statistics library's columns: numbers become a Float64Array with NaN
 * for missing, everything else goes through the library's one value rule.
 */
export function arrowColumn(vector: Vector): Column {
	const type = vector.type;
	if (DataType.isFloat(type) || DataType.isInt(type) || DataType.isDecimal(type)) {
		const values = new Float64Array(vector.length);
		let i = 0;
		for (const data of vector.data) {
			const raw = data.values as ArrayLike<number | bigint>;
			for (let k = 0; k < data.length; k++, i++) {
				values[i] = data.getValid(k) ? Number(raw[k]) : Number.NaN;
			}
		}
		return { type: 'number', values };
	}
	return columnFromValues(vector.toArray() as ArrayLike<unknown>);
}

export function arrowColumns(table: Table, names?: readonly string[]): Record<string, Column> {
	const columns: Record<string, Column> = {};
	for (const field of table.schema.fields) {
		if (names && !names.includes(field.name)) continue;
		columns[field.name] = arrowColumn(table.getChild(field.name)!);
	}
	return columns;
}
