import { DataType, Vector, type Data } from 'apache-arrow';

/**
 * A model's input tensor, defined in the model cell rather than hidden in code: each entry of
 * the cell's `columns` field is one tensor column, in order.
 *
 * - `tenure_months`: the column as a number (a boolean is 0/1);
 * - `plan=premium`: a one-hot indicator, 1 where the column's text equals `premium`, else 0;
 * - the `standardize` field (`tenure_months mean=21.9 sd=19.6, …`) rescales numeric features
 *   to (x − mean) / sd, computed in float64 and stored as float32.
 *
 * One module for the cell, the benchmark and the tests, so all three build the same tensor.
 */
export type Feature =
	{ label: string; column: string; kind: 'number'; mean?: number; sd?: number } | { label: string; column: string; kind: 'one-hot'; value: string };

/** What a record batch or table offers: row count and columns by name. */
export interface ColumnSource {
	readonly numRows: number;
	getChild(name: string): Vector | null;
}

export interface Standardization {
	mean: number;
	sd: number;
}

/** Parses `col mean=1.5 sd=2, other mean=0 sd=1`; `where` names the cell and field for errors. */
export function parseStandardize(text: string | undefined, where: string): Map<string, Standardization> {
	const out = new Map<string, Standardization>();
	if (!text) return out;
	for (const part of text
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean)) {
		const m = /^(\S+)\s+mean\s*=\s*(\S+)\s+sd\s*=\s*(\S+)$/.exec(part);
		if (!m) throw new Error(`${where}: expected "column mean=<number> sd=<number>", got "${part}"`);
		const [, column, meanText, sdText] = m;
		const mean = Number(meanText);
		const sd = Number(sdText);
		if (!Number.isFinite(mean)) throw new Error(`${where}: mean of ${column} "${meanText}" is not a number`);
		if (!Number.isFinite(sd) || sd <= 0) throw new Error(`${where}: sd of ${column} "${sdText}" must be a positive number`);
		if (out.has(column)) throw new Error(`${where}: ${column} is standardized twice`);
		out.set(column, { mean, sd });
	}
	return out;
}

/** The tensor's columns from the cell's `columns` list and standardization. */
export function parseFeatures(columns: readonly string[], standardize: Map<string, Standardization>, where: string): Feature[] {
	const features = columns.map((entry): Feature => {
		const eq = entry.indexOf('=');
		if (eq < 0) return { label: entry, column: entry, kind: 'number', ...standardize.get(entry) };
		const column = entry.slice(0, eq).trim();
		const value = entry.slice(eq + 1).trim();
		if (!column || !value) throw new Error(`${where}: "${entry}" should be column=value (a one-hot indicator)`);
		return { label: `${column}=${value}`, column, kind: 'one-hot', value };
	});
	for (const column of standardize.keys()) {
		if (!features.some((f) => f.kind === 'number' && f.column === column)) {
			throw new Error(`${where}: standardize names ${column}, which is not a numeric feature in columns`);
		}
	}
	return features;
}

/** The input columns a feature list reads (each once). */
export function sourceColumns(features: readonly Feature[]): string[] {
	return [...new Set(features.map((f) => f.column))];
}

/**
 * Whether row `k` of one chunk equals `value` as text. Utf8 compares the stored bytes (no string
 * is decoded per row: decoding made the one-hot columns most of the cell's tensor time); other
 * types go through the chunk's own vector.
 */
function oneHotMatcher(data: Data, value: string, target: Uint8Array): (k: number) => boolean {
	if (DataType.isUtf8(data.type)) {
		const offsets = data.valueOffsets as Int32Array;
		const bytes = data.values as Uint8Array;
		return (k) => {
			const start = offsets[k];
			if (offsets[k + 1] - start !== target.length) return false;
			for (let i = 0; i < target.length; i++) if (bytes[start + i] !== target[i]) return false;
			return true;
		};
	}
	const chunk = new Vector([data]);
	return (k) => String(chunk.get(k)) === value;
}

/**
 * Whether `data.getValid(k)` can be false for some row: a union asks its children, any other
 * type only when it counts nulls. Asked once per chunk, not once per value (Arrow works out
 * `nullable` on every getValid call).
 */
function mayHoldNulls(data: Data): boolean {
	return DataType.isUnion(data.type) || data.nullCount > 0;
}

/**
 * Fills the row-major float32 tensor `rows × features` of `source` (rows `firstRow`… of the
 * whole input, for messages). A missing value is an error naming the column and row: a model
 * silently fed NaN returns plausible garbage.
 */
export function buildTensor(source: ColumnSource, features: readonly Feature[], firstRow = 0): Float32Array {
	const rows = source.numRows;
	const width = features.length;
	const out = new Float32Array(rows * width);
	features.forEach((feature, c) => {
		const vector = source.getChild(feature.column);
		if (!vector) throw new Error(`column "${feature.column}" is not in the input table`);
		let row = 0;
		const missing = () => new Error(`column "${feature.column}" is missing (NULL) at row ${firstRow + row + 1}`);
		if (feature.kind === 'one-hot') {
			const target = new TextEncoder().encode(feature.value);
			for (const data of vector.data) {
				const matches = oneHotMatcher(data, feature.value, target);
				const checkValid = mayHoldNulls(data);
				for (let k = 0; k < data.length; k++, row++) {
					if (checkValid && !data.getValid(k)) throw missing();
					out[row * width + c] = matches(k) ? 1 : 0;
				}
			}
			return;
		}
		const mean = feature.mean ?? 0;
		const sd = feature.sd ?? 1;
		for (const data of vector.data) {
			const isBool = DataType.isBool(data.type);
			if (!isBool && !DataType.isInt(data.type) && !DataType.isFloat(data.type)) {
				throw new Error(`column "${feature.column}" is ${data.type}, not a number: use column=value for a one-hot indicator`);
			}
			const values = data.values as ArrayLike<number | bigint>;
			// One chunk's own vector: `vector.get(row)` searches the chunks on every call.
			const chunk = isBool ? new Vector([data]) : undefined;
			const checkValid = mayHoldNulls(data);
			for (let k = 0; k < data.length; k++, row++) {
				if (checkValid && !data.getValid(k)) throw missing();
				const v = chunk ? (chunk.get(k) ? 1 : 0) : Number(values[k]);
				if (!Number.isFinite(v)) throw new Error(`column "${feature.column}" is not a finite number at row ${firstRow + row + 1}`);
				out[row * width + c] = (v - mean) / sd;
			}
		}
	});
	return out;
}
