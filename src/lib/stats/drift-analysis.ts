/**
 * Everything a drift cell shows, in one call that runs in the stats worker: the drift report,
 * the two distributions of every column, drift over time windows, drift within segments, an
 * automatic segment search and model performance over time. Progress is reported in
 * thousandths of the whole; an abort stops it between units of work.
 */

import type { Column } from './column';
import type { ColumnDistribution } from './distributions';
import { driftOverTime, type DriftOverTime } from './drift-over-time';
import type { DriftReport } from './drift-report';
import { driftSplit, type DriftPeer } from './drift-split';
import { performanceDrift, type PerformanceMetric, type PerformanceReport } from './performance-drift';
import { throwIfAborted } from './progress';
import { searchSegments, segmentDrift, type SegmentDriftReport, type SegmentSearch } from './segments';
import { assignWindows, windowRows, type WindowSpec, type Windowing } from './windows';

export interface DriftAnalysisOptions {
	/** Columns to test (default: every reference column). */
	columns?: string[];
	/** 'auto' or method names (default ['auto']). */
	methods?: string[];
	/** A fixed threshold for every test, or 'reference' to learn window thresholds (needs windows in the reference). */
	threshold?: number | 'reference';
	/** σ multiplier of reference thresholds (default 3). */
	multiplier?: number;
	/** Windows over time: `currentTime` (epoch ms per row, NaN = none) is needed for day/week. */
	window?: WindowSpec;
	referenceTime?: Float64Array | null;
	currentTime?: Float64Array | null;
	/** The report within each value of this column. */
	segment?: string;
	/** Search single-column segments ranked by drift, with BH FDR control at `fdr`. */
	segmentSearch?: boolean;
	/** Columns whose values define searched segments (default: the tested columns). */
	segmentColumns?: string[];
	fdr?: number;
	/** Model performance: the label column and the model's output column. */
	target?: string;
	prediction?: string;
	metrics?: PerformanceMetric[];
	positive?: string;
	cutoff?: number;
	/** Compute the two distributions of each column for plots (default true). */
	distributions?: boolean;
	/** A second worker that tests a share of the report's columns meanwhile (see drift-split.ts). */
	peer?: DriftPeer;
	signal?: AbortSignal;
	onProgress?: (done: number, total: number) => void;
}

export interface DriftAnalysis {
	report: DriftReport;
	distributions: ColumnDistribution[];
	over_time: DriftOverTime | null;
	segments: SegmentDriftReport | null;
	segment_search: SegmentSearch | null;
	performance: PerformanceReport | null;
}

export const PROGRESS_TOTAL = 1000;

interface Phase {
	weight: number;
	run(progress: (done: number, total: number) => void): Promise<void>;
}

export async function driftAnalysis(
	reference: Record<string, Column>,
	current: Record<string, Column>,
	options: DriftAnalysisOptions = {}
): Promise<DriftAnalysis> {
	const columns = options.columns ?? Object.keys(reference);
	const n = Math.max(1, columns.length);
	const out: DriftAnalysis = {
		report: { columns: [], drifted_columns: 0, tested_columns: 0, share: 0, dataset_drift: false },
		distributions: [],
		over_time: null,
		segments: null,
		segment_search: null,
		performance: null
	};

	let refWindows: Windowing | null = null;
	let curWindows: Windowing | null = null;
	if (options.window) {
		const curTime = options.currentTime ?? null;
		const anyColumn = current[columns[0]] ?? Object.values(current)[0];
		curWindows = assignWindows(curTime, options.window, curTime?.length ?? anyColumn?.values.length ?? 0);
		const refTime = options.referenceTime ?? null;
		if (refTime) refWindows = assignWindows(refTime, options.window);
		else if (options.window.unit === 'rows' && !curTime) {
			const anyRef = reference[columns[0]] ?? Object.values(reference)[0];
			refWindows = assignWindows(null, options.window, anyRef?.values.length ?? 0);
		}
		if (curWindows.windows.length === 0) throw new Error('no current rows fall in a window (is the time column empty?)');
	} else if (options.threshold === 'reference') {
		throw new Error('threshold: reference learns from the reference windows: set a window (and a time column)');
	}
	const fixed = typeof options.threshold === 'number' ? options.threshold : undefined;
	const windowCount = (refWindows?.windows.length ?? 0) + (curWindows?.windows.length ?? 0);

	const phases: Phase[] = [
		{
			weight: n,
			run: async (progress) => {
				// the distributions come with the report: each from the data its column's tests use, on the thread that tests it
				({ report: out.report, distributions: out.distributions } = await driftSplit(reference, current, {
					peer: options.peer,
					columns,
					methods: options.methods,
					threshold: fixed,
					distributions: options.distributions ?? true,
					signal: options.signal,
					onProgress: progress
				}));
			}
		}
	];
	if (curWindows) {
		const windows = curWindows;
		phases.push({
			weight: n * Math.max(1, windowCount) * 0.3,
			run: async (progress) => {
				out.over_time = await driftOverTime(reference, current, {
					report: out.report,
					currentWindows: windows,
					referenceWindows: refWindows,
					threshold: options.threshold,
					multiplier: options.multiplier,
					signal: options.signal,
					onProgress: progress
				});
			}
		});
	}
	if (options.segment) {
		const segment = options.segment;
		phases.push({
			weight: n,
			run: async (progress) => {
				out.segments = await segmentDrift(reference, current, segment, {
					columns,
					methods: options.methods,
					threshold: fixed,
					signal: options.signal,
					onProgress: progress
				});
			}
		});
	}
	if (options.segmentSearch) {
		phases.push({
			weight: n * Math.max(1, (options.segmentColumns ?? columns).length) * 0.5,
			run: async (progress) => {
				out.segment_search = await searchSegments(reference, current, {
					columns,
					methods: options.methods,
					segmentColumns: options.segmentColumns,
					fdr: options.fdr,
					signal: options.signal,
					onProgress: progress
				});
			}
		});
	}
	if (options.target || options.prediction) {
		if (!options.target || !options.prediction) throw new Error('performance needs both a target (labels) and a prediction column');
		const target = options.target;
		const prediction = options.prediction;
		phases.push({
			weight: 0.5 * Math.max(1, windowCount) * 0.2,
			run: async (progress) => {
				out.performance = performanceDrift(reference, current, {
					target,
					prediction,
					metrics: options.metrics,
					positive: options.positive,
					cutoff: options.cutoff,
					referenceWindows: refWindows ? windowRows(refWindows) : undefined,
					currentWindows: curWindows ? windowRows(curWindows) : undefined,
					thresholds: options.threshold === 'reference' && refWindows !== null,
					multiplier: options.multiplier
				});
				progress(1, 1);
			}
		});
	}

	const totalWeight = phases.reduce((s, p) => s + p.weight, 0);
	let offset = 0;
	for (const phase of phases) {
		throwIfAborted(options.signal);
		const start = offset;
		await phase.run((done, total) => {
			const share = total > 0 ? done / total : 1;
			options.onProgress?.(Math.round((PROGRESS_TOTAL * (start + phase.weight * share)) / totalWeight), PROGRESS_TOTAL);
		});
		offset += phase.weight;
	}
	return out;
}
