import { blobPath } from '#server/blobs/content-addressed.ts';
import { getDataset, type DatasetView } from '#server/datasets/service.ts';
import { ApiError } from '#server/http/errors.ts';
import { currentAliasVersion } from '#server/model-registry/registered-models.ts';
import type { Queryable, Store } from '#server/store/index.ts';
import { createExperiment, getExperimentByName } from '#server/tracking/experiments.ts';
import { createRun, logBatch, updateRun } from '#server/tracking/runs.ts';
import type { MetricInput } from '#server/tracking/metrics.ts';
import { emitEvent, type RollbackOutcome } from '#server/webhooks/events.ts';
import { readDatasetColumns, type DatasetFile, type TimeWindow } from './dataset-window';
import { rollbackOnAlert, type CanaryRouting } from './rollback';
import { getMonitor, toEvaluation } from './service';
import { predictionsView } from '#server/serving/prediction-log.ts';
import type { Serving } from '#server/serving/service.ts';
import { driftReport, type DriftReport } from '#lib/stats/index.ts';
import type { Monitor, MonitorEvaluation } from '#lib/contracts/monitors.ts';

/**
 * One evaluation of a monitor: the drift report (the drift cell's and the CLI's library) of the
 * current window against the reference, logged as an MLflow run in the experiment
 * `monitors/<model>` with its metrics, stored, and — when the share of drifted columns reaches
 * the monitor's alert_share — sent as `monitor.alerted` to webhooks, after rolling the alias
 * back where the monitor's rule opts in.
 */

export interface MonitorDeps {
	store: Store;
	/** Where dataset files are (the blob root). */
	artifactRoot: string;
	/** The views a current dataset may be named in (the prediction log's `predictions/`). */
	views?: readonly DatasetView[];
	/** Serving's routing rules: a rolled-back canary alias stops getting traffic. */
	routing?: CanaryRouting;
}

/** What monitors take from serving: its prediction log as the view `predictions/<model>`, its routing rules for rollbacks. */
export function servingMonitorDeps(serving: Serving): Pick<MonitorDeps, 'views' | 'routing'> {
	return { views: [predictionsView(serving.log)], routing: serving.rules };
}

export const monitorExperimentName = (model: string) => `monitors/${model}`;

// MLflow metric keys allow letters, digits and _ - . / space :; other characters in a column name become _.
const metricKey = (text: string) => text.replace(/[^/\p{L}\p{N}_.\- :]/gu, '_');

async function experimentId(tx: Queryable, model: string): Promise<string> {
	const name = monitorExperimentName(model);
	const [row] = await tx.query<{ experiment_id: number }>(`SELECT experiment_id FROM mlflow_experiments WHERE name = $1`, [name]);
	if (row) return (await getExperimentByName(tx, name)).experiment_id;
	return createExperiment(tx, { name, tags: [{ key: 'driftbook.monitors', value: model }] });
}

function metrics(report: DriftReport, alerted: boolean, at: number): MetricInput[] {
	const of = (key: string, value: number): MetricInput => ({ key, value, timestamp: at, step: 0 });
	const out = [
		of('drift_share', report.share),
		of('drifted_columns', report.drifted_columns),
		of('tested_columns', report.tested_columns),
		of('alert', alerted ? 1 : 0)
	];
	for (const c of report.columns) {
		const test = c.tests[0];
		if (!test) continue;
		const key = metricKey(c.column);
		out.push(of(`${key}.statistic`, test.statistic), of(`${key}.drifted`, c.drifted ? 1 : 0));
		if (test.p_value !== null) out.push(of(`${key}.p_value`, test.p_value));
	}
	return out;
}

/** The window an evaluation at `at` reads, or none when the monitor reads the whole current dataset. */
export function windowAt(monitor: Monitor, at: number): TimeWindow | undefined {
	if (monitor.time_column === null || monitor.window_seconds === null) return undefined;
	return { column: monitor.time_column, start: at - monitor.window_seconds * 1000, end: at };
}

async function stored(deps: MonitorDeps, id: string): Promise<DatasetFile> {
	const dataset = await getDataset(deps.store, id);
	return { dataset, file: blobPath(deps.artifactRoot, dataset.sha256) };
}

/** The monitor's current data now: its stored version, or what its view makes of the newest rows. */
async function currentDataset(deps: MonitorDeps, monitor: Monitor): Promise<DatasetFile> {
	if (monitor.current_dataset_id !== null) return stored(deps, monitor.current_dataset_id);
	const name = monitor.current_dataset_name!;
	const view = deps.views?.find((v) => name.startsWith(v.prefix));
	if (!view) throw new ApiError(422, 'unsupported', `monitor ${monitor.name}: no dataset view serves ${name} in this server`);
	const made = await view.describe(name);
	if (!made) throw new ApiError(409, 'empty_window', `monitor ${monitor.name}: ${name} has no rows yet (nothing was scored and logged)`);
	return made;
}

async function report(deps: MonitorDeps, monitor: Monitor, window: TimeWindow | undefined): Promise<DriftReport> {
	const [referenceFile, currentFile] = await Promise.all([stored(deps, monitor.reference_dataset_id), currentDataset(deps, monitor)]);
	const current = currentFile.dataset;
	const columns = monitor.columns ?? undefined;
	const referenceColumns = await readDatasetColumns(referenceFile, { columns, exclude: monitor.time_column ?? undefined });
	const currentColumns = await readDatasetColumns(currentFile, {
		// Without named columns a prediction log is read for the reference's: its features, not its bookkeeping.
		columns: columns ?? (monitor.current_dataset_name === null ? undefined : Object.keys(referenceColumns)),
		window,
		routes: monitor.current_routes ?? undefined
	});
	const rows = Object.values(currentColumns)[0]?.values.length ?? 0;
	if (rows === 0) {
		const span = window ? ` between ${new Date(window.start).toISOString()} and ${new Date(window.end).toISOString()}` : '';
		throw new ApiError(409, 'empty_window', `monitor ${monitor.name}: dataset ${current.name} v${current.version} has no rows${span}`);
	}
	try {
		return driftReport(referenceColumns, currentColumns, {
			columns: columns ?? Object.keys(referenceColumns),
			methods: monitor.methods,
			threshold: monitor.threshold ?? undefined
		});
	} catch (error) {
		throw new ApiError(422, 'invalid_request', `monitor ${monitor.name}: ${(error as Error).message}`);
	}
}

export async function evaluateMonitor(
	deps: MonitorDeps,
	monitorId: string,
	options: { at: number; trigger: 'schedule' | 'manual' }
): Promise<MonitorEvaluation> {
	const { at, trigger } = options;
	const monitor = await getMonitor(deps.store, monitorId);
	const window = windowAt(monitor, at);
	const drift = await report(deps, monitor, window);
	const alerted = drift.tested_columns > 0 && drift.share >= monitor.alert_share;
	const version = monitor.alias === null ? null : await currentAliasVersion(deps.store, monitor.model_name, monitor.alias);
	let rollback: RollbackOutcome | null = null;
	if (alerted && monitor.rollback && monitor.alias !== null) {
		const reason = `monitor ${monitor.name} alerted: ${drift.drifted_columns} of ${drift.tested_columns} columns drifted (share ${drift.share.toFixed(3)} ≥ ${monitor.alert_share})`;
		rollback = await rollbackOnAlert(deps.store, { model: monitor.model_name, alias: monitor.alias, reason }, deps.routing);
	}
	return deps.store.transaction(async (tx) => {
		const run = await createRun(tx, {
			experiment_id: await experimentId(tx, monitor.model_name),
			run_name: `${monitor.name} ${new Date(at).toISOString()}`,
			start_time: at,
			tags: [
				{ key: 'driftbook.monitor_id', value: monitor.id },
				{ key: 'driftbook.monitor', value: monitor.name },
				{ key: 'driftbook.trigger', value: trigger },
				{ key: 'driftbook.alerted', value: String(alerted) },
				{ key: 'driftbook.model_name', value: monitor.model_name },
				...(version === null ? [] : [{ key: 'driftbook.model_version', value: String(version) }]),
				...(window ? [{ key: 'driftbook.window', value: `${new Date(window.start).toISOString()}/${new Date(window.end).toISOString()}` }] : [])
			]
		});
		const runId = run.info.run_id;
		await logBatch(tx, runId, {
			metrics: metrics(drift, alerted, at),
			params: [
				{ key: 'methods', value: monitor.methods.join(',') },
				{ key: 'alert_share', value: String(monitor.alert_share) },
				...(monitor.threshold === null ? [] : [{ key: 'threshold', value: String(monitor.threshold) }])
			]
		});
		await updateRun(tx, { run_id: runId, status: 'FINISHED', end_time: at });
		const [row] = await tx.query<Parameters<typeof toEvaluation>[0]>(
			`INSERT INTO monitor_evaluations (monitor_id, run_id, trigger, window_start, window_end, model_version, alerted, share, drifted_columns, tested_columns, rollback, report, evaluated_at)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING *`,
			[
				monitor.id,
				runId,
				trigger,
				window?.start ?? null,
				window?.end ?? null,
				version,
				alerted,
				drift.share,
				drift.drifted_columns,
				drift.tested_columns,
				rollback === null ? null : JSON.stringify(rollback),
				JSON.stringify(drift),
				at
			]
		);
		const evaluation = toEvaluation(row);
		if (alerted) {
			await emitEvent(
				tx,
				'monitor.alerted',
				{
					monitor_id: monitor.id,
					monitor_name: monitor.name,
					model_name: monitor.model_name,
					alias: monitor.alias,
					model_version: version === null ? null : String(version),
					run_id: runId,
					evaluation_id: evaluation.id,
					window_start: window ? new Date(window.start).toISOString() : null,
					window_end: window ? new Date(window.end).toISOString() : null,
					share: drift.share,
					alert_share: monitor.alert_share,
					drifted_columns: drift.columns.filter((c) => c.drifted).map((c) => c.column),
					tested_columns: drift.tested_columns,
					rollback
				},
				at
			);
		}
		return evaluation;
	});
}
