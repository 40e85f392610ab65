/**
 * The statistics the cells run off the main thread, on tables that arrive as Arrow IPC: drift
 * reports and analyses, A/B tests, champion / challenger, and the per-chunk analyses
 * (performance estimation, multivariate drift, data quality: chunked-analyses.ts). The stats worker
 * (src/lib/workers/stats.worker.ts) exposes it; `cancel` stops a job by its id.
 */
import { DataType, tableFromIPC, type Table } from 'apache-arrow';
import {
	driftAnalysis,
	driftReportSplit,
	type Column,
	type DriftPeer,
	type DriftAnalysis,
	type DriftAnalysisOptions,
	type DriftOptions,
	type DriftReport
} from '#lib/stats/index.ts';
import { abTest, championChallenger, type AbOptions, type AbReport, type ChampionOptions, type ChampionReport } from '#lib/stats/ab/index.ts';
import { arrowColumn, arrowColumns } from '#lib/stats/arrow-columns.ts';
import {
	multivariateAnalysis,
	performanceAnalysis,
	qualityAnalysis,
	type MultivariateAnalysis,
	type MultivariateRequest,
	type PerformanceAnalysis,
	type PerformanceRequest,
	type QualityAnalysis,
	type QualityRequest
} from './chunked-analyses';

/** What the drift cell asks of the stats worker (the analysis' options, minus what cannot cross). */
export type DriftAnalysisRequest = Omit<DriftAnalysisOptions, 'signal' | 'onProgress' | 'referenceTime' | 'currentTime'> & {
	jobId: string;
	/** A column of both tables holding each row's time in epoch milliseconds (not tested). */
	timeColumn?: string;
};

/** What the ab cell asks of the stats worker: the table's columns by role (`names`: how to call them in messages), and the analysis' options. */
export type AbTestRequest = AbOptions & {
	jobId: string;
	columns: { group: string; metric: string; covariate?: string; time?: string };
};

/** What the champion cell asks of the stats worker. */
export type ChampionRequest = ChampionOptions & {
	jobId: string;
	columns: { label: string; champion: string; challenger: string; slice?: string; time?: string };
};

/** Where the stats worker spent its time on one analysis, in milliseconds. */
export interface DriftWorkerTimings {
	/** Arrow IPC to the library's columns. */
	convert_ms: number;
	/** The statistics themselves. */
	analysis_ms: number;
}

export interface StatsApi {
	/** Drift of every column of `current` against `reference`, both Arrow IPC streams. */
	driftReport(
		reference: Uint8Array,
		current: Uint8Array,
		options: Omit<DriftOptions, 'signal' | 'onProgress'> & { jobId: string },
		onProgress?: (done: number, total: number) => void
	): Promise<DriftReport>;
	/**
	 * Everything a drift cell shows (report, distributions, windows, segments, performance) for
	 * two Arrow IPC streams; `onProgress` counts thousandths of the whole.
	 */
	driftAnalysis(
		reference: Uint8Array,
		current: Uint8Array,
		options: DriftAnalysisRequest,
		onProgress?: (done: number, total: number) => void
	): Promise<DriftAnalysis & { timings: DriftWorkerTimings }>;
	/** An A/B experiment (src/lib/stats/ab) of one Arrow IPC stream. */
	abTest(table: Uint8Array, options: AbTestRequest): Promise<AbReport>;
	/** Champion / challenger comparison of one Arrow IPC stream. */
	championChallenger(table: Uint8Array, options: ChampionRequest): Promise<ChampionReport>;
	/** CBPE per chunk of two Arrow IPC streams (reference with labels), and which features' drift follows it. */
	performanceEstimate(
		reference: Uint8Array,
		analysis: Uint8Array,
		options: PerformanceRequest,
		onProgress?: (done: number, total: number) => void
	): Promise<PerformanceAnalysis>;
	/** Multivariate drift (PCA reconstruction error) per chunk of two Arrow IPC streams. */
	multivariateDrift(
		reference: Uint8Array,
		analysis: Uint8Array,
		options: MultivariateRequest,
		onProgress?: (done: number, total: number) => void
	): Promise<MultivariateAnalysis>;
	/** A data-quality suite (learnt from the reference, or the one given) run per chunk on two Arrow IPC streams. */
	dataQuality(
		reference: Uint8Array,
		analysis: Uint8Array,
		options: QualityRequest,
		onProgress?: (done: number, total: number) => void
	): Promise<QualityAnalysis>;
	cancel(jobId: string): void;
}

async function job<T>(controllers: Map<string, AbortController>, jobId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
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

/**
 * A service with no job running; `peer`, where there is a second core, tests a share of each
 * drift report's columns on it (src/lib/stats/drift-split.ts).
 */
export function createStatsService(peer?: DriftPeer): StatsApi {
	const controllers = new Map<string, AbortController>();
	const api: StatsApi = {
		driftReport(reference, current, { jobId, ...options }, onProgress) {
			return job(controllers, jobId, (signal) => {
				const ref = arrowColumns(tableFromIPC(reference), options.columns);
				const cur = arrowColumns(tableFromIPC(current), options.columns);
				return driftReportSplit(ref, cur, { ...options, peer, signal, onProgress });
			});
		},
		driftAnalysis(reference, current, { jobId, timeColumn, ...options }, onProgress) {
			return job(controllers, jobId, async (signal) => {
				const start = performance.now();
				const ref = split(tableFromIPC(reference), timeColumn);
				const cur = split(tableFromIPC(current), timeColumn);
				const converted = performance.now();
				const result = await driftAnalysis(ref.columns, cur.columns, {
					...options,
					peer,
					referenceTime: ref.time,
					currentTime: cur.time,
					signal,
					onProgress
				});
				return { ...result, timings: { convert_ms: converted - start, analysis_ms: performance.now() - converted } };
			});
		},
		abTest(ipc, { jobId, columns, ...options }) {
			return job(controllers, jobId, async () => {
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
			return job(controllers, jobId, async () => {
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
		performanceEstimate(reference, analysis, options, onProgress) {
			return job(controllers, options.jobId, (signal) => performanceAnalysis(tableFromIPC(reference), tableFromIPC(analysis), options, signal, onProgress));
		},
		multivariateDrift(reference, analysis, options, onProgress) {
			return job(controllers, options.jobId, (signal) => multivariateAnalysis(tableFromIPC(reference), tableFromIPC(analysis), options, signal, onProgress));
		},
		dataQuality(reference, analysis, options, onProgress) {
			return job(controllers, options.jobId, (signal) => qualityAnalysis(tableFromIPC(reference), tableFromIPC(analysis), options, signal, onProgress));
		},
		cancel(jobId) {
			controllers.get(jobId)?.abort();
		}
	};
	return api;
}
