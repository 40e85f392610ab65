import { DataType, type Table } from 'apache-arrow';

/**
 * The model input tensor: the named columns of `table`, row-major float32. A missing value is
 * an error naming the column and row: a model silently fed NaN returns plausible garbage.
 */
export function featureMatrix(table: Table, columns: readonly string[]): Float32Array {
	const rows = table.numRows;
	const width = columns.length;
	const out = new Float32Array(rows * width);
	columns.forEach((name, c) => {
		const vector = table.getChild(name);
		if (!vector) throw new Error(`feature column "${name}" is not in the input table`);
		let row = 0;
		for (const data of vector.data) {
			const values = data.values as ArrayLike<number | bigint | boolean>;
			const isBool = DataType.isBool(data.type);
			for (let k = 0; k < data.length; k++, row++) {
				if (!data.getValid(k)) throw new Error(`feature column "${name}" is missing at row ${row + 1}`);
				const v = isBool ? (vector.get(row) ? 1 : 0) : Number(values[k]);
				if (!Number.isFinite(v)) throw new Error(`feature column "${name}" is not a finite number at row ${row + 1}`);
				out[row * width + c] = v;
			}
		}
	});
	return out;
}
