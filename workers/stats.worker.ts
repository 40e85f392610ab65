import * as Comlink from 'comlink';
import { DataType, tableFromIPC, type Data, type Table, type Vector } from 'apache-arrow';
import { abTest, championChallenger, columnFromValues, driftAnalysis, driftReportAsync, type Column } from '$lib/stats';
import { arrowColumns } from '$lib/sql/arrow-columns';
import type { StatsApi } from './protocol';

const controllers = new Map<string, AbortController>();

async function job<T>(jobId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
	const controller = new AbortController();
	controllers.set(jobId, controller);
	try {
		return await work(controller.signal);
	} finally {
		controllers.delete(jobId);
	}
}

const decoder = new TextDecoder();

/**
 * A UTF-8 column's strings without a TextDecoder call per value: an all-ASCII chunk is decoded
 * once and cut at the offsets (one byte, one character). Null for invalid slots.
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

/** Arrow to the library's columns, the common cases (numbers, UTF-8 text) without per-value Arrow calls. */
function arrowToColumn(vector: Vector): Column {
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

/** A table's columns, with the time column (epoch ms) apart. */
function split(table: Table, timeColumn: string | undefined): { columns: Record<string, Column>; time: Float64Array | null } {
	const columns: Record<string, Column> = {};
	let time: Float64Array | null = null;
	for (const field of table.schema.fields) {
		const column = arrowToColumn(table.getChild(field.name)!);
		if (field.name !== timeColumn) columns[field.name] = column;
		else if (column.type !== 'number') throw new Error(`the time column "${timeColumn}" does not hold numbers (epoch milliseconds)`);
		else time = column.values;
	}
	if (timeColumn && !time) throw new Error(`the time column "${timeColumn}" is missing`);
	return { columns, time };
}

/** One named column for the A/B and champion analyses; times (Arrow gives epoch ms) as numbers. */
function columnOf(table: Table, name: string): Column {
	const vector = table.getChild(name);
	if (!vector) throw new Error(`column "${name}" is not in the table`);
	if (DataType.isTimestamp(vector.type) || DataType.isDate(vector.type)) {
		const values = new Float64Array(vector.length);
		for (let i = 0; i < vector.length; i++) {
			const v = vector.get(i) as number | bigint | Date | null;
			values[i] = v === null ? Number.NaN : Number(v instanceof Date ? v.getTime() : v);
		}
		return { type: 'number', values };
	}
	return arrowToColumn(vector);
}

function optionalColumn(table: Table, name: string | undefined): Column | undefined {
	return name === undefined ? undefined : columnOf(table, name);
}

const api: StatsApi = {
	driftReport(reference, current, { jobId, ...options }, onProgress) {
		return job(jobId, (signal) => {
			const ref = arrowColumns(tableFromIPC(reference), options.columns);
			const cur = arrowColumns(tableFromIPC(current), options.columns);
			return driftReportAsync(ref, cur, { ...options, signal, onProgress });
		});
	},
	driftAnalysis(reference, current, { jobId, timeColumn, ...options }, onProgress) {
		return job(jobId, async (signal) => {
			const start = performance.now();
			const ref = split(tableFromIPC(reference), timeColumn);
			const cur = split(tableFromIPC(current), timeColumn);
			const converted = performance.now();
			const result = await driftAnalysis(ref.columns, cur.columns, {
				...options,
				referenceTime: ref.time,
				currentTime: cur.time,
				signal,
				onProgress
			});
			return { ...result, timings: { convert_ms: converted - start, analysis_ms: performance.now() - converted } };
		});
	},
	abTest(ipc, { jobId, columns, ...options }) {
		return job(jobId, async () => {
			const table = tableFromIPC(ipc);
			const data = {
				group: columnOf(table, columns.group),
				metric: columnOf(table, columns.metric),
				covariate: optionalColumn(table, columns.covariate),
				time: optionalColumn(table, columns.time)
			};
			return abTest(data, options);
		});
	},
	championChallenger(ipc, { jobId, columns, ...options }) {
		return job(jobId, async () => {
			const table = tableFromIPC(ipc);
			const data = {
				label: columnOf(table, columns.label),
				champion: columnOf(table, columns.champion),
				challenger: columnOf(table, columns.challenger),
				slice: optionalColumn(table, columns.slice),
				time: optionalColumn(table, columns.time)
			};
			return championChallenger(data, options);
		});
	},
	cancel(jobId) {
		controllers.get(jobId)?.abort();
	}
};

Comlink.expose(api);
