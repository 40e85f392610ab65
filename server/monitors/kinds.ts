import { ApiError } from '#server/http/errors.ts';
import type { MonitorAlertPayload } from '#server/webhooks/events.ts';
import { readDatasetColumns, type DatasetFile, type TimeWindow } from './dataset-window';
import type { ProgressHandle } from './progress';
import { driftReportAsync, parseNumber, type Column, type DriftReport } from '#lib/stats/index.ts';
import { isMissingString, parseStringValues } from '#lib/stats/column.ts';
import { sizeChunks, type Chunk } from '#lib/stats/chunks/index.ts';
import { cbpe, CbpeInputError, classIndices, UnknownClassError, type CbpeData, type ProbabilityInput } from '#lib/stats/performance/index.ts';
import { MultivariateInputError, reconstructionDrift, type FeatureTable } from '#lib/stats/multivariate/index.ts';
import { monitorClasses, probabilityText } from '#lib/contracts/monitors.ts';
import type {
	DriftMonitorReport,
	Monitor,
	MonitorEvaluation,
	MonitorKind,
	MonitorReport,
	MultivariateMonitorReport,
	PerformanceMonitorReport
} from '#lib/contracts/monitors.ts';

/**
 * What each kind of monitor computes on the reference and the current window, with the library
 * its notebook cell uses: the drift report (drift), CBPE (performance), PCA data reconstruction
 * (multivariate). Every kind answers the same judgement — the number it watches, the thresholds
 * it is judged against, whether it alerts, the metrics for its MLflow run — so evaluation,
 * alerts, webhooks, rollback and the chart treat them alike. One registry line per kind.
 *
 * Performance and multivariate judge the window as one chunk, as NannyML judges an analysis
 * chunk: against thresholds learnt from the reference cut into chunks of the window's row count
 * (whole chunks only), so the reference's chunk-to-chunk spread is that of windows of this size.
 */

export interface JudgeInput {
	monitor: Monitor;
	reference: DatasetFile;
	current: DatasetFile;
	window: TimeWindow | undefined;
	progress: ProgressHandle;
}

export interface Judgement {
	value: number;
	upper_threshold: number | null;
	lower_threshold: number | null;
	alerted: boolean;
	report: MonitorReport;
	/** The drift counts (drift only). */
	drift: { share: number; drifted_columns: number; tested_columns: number } | null;
	/** MLflow metrics of the run (key → value). */
	metrics: Record<string, number>;
	params: Record<string, string>;
	/** One line on what was found, for a rollback's reason. */
	summary: string;
	/** What `monitor.alerted` says for this kind. */
	alert: Omit<
		MonitorAlertPayload,
		| 'monitor_id'
		| 'monitor_name'
		| 'monitor_kind'
		| 'model_name'
		| 'alias'
		| 'model_version'
		| 'run_id'
		| 'evaluation_id'
		| 'window_start'
		| 'window_end'
		| 'value'
		| 'rollback'
	>;
}

type Judge = (input: JudgeInput) => Promise<Judgement>;

// MLflow metric keys allow letters, digits and _ - . / space :; other characters in a column name become _.
const metricKey = (text: string) => text.replace(/[^/\p{L}\p{N}_.\- :]/gu, '_');

const describe = (file: DatasetFile) => `dataset ${file.dataset.name} v${file.dataset.version}`;

/** The current window's columns; a 409 when it has no rows. */
async function readWindow(input: JudgeInput, columns: readonly string[] | undefined, optional?: readonly string[]): Promise<Record<string, Column>> {
	const { monitor, current, window } = input;
	const read = await readDatasetColumns(current, { columns, optional, window, routes: monitor.current_routes ?? undefined });
	if ((Object.values(read)[0]?.values.length ?? 0) === 0) {
		const span = window ? ` between ${new Date(window.start).toISOString()} and ${new Date(window.end).toISOString()}` : '';
		throw new ApiError(409, 'empty_window', `monitor ${monitor.name}: ${describe(current)} has no rows${span}`);
	}
	return read;
}

/** The reference's columns (the monitor's, or all but the time column) and the window's same columns. */
async function readFeatures(input: JudgeInput): Promise<{ reference: Record<string, Column>; current: Record<string, Column>; names: string[] }> {
	const { monitor } = input;
	const columns = monitor.columns ?? undefined;
	input.progress.step(0.1, 'reading the reference');
	const reference = await readDatasetColumns(input.reference, { columns, exclude: monitor.time_column ?? undefined });
	input.progress.step(0.3, 'reading the window');
	// Without named columns a prediction log is read for the reference's: its features, not its bookkeeping.
	const names = columns ? [...columns] : Object.keys(reference);
	const current = await readWindow(input, columns ?? (monitor.current_dataset_name === null ? undefined : names));
	return { reference, current, names };
}

const invalid = (monitor: Monitor, error: Error) => new ApiError(422, 'invalid_request', `monitor ${monitor.name}: ${error.message}`);

const drift: Judge = async (input) => {
	const { monitor, progress } = input;
	const { reference, current, names } = await readFeatures(input);
	progress.step(0.5, 'testing columns');
	let report: DriftReport;
	try {
		report = await driftReportAsync(reference, current, {
			columns: names,
			methods: monitor.methods,
			threshold: monitor.threshold ?? undefined,
			signal: progress.signal,
			onProgress: (done, total) => progress.step(0.5 + (0.4 * done) / total, `testing columns (${done} of ${total})`)
		});
	} catch (error) {
		if (error instanceof ApiError) throw error;
		throw invalid(monitor, error as Error);
	}
	const alerted = report.tested_columns > 0 && report.share >= monitor.alert_share;
	const metrics: Record<string, number> = { drift_share: report.share, drifted_columns: report.drifted_columns, tested_columns: report.tested_columns };
	for (const c of report.columns) {
		const test = c.tests[0];
		if (!test) continue;
		const key = metricKey(c.column);
		metrics[`${key}.statistic`] = test.statistic;
		metrics[`${key}.drifted`] = c.drifted ? 1 : 0;
		if (test.p_value !== null) metrics[`${key}.p_value`] = test.p_value;
	}
	const full: DriftMonitorReport = { kind: 'drift', ...report };
	return {
		value: report.share,
		upper_threshold: monitor.alert_share,
		lower_threshold: null,
		alerted,
		report: full,
		drift: { share: report.share, drifted_columns: report.drifted_columns, tested_columns: report.tested_columns },
		metrics,
		params: {
			methods: monitor.methods.join(','),
			alert_share: String(monitor.alert_share),
			...(monitor.threshold === null ? {} : { threshold: String(monitor.threshold) })
		},
		summary: `${report.drifted_columns} of ${report.tested_columns} columns drifted (share ${report.share.toFixed(3)} ≥ ${monitor.alert_share})`,
		alert: {
			upper_threshold: monitor.alert_share,
			lower_threshold: null,
			share: report.share,
			alert_share: monitor.alert_share,
			drifted_columns: report.columns.filter((c) => c.drifted).map((c) => c.column),
			tested_columns: report.tested_columns
		}
	};
};

/** The reference cut into chunks of the window's rows (at least two, to learn thresholds from) and the window as one chunk. */
function windowChunks(monitor: Monitor, referenceRows: number, windowRows: number): { reference: Chunk[]; analysis: Chunk[] } {
	const reference = sizeChunks(referenceRows, windowRows, 'drop');
	if (reference.length < 2)
		throw new ApiError(
			422,
			'invalid_request',
			`monitor ${monitor.name}: the reference's ${referenceRows} rows make ${reference.length} chunk(s) of the window's ${windowRows} rows; thresholds are learnt from at least 2 (a larger reference or a shorter window)`
		);
	return { reference, analysis: sizeChunks(windowRows, windowRows) };
}

/** A column as numbers; text that is not a number is a 422 naming the dataset, column and row. */
function numbers(column: Column, file: DatasetFile, name: string): Float64Array {
	if (column.type === 'number') return column.values;
	return parseStringValues(column.values, (text, row) => {
		const x = parseNumber(text);
		if (Number.isNaN(x)) throw new ApiError(422, 'invalid_request', `${describe(file)}, row ${row + 1}: column "${name}" holds "${text}", not a number`);
		return x;
	});
}

const countPresent = (values: Float64Array) => values.reduce((n, v) => (Number.isNaN(v) ? n : n + 1), 0);

/** Class labels as indices into the monitor's classes; a label outside them is a 422 naming the dataset, column and row. */
function labels(column: Column, classes: readonly string[], file: DatasetFile, name: string): Float64Array {
	try {
		return classIndices(column, classes);
	} catch (error) {
		if (!(error instanceof UnknownClassError)) throw error;
		throw new ApiError(
			422,
			'invalid_request',
			`${describe(file)}, row ${error.row + 1}: column "${name}" holds class "${error.label}", not one of the classes in performance.probability (${classes.join(', ')})`
		);
	}
}

const performance: Judge = async (input) => {
	const { monitor, progress } = input;
	const p = monitor.performance!;
	// Multiclass: one probability column per class, labels read as indices into the classes (NannyML's order).
	const multiclass = monitorClasses(p.probability);
	const probabilities = multiclass ? multiclass.columns : [p.probability as string];
	const scored = [...new Set([...probabilities, ...(p.prediction === undefined ? [] : [p.prediction])])];
	progress.step(0.1, 'reading the reference');
	const referenceColumns = await readDatasetColumns(input.reference, { columns: [...scored, p.target] });
	progress.step(0.3, 'reading the window');
	const currentColumns = await readWindow(input, scored, [p.target]);
	const data = (columns: Record<string, Column>, file: DatasetFile): CbpeData<ProbabilityInput> => {
		const target = columns[p.target];
		if (multiclass)
			return {
				yPredProba: multiclass.columns.map((c) => numbers(columns[c], file, c)),
				yPred: labels(columns[p.prediction!], multiclass.classes, file, p.prediction!),
				yTrue: target ? labels(target, multiclass.classes, file, p.target) : null
			};
		const probability = numbers(columns[probabilities[0]], file, probabilities[0]);
		const cutoff = p.cutoff ?? 0.5;
		const yPred =
			p.prediction === undefined
				? Float64Array.from(probability, (x) => (Number.isNaN(x) ? NaN : x >= cutoff ? 1 : 0))
				: numbers(columns[p.prediction], file, p.prediction);
		return { yPredProba: probability, yPred, yTrue: target ? numbers(target, file, p.target) : null };
	};
	const reference = data(referenceColumns, input.reference);
	const current = data(currentColumns, input.current);
	const rows = current.yPred.length;
	progress.step(0.5, `estimating ${p.metric}`);
	const chunks = windowChunks(monitor, reference.yPred.length, rows);
	let chunk;
	let needsCalibration;
	try {
		const result = cbpe(reference, current, { metrics: [p.metric], chunks, ...(multiclass ? { classNames: multiclass.classes } : {}) });
		const series = result.metrics[p.metric];
		chunk = series[series.length - 1];
		needsCalibration = result.needs_calibration;
	} catch (error) {
		if (!(error instanceof CbpeInputError)) throw error;
		const probabilityColumn = error.classIndex !== null && multiclass ? multiclass.columns[error.classIndex] : probabilities.join(', ');
		const column = { y_pred_proba: probabilityColumn, y_pred: p.prediction ?? `${probabilities[0]} ≥ cutoff`, y_true: p.target }[error.field ?? 'y_pred'];
		const where = error.period === 'reference' ? describe(input.reference) : describe(input.current);
		throw new ApiError(
			422,
			'invalid_request',
			`monitor ${monitor.name}: ${where}${error.row === null ? '' : `, row ${error.row + 1}`}${error.field ? `, column "${column}"` : ''}: ${error.problem}`
		);
	}
	const labelled = current.yTrue ? countPresent(current.yTrue) : 0;
	const realized = labelled > 0 && Number.isFinite(chunk.realized) ? chunk.realized : null;
	const report: PerformanceMonitorReport = {
		kind: 'performance',
		metric: p.metric,
		rows,
		reference_chunks: chunks.reference.length,
		value: chunk.value,
		sampling_error: chunk.sampling_error,
		upper_confidence_boundary: chunk.upper_confidence_boundary,
		lower_confidence_boundary: chunk.lower_confidence_boundary,
		upper_threshold: chunk.upper_threshold,
		lower_threshold: chunk.lower_threshold,
		alert: chunk.alert,
		needs_calibration: needsCalibration,
		...(multiclass ? { classes: multiclass.classes } : {}),
		realized,
		labelled_rows: labelled
	};
	const bounds = `${chunk.lower_threshold ?? '−∞'} – ${chunk.upper_threshold ?? '∞'}`;
	return chunkedJudgement(report, {
		metrics: {
			[`estimated_${p.metric}`]: chunk.value,
			...(realized === null ? {} : { [`realized_${p.metric}`]: realized }),
			labelled_rows: labelled
		},
		params: {
			metric: p.metric,
			probability: probabilityText(p.probability),
			target: p.target,
			...(p.prediction ? { prediction: p.prediction } : { cutoff: String(p.cutoff ?? 0.5) })
		},
		summary: `estimated ${p.metric} ${chunk.value.toFixed(3)} outside the reference's thresholds ${bounds}`,
		alert: { metric: p.metric, estimated: chunk.value, realized }
	});
};

/** A reference column as a feature: numbers where every present value is one (continuous), else categories. */
function referenceFeature(column: Column): Float64Array | (string | null)[] {
	if (column.type === 'number') return column.values;
	const parsed = Array.from(column.values, (v) => (isMissingString(v) ? NaN : parseNumber(String(v))));
	const numeric = Array.from(column.values).every((v, i) => isMissingString(v) || !Number.isNaN(parsed[i]));
	return numeric ? Float64Array.from(parsed) : Array.from(column.values, (v) => (isMissingString(v) ? null : String(v)));
}

const multivariate: Judge = async (input) => {
	const { monitor, progress } = input;
	const { reference, current, names } = await readFeatures(input);
	const referenceTable: Record<string, FeatureTable[string]> = {};
	const currentTable: Record<string, FeatureTable[string]> = {};
	for (const name of names) {
		const feature = referenceFeature(reference[name]);
		referenceTable[name] = feature;
		// The reference decides the kind, as the pandas dtype does in NannyML.
		currentTable[name] =
			feature instanceof Float64Array
				? numbers(current[name], input.current, name)
				: Array.from(current[name].values as ArrayLike<string | number | null>, (v) => (isMissingString(v as string | null) ? null : String(v)));
	}
	const rows = current[names[0]].values.length;
	progress.step(0.5, 'reconstructing the window');
	let result;
	try {
		result = reconstructionDrift(referenceTable, currentTable, { features: names, chunks: windowChunks(monitor, reference[names[0]].values.length, rows) });
	} catch (error) {
		if (error instanceof MultivariateInputError) {
			const where = error.period === 'reference' ? describe(input.reference) : describe(input.current);
			throw new ApiError(
				422,
				'invalid_request',
				`monitor ${monitor.name}: ${where}${error.row === null ? '' : `, row ${error.row + 1}`}${error.feature === null ? '' : `, column "${error.feature}"`}: ${error.problem}`
			);
		}
		throw error;
	}
	const chunk = result.chunks[result.chunks.length - 1];
	const report: MultivariateMonitorReport = {
		kind: 'multivariate',
		features: names,
		components: result.components,
		rows,
		reference_chunks: result.chunks.length - 1,
		value: chunk.value,
		sampling_error: chunk.sampling_error,
		upper_confidence_boundary: chunk.upper_confidence_boundary,
		lower_confidence_boundary: chunk.lower_confidence_boundary,
		upper_threshold: chunk.upper_threshold,
		lower_threshold: chunk.lower_threshold,
		alert: chunk.alert
	};
	return chunkedJudgement(report, {
		metrics: { reconstruction_error: chunk.value, components: result.components },
		params: { features: names.join(',') },
		summary: `reconstruction error ${chunk.value.toFixed(3)} outside the reference's thresholds ${chunk.lower_threshold ?? '−∞'} – ${chunk.upper_threshold ?? '∞'}`,
		alert: { reconstruction_error: chunk.value }
	});
};

/** The judgement of a kind that judges the window as one chunk: NannyML's alert, its thresholds and confidence band. */
function chunkedJudgement(
	report: PerformanceMonitorReport | MultivariateMonitorReport,
	kind: Pick<Judgement, 'metrics' | 'params' | 'summary'> & { alert: Omit<Judgement['alert'], 'upper_threshold' | 'lower_threshold'> }
): Judgement {
	const bounds = { upper_threshold: report.upper_threshold, lower_threshold: report.lower_threshold };
	return {
		value: report.value,
		...bounds,
		alerted: report.alert,
		report,
		drift: null,
		metrics: {
			...kind.metrics,
			sampling_error: report.sampling_error,
			...(report.upper_threshold === null ? {} : { upper_threshold: report.upper_threshold }),
			...(report.lower_threshold === null ? {} : { lower_threshold: report.lower_threshold }),
			rows: report.rows
		},
		params: kind.params,
		summary: kind.summary,
		alert: { ...kind.alert, ...bounds, rows: report.rows }
	};
}

/** The notebook cell that reruns a kind's analysis on the evaluated window (`reference` and `current` are the notebook's tables). */
type NotebookCell = (monitor: Monitor, evaluation: MonitorEvaluation) => string[];

const fence = (kind: string, fields: (string | false)[]) => ['```' + kind + ' name=' + kind, ...fields.filter((f): f is string => f !== false), '```'];

/** The window as one chunk: the reference in chunks of its rows, as the evaluation judged it. */
const windowChunk = (evaluation: MonitorEvaluation) => (evaluation.report.kind === 'drift' ? false : `chunk: ${evaluation.report.rows} rows`);

const driftCell: NotebookCell = (monitor, evaluation) =>
	fence('drift', [
		'reference: reference',
		'current: current',
		`columns: ${(monitor.columns ?? (evaluation.report.kind === 'drift' ? evaluation.report.columns.map((c) => c.column) : [])).join(', ')}`,
		`method: ${monitor.methods.join(', ')}`,
		monitor.threshold !== null && `threshold: ${monitor.threshold}`
	]);

const performanceCell: NotebookCell = (monitor, evaluation) => {
	const p = monitor.performance!;
	return fence('performance', [
		'reference: reference',
		'analysis: current',
		windowChunk(evaluation),
		`probability: ${probabilityText(p.probability)}`,
		p.prediction !== undefined && `prediction: ${p.prediction}`,
		p.cutoff !== undefined && `cutoff: ${p.cutoff}`,
		`target: ${p.target}`,
		`metrics: ${p.metric}`
	]);
};

const multivariateCell: NotebookCell = (monitor, evaluation) =>
	fence('multivariate', [
		'reference: reference',
		'analysis: current',
		windowChunk(evaluation),
		`features: ${(evaluation.report.kind === 'multivariate' ? evaluation.report.features : (monitor.columns ?? [])).join(', ')}`
	]);

/** Each kind's judge and notebook cell: the one place a kind is looked up. */
export const MONITOR_KIND_HANDLERS: Readonly<Record<MonitorKind, { judge: Judge; notebookCell: NotebookCell }>> = {
	drift: { judge: drift, notebookCell: driftCell },
	performance: { judge: performance, notebookCell: performanceCell },
	multivariate: { judge: multivariate, notebookCell: multivariateCell }
};
