// Arrow vectors (DuckDB results, read as IPC) as the statistics library's columns.
import { DataType, type Data, type Table, type Vector } from 'apache-arrow';
import { columnFromValues, type Column } from './index';

const decoder = new TextDecoder();

/**
 * The distinct strings of a text column, so that every row of one value holds the same string:
 * a few strings instead of one per row (memory, garbage), and the counting Maps of the drift
 * tests hash each string once instead of once per row. Open addressing on a hash of the bytes;
 * past MAX_DISTINCT values (a column of free text or ids) it stops collecting and `find` says so.
 */
class Interner {
	static readonly MAX_DISTINCT = 4096;
	private readonly slots = new Int32Array(2 * Interner.MAX_DISTINCT).fill(-1);
	readonly strings: string[] = [];
	full = false;

	/** The string held for bytes[start, end) (ASCII, `text` decoded from `bytes` at `first`), adding it; undefined once full. */
	find(bytes: Uint8Array, start: number, end: number, text: string, first: number): string | undefined {
		const length = end - start;
		let h = length;
		for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
		const mask = this.slots.length - 1;
		for (let slot = (h ^ (h >>> 15)) & mask; ; slot = (slot + 1) & mask) {
			const k = this.slots[slot];
			if (k < 0) {
				if (this.strings.length === Interner.MAX_DISTINCT) {
					this.full = true;
					return undefined;
				}
				const s = text.slice(start - first, end - first);
				this.slots[slot] = this.strings.length;
				this.strings.push(s);
				return s;
			}
			const s = this.strings[k];
			if (s.length !== length) continue;
			let i = 0;
			while (i < length && s.charCodeAt(i) === bytes[start + i]) i++;
			if (i === length) return s;
		}
	}
}

/**
 * A UTF-8 column's strings without a TextDecoder call per value: an all-ASCII chunk is decoded
 * once and cut at the offsets (one byte, one character), each distinct value once while the
 * interner holds them. False when the fast path does not apply.
 */
function utf8Values(data: Data, out: (string | null)[], at: number, interner: Interner): boolean {
	const offsets = data.valueOffsets as Int32Array | undefined;
	const bytes = data.values as Uint8Array | undefined;
	if (data.offset !== 0 || !(offsets instanceof Int32Array) || !(bytes instanceof Uint8Array)) return false;
	const n = data.length;
	const first = offsets[0];
	const last = offsets[n];
	for (let i = first; i < last; i++) if (bytes[i] > 0x7f) return false;
	const text = decoder.decode(bytes.subarray(first, last));
	const nulls = data.nullCount > 0;
	for (let k = 0; k < n; k++) {
		if (nulls && !data.getValid(k)) {
			out[at + k] = null;
			continue;
		}
		const start = offsets[k];
		const end = offsets[k + 1];
		out[at + k] = (interner.full ? undefined : interner.find(bytes, start, end, text, first)) ?? text.slice(start - first, end - first);
	}
	return true;
}

/**
 * Room for `length` numbers in a SharedArrayBuffer where there is one (Node; a cross-origin
 * isolated page's workers): a drift report's second thread then reads the column where it is
 * instead of getting a copy of it (drift-split.ts).
 */
function shareableFloat64(length: number): Float64Array {
	return typeof SharedArrayBuffer === 'function' ? new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT)) : new Float64Array(length);
}

/**
 * An Arrow column as the statistics library's column: numbers become a Float64Array (shared
 * memory where there is some) with NaN for missing; UTF-8 text is cut without a per-value Arrow
 * call; everything else goes through the library's one value rule (columnFromValues).
 */
export function arrowColumn(vector: Vector): Column {
	const type = vector.type;
	if (DataType.isFloat(type) || DataType.isInt(type) || DataType.isDecimal(type)) {
		const values = shareableFloat64(vector.length);
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
		const interner = new Interner();
		for (const data of vector.data) {
			if (!(fast = utf8Values(data, out, at, interner))) break;
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
