import { blobPath } from '#server/blobs/content-addressed.ts';
import { getDataset, type DatasetView } from '#server/datasets/service.ts';
import { ApiError } from '#server/http/errors.ts';
import { currentAliasVersion } from '#server/model-registry/registered-models.ts';
import type { Queryable, Store } from '#server/store/index.ts';
import { createExperiment, getExperimentByName } from '#server/tracking/experiments.ts';
import { createRun, logBatch, updateRun } from '#server/tracking/runs.ts';
import type { MetricInput } from '#server/tracking/metrics.ts';
import { emitEvent, type RollbackOutcome } from '#server/webhooks/events.ts';
import type { DatasetFile, TimeWindow } from './dataset-window';
import { MONITOR_KIND_HANDLERS } from './kinds';
import { beginEvaluation, type ProgressHandle } from './progress';
import { referenceDatasetId } from './reference';
import { rollbackOnAlert, type CanaryRouting } from './rollback';
import { getMonitor, toEvaluation } from './service';
import { predictionsView } from '#server/serving/prediction-log.ts';
import type { Serving } from '#server/serving/service.ts';
import type { Monitor, MonitorEvaluation } from '#lib/contracts/monitors.ts';

/**
 * One evaluation of a monitor: its kind's judgement (kinds.ts: the drift report, CBPE or PCA
 * reconstruction, the libraries of the notebook cells and the CLI) of the current window against
 * the reference, logged as an MLflow run in the experiment `monitors/<model>` with its metrics,
 * stored, and — when the judgement alerts — sent as `monitor.alerted` to webhooks, after rolling
 * the alias back where the monitor's rule opts in. It reports its progress and can be cancelled
 * until it saves (progress.ts).
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

async function experimentId(tx: Queryable, model: string): Promise<string> {
	const name = monitorExperimentName(model);
	const [row] = await tx.query<{ experiment_id: number }>(`SELECT experiment_id FROM mlflow_experiments WHERE name = $1`, [name]);
	if (row) return (await getExperimentByName(tx, name)).experiment_id;
	return createExperiment(tx, { name, tags: [{ key: 'driftbook.monitors', value: model }] });
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

export async function evaluateMonitor(
	deps: MonitorDeps,
	monitorId: string,
	options: { at: number; trigger: 'schedule' | 'manual' }
): Promise<MonitorEvaluation> {
	const { at, trigger } = options;
	const monitor = await getMonitor(deps.store, monitorId);
	const progress = beginEvaluation(monitor, trigger, at);
	try {
		return await judgeAndSave(deps, monitor, progress, options);
	} finally {
		progress.done();
	}
}

async function judgeAndSave(
	deps: MonitorDeps,
	monitor: Monitor,
	progress: ProgressHandle,
	{ at, trigger }: { at: number; trigger: 'schedule' | 'manual' }
): Promise<MonitorEvaluation> {
	const window = windowAt(monitor, at);
	progress.step(0.05, 'finding the reference');
	const [reference, current] = await Promise.all([referenceDatasetId(deps.store, monitor).then((id) => stored(deps, id)), currentDataset(deps, monitor)]);
	const judged = await MONITOR_KIND_HANDLERS[monitor.kind].judge({ monitor, reference, current, window, progress });
	const version = monitor.alias === null ? null : await currentAliasVersion(deps.store, monitor.model_name, monitor.alias);
	// Past this point nothing is cancelled: what follows is saved whole.
	progress.saving();
	let rollback: RollbackOutcome | null = null;
	if (judged.alerted && monitor.rollback && monitor.alias !== null) {
		const reason = `monitor ${monitor.name} alerted: ${judged.summary}`;
		rollback = await rollbackOnAlert(deps.store, { model: monitor.model_name, alias: monitor.alias, reason }, deps.routing);
	}
	const { alerted } = judged;
	return deps.store.transaction(async (tx) => {
		const run = await createRun(tx, {
			experiment_id: await experimentId(tx, monitor.model_name),
			run_name: `${monitor.name} ${new Date(at).toISOString()}`,
			start_time: at,
			tags: [
				{ key: 'driftbook.monitor_id', value: monitor.id },
				{ key: 'driftbook.monitor', value: monitor.name },
				{ key: 'driftbook.monitor_kind', value: monitor.kind },
				{ key: 'driftbook.trigger', value: trigger },
				{ key: 'driftbook.alerted', value: String(alerted) },
				{ key: 'driftbook.model_name', value: monitor.model_name },
				{ key: 'driftbook.reference_dataset_id', value: reference.dataset.id },
				...(version === null ? [] : [{ key: 'driftbook.model_version', value: String(version) }]),
				...(window ? [{ key: 'driftbook.window', value: `${new Date(window.start).toISOString()}/${new Date(window.end).toISOString()}` }] : [])
			]
		});
		const runId = run.info.run_id;
		const metrics: MetricInput[] = Object.entries({ ...judged.metrics, value: judged.value, alert: alerted ? 1 : 0 })
			// MLflow keeps NaN, but a chunk of one row has no sampling error worth logging.
			.filter(([, value]) => Number.isFinite(value))
			.map(([key, value]) => ({ key, value, timestamp: at, step: 0 }));
		await logBatch(tx, runId, { metrics, params: Object.entries(judged.params).map(([key, value]) => ({ key, value })) });
		await updateRun(tx, { run_id: runId, status: 'FINISHED', end_time: at });
		const [row] = await tx.query<Parameters<typeof toEvaluation>[0]>(
			`INSERT INTO monitor_evaluations (reference_dataset_id, monitor_id, kind, run_id, trigger, window_start, window_end, model_version, alerted, value, upper_threshold, lower_threshold,
			   share, drifted_columns, tested_columns, rollback, report, evaluated_at)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING *`,
			[
				reference.dataset.id,
				monitor.id,
				monitor.kind,
				runId,
				trigger,
				window?.start ?? null,
				window?.end ?? null,
				version,
				alerted,
				judged.value,
				judged.upper_threshold,
				judged.lower_threshold,
				judged.drift?.share ?? null,
				judged.drift?.drifted_columns ?? null,
				judged.drift?.tested_columns ?? null,
				rollback === null ? null : JSON.stringify(rollback),
				JSON.stringify(judged.report),
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
					monitor_kind: monitor.kind,
					model_name: monitor.model_name,
					alias: monitor.alias,
					model_version: version === null ? null : String(version),
					run_id: runId,
					evaluation_id: evaluation.id,
					window_start: window ? new Date(window.start).toISOString() : null,
					window_end: window ? new Date(window.end).toISOString() : null,
					value: judged.value,
					...judged.alert,
					rollback
				},
				at
			);
		}
		return evaluation;
	});
}
