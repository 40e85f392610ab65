/**
 * MLflow's scoring protocol over one ONNX model: the request formats (`dataframe_split`,
 * `dataframe_records`, `instances`, `inputs`) into the model's float32 tensor, and its outputs
 * into `{"predictions": …}`. Named columns go through the version's pre-processing when it
 * carries one (the model cell's own `buildTensor`); bare arrays are the tensor itself. Input that
 * does not fit is an InputError naming the field, row and column.
 */
import { Bool, Float64, makeData, makeVector, Utf8, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import { Tensor } from 'onnxruntime-node';
import type { ServedModel } from './models';
import { buildTensor } from '#lib/inference/features.ts';

export const SCORING_FORMATS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'] as const;
export type ScoringFormat = (typeof SCORING_FORMATS)[number];

/** A request that does not fit the protocol or the model (answered 400 or 422). */
export class InputError extends Error {
	constructor(
		message: string,
		readonly status: 400 | 422 = 400
	) {
		super(message);
		this.name = 'InputError';
	}
}

/** A request's rows: named columns (a data frame, or records) or bare tensor rows. */
export type ScoringRows =
	| { format: ScoringFormat; kind: 'table'; columns: string[]; records: Array<Record<string, unknown>> }
	| { format: ScoringFormat; kind: 'tensor'; rows: unknown[][] };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function recordsOf(format: ScoringFormat, list: unknown[]): ScoringRows {
	const columns = new Set<string>();
	list.forEach((record, i) => {
		if (!isRecord(record)) throw new InputError(`${format}[${i}]: expected an object of column values, got ${JSON.stringify(record)?.slice(0, 80)}`);
		for (const key of Object.keys(record)) columns.add(key);
	});
	return { format, kind: 'table', columns: [...columns], records: list as Array<Record<string, unknown>> };
}

/** The rows of a scoring request body, in whichever of MLflow's formats it uses. */
export function parseScoringBody(body: unknown): ScoringRows {
	if (!isRecord(body)) throw new InputError(`the body must be a JSON object with one of ${SCORING_FORMATS.join(', ')}`);
	const present = SCORING_FORMATS.filter((f) => f in body);
	if (present.length !== 1) {
		throw new InputError(
			present.length === 0
				? `the body must have one of ${SCORING_FORMATS.join(', ')} (it has ${Object.keys(body).join(', ') || 'no fields'})`
				: `the body must have only one of ${SCORING_FORMATS.join(', ')}, it has ${present.join(' and ')}`
		);
	}
	const format = present[0];
	const value = body[format];
	if (format === 'dataframe_split') {
		if (!isRecord(value) || !Array.isArray(value.columns) || !Array.isArray(value.data)) {
			throw new InputError('dataframe_split: expected {"columns": [...], "data": [[...], ...]}');
		}
		const columns = value.columns.map((c, j) => {
			if (typeof c !== 'string') throw new InputError(`dataframe_split.columns[${j}]: expected a column name, got ${JSON.stringify(c)}`);
			return c;
		});
		const records = value.data.map((row, i) => {
			if (!Array.isArray(row) || row.length !== columns.length) {
				throw new InputError(
					`dataframe_split.data[${i}]: expected ${columns.length} values (one per column), got ${Array.isArray(row) ? row.length : JSON.stringify(row)}`
				);
			}
			return Object.fromEntries(columns.map((c, j) => [c, row[j]]));
		});
		return { format, kind: 'table', columns, records };
	}
	if (format === 'dataframe_records') {
		if (!Array.isArray(value)) throw new InputError('dataframe_records: expected a list of records');
		return recordsOf(format, value);
	}
	// instances / inputs: a list of rows (arrays: the tensor; objects: records), or inputs named by the model's input.
	const list = format === 'inputs' && isRecord(value) && Object.keys(value).length === 1 ? Object.values(value)[0] : value;
	if (!Array.isArray(list)) throw new InputError(`${format}: expected a list of rows`);
	if (list.length > 0 && isRecord(list[0])) return recordsOf(format, list);
	return { format, kind: 'tensor', rows: list.map((row) => (Array.isArray(row) ? row : [row])) };
}

export function rowCount(rows: ScoringRows): number {
	return rows.kind === 'table' ? rows.records.length : rows.rows.length;
}

/** A JSON value as a tensor number; booleans count as 0/1 as in the model cell. */
function asNumber(value: unknown, where: () => string): number {
	if (typeof value === 'boolean') return value ? 1 : 0;
	if (typeof value !== 'number' || !Number.isFinite(value)) throw new InputError(`${where()}: ${JSON.stringify(value) ?? 'nothing'} is not a finite number`);
	return value;
}

function arrowType(kind: 'number' | 'string' | 'boolean'): DataType {
	return kind === 'number' ? new Float64() : kind === 'string' ? new Utf8() : new Bool();
}

/**
 * One column of records as an Arrow vector of one type: numbers, text or booleans. Complete
 * number and boolean columns go straight into a Float64 vector (booleans as 0/1, as the cell
 * reads them); Arrow's builder only for text and columns with nulls. One pass over the rows
 * reads, type-checks and converts the values.
 */
function columnVector(rows: ScoringRows & { kind: 'table' }, column: string): Vector {
	const { records } = rows;
	const numbers = new Float64Array(records.length);
	let kind: 'number' | 'string' | 'boolean' | undefined;
	let nulls = false;
	for (let i = 0; i < records.length; i++) {
		const value = records[i][column] ?? null;
		if (value === null) {
			nulls = true;
			continue;
		}
		const type = typeof value;
		if (kind === undefined) {
			if (type !== 'number' && type !== 'string' && type !== 'boolean')
				throw new InputError(`${rows.format}, row ${i + 1}, column "${column}": ${JSON.stringify(value)} is not a number, text or boolean`);
			kind = type;
		} else if (type !== kind)
			throw new InputError(`${rows.format}, row ${i + 1}, column "${column}": ${JSON.stringify(value)} is not a ${kind} like the rows before it`);
		if (type === 'number') numbers[i] = value as number;
		else if (type === 'boolean') numbers[i] = value ? 1 : 0;
	}
	if (!nulls && kind !== 'string') return makeVector(numbers);
	const values = records.map((r) => r[column] ?? null);
	return nulls ? vectorFromArray(values, arrowType(kind ?? 'number')) : utf8Vector(values as string[]);
}

const encoder = new TextEncoder();

/**
 * Text without nulls as a Utf8 vector, encoded at once (Arrow's builder took most of a request's
 * time, then one encode per value): the values' byte lengths give the offsets, their join is
 * encoded in one go. A lone surrogate at a value's edge could pair with its neighbour in the join
 * and change the bytes; then the lengths disagree and each value is encoded alone.
 */
function utf8Vector(values: readonly string[]): Vector {
	const valueOffsets = new Int32Array(values.length + 1);
	for (let i = 0; i < values.length; i++) valueOffsets[i + 1] = valueOffsets[i] + Buffer.byteLength(values[i], 'utf8');
	let data = encoder.encode(values.join(''));
	if (data.length !== valueOffsets[values.length]) {
		data = new Uint8Array(valueOffsets[values.length]);
		values.forEach((v, i) => data.set(encoder.encode(v), valueOffsets[i]));
	}
	return makeVector(makeData({ type: new Utf8(), length: values.length, valueOffsets, data }));
}

/** The model's input tensor for the rows, `rows × width`. */
export function inputTensor(model: ServedModel, rows: ScoringRows): Tensor {
	const count = rowCount(rows);
	if (count === 0) throw new InputError(`${rows.format}: there are no rows to score`);
	const where = `model ${model.name} version ${model.version}`;
	if (rows.kind === 'table' && model.features) {
		const features = model.features;
		const missing = [...new Set(features.map((f) => f.column))].filter((c) => !rows.columns.includes(c));
		if (missing.length > 0)
			throw new InputError(
				`${rows.format}: column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')} missing; ${where} reads ${[...new Set(features.map((f) => f.column))].join(', ')}`
			);
		// Each column once: one-hot features share their column.
		const vectors = new Map([...new Set(features.map((f) => f.column))].map((column) => [column, columnVector(rows, column)]));
		try {
			const data = buildTensor({ numRows: count, getChild: (name) => vectors.get(name) ?? null }, features);
			return new Tensor('float32', data, [count, features.length]);
		} catch (error) {
			throw new InputError(`${rows.format}: ${(error as Error).message}`);
		}
	}
	const width = rows.kind === 'table' ? rows.columns.length : (model.input.width ?? (rows.rows[0] as unknown[]).length);
	if (model.input.width !== undefined && width !== model.input.width) {
		const given = rows.kind === 'table' ? `${width} columns (${rows.columns.join(', ')})` : `${width} values in row 1`;
		throw new InputError(
			`${rows.format}: ${where} takes ${model.input.width} features per row, got ${given}${rows.kind === 'table' ? '; it carries no pre-processing to map named columns' : ''}`
		);
	}
	const data = new Float32Array(count * width);
	for (let i = 0; i < count; i++) {
		const row = rows.kind === 'table' ? rows.columns.map((c) => rows.records[i][c]) : rows.rows[i];
		if (row.length !== width)
			throw new InputError(`${rows.format}[${i}]: expected ${width} values (${where} takes ${width} features per row), got ${row.length}`);
		for (let j = 0; j < width; j++) {
			data[i * width + j] = asNumber(row[j], () =>
				rows.kind === 'table' ? `${rows.format}, row ${i + 1}, column "${rows.columns[j]}"` : `${rows.format}[${i}][${j}]`
			);
		}
	}
	return new Tensor('float32', data, [count, width]);
}

/** An output tensor as one JSON value per row: a number, or a list when the tensor is wider. */
function perRow(tensor: Tensor, rows: number): unknown[] {
	const data = tensor.data as ArrayLike<number | bigint>;
	const width = rows === 0 ? 0 : data.length / rows;
	const at = (k: number) => Number(data[k]);
	return Array.from({ length: rows }, (_, r) => (width === 1 ? at(r) : Array.from({ length: width }, (_, j) => at(r * width + j))));
}

/** Each row's outputs, by output name. */
export function rowOutputs(outputs: Record<string, Tensor>, rows: number): Array<Record<string, unknown>> {
	const columns = Object.entries(outputs).map(([name, tensor]) => [name, perRow(tensor, rows)] as const);
	const out: Array<Record<string, unknown>> = new Array(rows);
	for (let r = 0; r < rows; r++) {
		const row: Record<string, unknown> = {};
		for (const [name, values] of columns) row[name] = values[r];
		out[r] = row;
	}
	return out;
}

/**
 * MLflow's answer: a data frame in, a list of records out (one column per output); a tensor in,
 * the outputs by name (one output: its values alone).
 */
export function predictions(rows: ScoringRows, perRowOutputs: Array<Record<string, unknown>>): unknown {
	if (rows.kind === 'table') return perRowOutputs;
	const names = Object.keys(perRowOutputs[0] ?? {});
	if (names.length === 1) return perRowOutputs.map((o) => o[names[0]]);
	return Object.fromEntries(names.map((name) => [name, perRowOutputs.map((o) => o[name])]));
}

/** The rows as JSON objects for the prediction log. */
export function rowInputs(rows: ScoringRows): unknown[] {
	return rows.kind === 'table' ? rows.records : rows.rows;
}
