/**
 * What a finished cell becomes as an MLflow run: params, metrics, tags and JSON report
 * artifacts. Pure functions of the cell's value, so the mapping is tested without a browser.
 * Model cells log their backend and timing; drift, A/B and champion cells log their headline
 * numbers as metrics and the whole report as a JSON artifact.
 */
import type { AbValue } from '#lib/cells/ab/ab.ts';
import type { ChampionValue } from '#lib/cells/champion/champion.ts';
import type { DriftValue } from '#lib/cells/drift/drift.ts';
import type { ModelValue } from '#lib/cells/model/model.ts';
import type { SyncArtifact, SyncMetric, SyncRunInput } from '#lib/api/sync.ts';
import { parseFields, type CellSpec } from '#lib/notebook/format.ts';
import type { CellState } from '#lib/runtime/runtime.ts';

/** Cell kinds whose results can be logged as runs. */
export const TRACKED_KINDS = new Set(['model', 'drift', 'ab', 'champion']);

export interface TrackingContext {
	/** The experiment the notebook's runs go to (its slug). */
	experiment: string;
	notebookTitle: string;
	/** When the cell finished, epoch ms. */
	finishedAt: number;
}

export type RunDraft = Omit<SyncRunInput, 'idempotency_key'>;

/** MLflow allows letters, digits, `_ - . : /` and spaces in keys; anything else becomes `_`. */
export function metricKey(...parts: string[]): string {
	return parts
		.map((p) => p.replace(/[^\w\-.: ]/g, '_').replace(/\.\.+/g, '_'))
		.join('.')
		.slice(0, 250);
}

function pushMetric(metrics: SyncMetric[], key: string, value: number | null | undefined, extra: Partial<SyncMetric> = {}): void {
	if (value === null || value === undefined || !Number.isFinite(value)) return;
	metrics.push({ key, value, ...extra });
}

const json = (path: string, value: unknown): SyncArtifact => ({ path, content: JSON.stringify(value, null, 2), content_type: 'application/json' });

function modelRun(value: ModelValue, cell: CellSpec, timestamp: number): Pick<RunDraft, 'params' | 'metrics'> {
	const fields = parseFields(cell.source, cell.name);
	const params: Record<string, string> = {
		model: value.model.name.split('/').pop() ?? value.model.name,
		// As written in the cell (`/models/x.onnx`), not resolved against this page's host.
		model_path: fields.model ?? value.model.name,
		backend: value.backend,
		threads: String(value.model.threads),
		rows: String(value.rows),
		model_bytes: String(value.model.sizeBytes)
	};
	if (fields.input) params.input_table = fields.input;
	if (fields.columns) params.features = String(fields.columns.split(',').filter((c) => c.trim()).length);
	if (value.fallbackReason) params.fallback_reason = value.fallbackReason.slice(0, 500);
	const metrics: SyncMetric[] = [];
	pushMetric(metrics, 'rows_per_second', value.rowsPerSecond, { timestamp });
	pushMetric(metrics, 'inference_ms', value.inferenceMs, { timestamp });
	pushMetric(metrics, 'rows', value.rows, { timestamp });
	return { params, metrics };
}

function driftRun(value: DriftValue, timestamp: number): Pick<RunDraft, 'params' | 'metrics' | 'artifacts' | 'tags'> {
	const { report } = value;
	const params: Record<string, string> = { reference: value.reference.slice(0, 500), current: value.current.slice(0, 500), columns: String(report.columns.length) };
	if (value.settings) {
		params.methods = value.settings.methods.join(', ') || 'auto';
		if (value.settings.threshold !== null) params.threshold = String(value.settings.threshold);
		if (value.settings.window) params.window = value.settings.window;
	}
	const metrics: SyncMetric[] = [];
	pushMetric(metrics, 'drift_share', report.share, { timestamp });
	pushMetric(metrics, 'drifted_columns', report.drifted_columns, { timestamp });
	pushMetric(metrics, 'dataset_drift', report.dataset_drift ? 1 : 0, { timestamp });
	for (const column of report.columns) {
		const test = column.tests[0];
		if (!test) continue;
		pushMetric(metrics, metricKey('drift', column.column, 'statistic'), test.statistic, { timestamp });
		pushMetric(metrics, metricKey('drift', column.column, 'p_value'), test.p_value, { timestamp });
	}
	// Drift over time: the share of drifted columns per current window, as the metric's history.
	const overTime = value.analysis?.over_time;
	if (overTime) {
		overTime.windows.forEach((window, i) => {
			if (window.period !== 'current') return;
			const flags = overTime.columns.map((c) => c.values[i]?.drifted).filter((d): d is boolean => d !== null && d !== undefined);
			if (flags.length === 0) return;
			pushMetric(metrics, 'window_drift_share', flags.filter(Boolean).length / flags.length, { step: window.period_index, timestamp: window.start ?? timestamp });
		});
	}
	return {
		params,
		metrics,
		tags: { 'driftbook.dataset_drift': String(report.dataset_drift) },
		artifacts: [json('reports/drift.json', { reference: value.reference, current: value.current, settings: value.settings, report, analysis: value.analysis })]
	};
}

function abRun(value: AbValue, timestamp: number): Pick<RunDraft, 'params' | 'metrics' | 'artifacts' | 'tags'> {
	const { report, settings } = value;
	const params: Record<string, string> = {
		table: settings.table,
		group: settings.group,
		metric: settings.metric,
		test: report.test,
		control: report.control,
		alpha: String(report.alpha),
		better: report.better
	};
	if (report.correction) params.correction = report.correction;
	const metrics: SyncMetric[] = [];
	pushMetric(metrics, 'srm_p_value', report.srm.p_value, { timestamp });
	for (const v of report.variants) {
		pushMetric(metrics, metricKey('ab', v.variant, 'difference'), v.difference, { timestamp });
		pushMetric(metrics, metricKey('ab', v.variant, 'relative_lift'), v.relative_lift, { timestamp });
		pushMetric(metrics, metricKey('ab', v.variant, 'p_value'), v.p_value_adjusted ?? v.p_value, { timestamp });
		pushMetric(metrics, metricKey('ab', v.variant, 'prob_to_beat'), v.prob_to_beat, { timestamp });
		pushMetric(metrics, metricKey('ab', v.variant, 'n'), v.n, { timestamp });
	}
	return {
		params,
		metrics,
		tags: { 'driftbook.decision': report.verdict.decision, ...(report.verdict.variant ? { 'driftbook.ship_variant': report.verdict.variant } : {}) },
		artifacts: [json('reports/ab.json', { settings, report })]
	};
}

function championRun(value: ChampionValue, timestamp: number): Pick<RunDraft, 'params' | 'metrics' | 'artifacts' | 'tags'> {
	const { report, settings } = value;
	const params: Record<string, string> = {
		table: settings.table,
		label: settings.label,
		champion: settings.champion,
		challenger: settings.challenger,
		task: report.task,
		primary_metric: report.primary,
		alpha: String(report.alpha)
	};
	const metrics: SyncMetric[] = [];
	for (const m of report.metrics) {
		pushMetric(metrics, metricKey('champion', m.metric), m.champion, { timestamp });
		pushMetric(metrics, metricKey('challenger', m.metric), m.challenger, { timestamp });
		pushMetric(metrics, metricKey('difference', m.metric), m.difference, { timestamp });
		pushMetric(metrics, metricKey('p_value', m.metric), m.p_value, { timestamp });
	}
	pushMetric(metrics, 'agreement_rate', report.agreement.rate, { timestamp });
	return { params, metrics, tags: { 'driftbook.decision': report.verdict.decision }, artifacts: [json('reports/champion.json', { settings, report })] };
}

/** The run a finished cell logs, or undefined for cells that log nothing (or are not done). */
export function runFromCell(context: TrackingContext, cell: CellSpec, state: CellState | undefined): RunDraft | undefined {
	if (!state || state.status !== 'done' || !TRACKED_KINDS.has(cell.kind)) return undefined;
	const end = context.finishedAt;
	const start = state.durationMs === undefined ? end : Math.round(end - state.durationMs);
	let parts: Pick<RunDraft, 'params' | 'metrics' | 'artifacts' | 'tags'>;
	if (cell.kind === 'model') parts = modelRun(state.value as ModelValue, cell, end);
	else if (cell.kind === 'drift') parts = driftRun(state.value as DriftValue, end);
	else if (cell.kind === 'ab') parts = abRun(state.value as AbValue, end);
	else parts = championRun(state.value as ChampionValue, end);
	const metrics = [...(parts.metrics ?? [])];
	pushMetric(metrics, 'cell_ms', state.durationMs, { timestamp: end });
	return {
		experiment_name: context.experiment,
		run_name: `${cell.name} · ${new Date(end).toISOString().slice(0, 19).replace('T', ' ')} UTC`,
		start_time: start,
		end_time: end,
		status: 'FINISHED',
		params: parts.params,
		metrics,
		tags: {
			...parts.tags,
			'mlflow.source.type': 'NOTEBOOK',
			'mlflow.source.name': context.experiment,
			'driftbook.notebook': context.notebookTitle,
			'driftbook.cell': cell.name,
			'driftbook.cell_kind': cell.kind
		},
		artifacts: parts.artifacts
	};
}
