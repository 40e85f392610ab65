// Arrow vectors (DuckDB results, read as IPC) as the statistics library's columns.
import { DataType, type Data, type Table, type Vector } from 'apache-arrow';
import { columnFromValues, type Column } from './index';

const decoder = new TextDecoder();

/**
 * A UTF-8 column's strings without a TextDecoder call per value: an all-ASCII chunk is decoded
 * once and cut at the offsets (one byte, one character). False when the fast path does not apply.
 */
function utf8Values(data: Data, out: (string | null)[], at: number): boolean {
	const offsets = data.valueOffsets as Int32Array | undefined;
	const bytes = data.values as Uint8Array | undefined;
	if (data.offset !== 0 || !(offsets instanceof Int32Array) || !(bytes instanceof Uint8Array)) return false;
	const n = data.length;
	const first = offsets[0];
	const last = offsets[n];
	for (let i = first; i < last; i++) if (bytes[i] > 0x7f) return false;
	const text = decoder.decode(bytes.subarray(first, last));
	const nulls = data.nullCount > 0;
	for (let k = 0; k < n; k++) out[at + k] = nulls && !data.getValid(k) ? null : text.slice(offsets[k] - first, offsets[k + 1] - first);
	return true;
}

/**
 * An Arrow column as the statistics library's column: numbers become a Float64Array with NaN
 * for missing; UTF-8 text is cut without a per-value Arrow call; everything else goes through
 * the library's one value rule (columnFromValues).
 */
export function arrowColumn(vector: Vector): Column {
	const type = vector.type;
	if (DataType.isFloat(type) || DataType.isInt(type) || DataType.isDecimal(type)) {
		const values = new Float64Array(vector.length);
		let i = 0;
		for (const data of vector.data) {
			const raw = data.values as ArrayLike<number | bigint>;
			const n = data.length;
			if (data.nullCount === 0 && raw instanceof Float64Array && data.offset === 0) {
				values.set(raw.subarray(0, n), i);
				i += n;
				continue;
			}
			for (let k = 0; k < n; k++, i++) values[i] = data.getValid(k) ? Number(raw[k]) : Number.NaN;
		}
		return { type: 'number', values };
	}
	if (DataType.isUtf8(type)) {
		const out = new Array<string | null>(vector.length);
		let at = 0;
		let fast = true;
		for (const data of vector.data) {
			if (!(fast = utf8Values(data, out, at))) break;
			at += data.length;
		}
		// Strings as they are, nulls missing: what columnFromValues gives, one pass fewer.
		if (fast) return { type: 'string', values: out };
	}
	return columnFromValues(vector.toArray() as ArrayLike<unknown>);
}

/** A table's columns (all, or those in `names`) as the library's columns. */
export function arrowColumns(table: Table, names?: readonly string[]): Record<string, Column> {
	const columns: Record<string, Column> = {};
	for (const field of table.schema.fields) {
		if (names && !names.includes(field.name)) continue;
		columns[field.name] = arrowColumn(table.getChild(field.name)!);
	}
	return columns;
}
