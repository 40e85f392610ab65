import * as Comlink from 'comlink';
import { DataType, tableFromIPC, type Table } from 'apache-arrow';
import { driftAnalysis, driftReportAsync, type Column } from '#lib/stats/index.ts';
import { abTest, championChallenger } from '#lib/stats/ab/index.ts';
import { arrowColumn, arrowColumns } from '#lib/sql/arrow-columns.ts';
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

/** A table's columns, with the time column (epoch ms) apart. */
function split(table: Table, timeColumn: string | undefined): { columns: Record<string, Column>; time: Float64Array | null } {
	const columns: Record<string, Column> = {};
	let time: Float64Array | null = null;
	for (const field of table.schema.fields) {
		const column = arrowColumn(table.getChild(field.name)!);
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
	return arrowColumn(vector);
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
