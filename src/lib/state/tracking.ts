/**
 * What a finished cell becomes as an MLflow run: params, metrics, tags and JSON report
 * artifacts. Pure functions of the cell's value, so the mapping is tested without a browser.
 * What each kind logs is its record's `track`; kinds without one log nothing.
 */
import type { SyncRunInput } from '#lib/api/sync.ts';
import type { CellKinds } from '#lib/cells/core/kinds.ts';
import { pushMetric } from '#lib/cells/core/runs.ts';
import type { CellSpec } from '#lib/notebook/format.ts';
import type { CellState } from '#lib/runtime/runtime.ts';

export interface TrackingContext {
	/** The experiment the notebook's runs go to (its slug). */
	experiment: string;
	notebookTitle: string;
	/** When the cell finished, epoch ms. */
	finishedAt: number;
}

export type RunDraft = Omit<SyncRunInput, 'idempotency_key'>;

/** The run a finished cell logs, or undefined for cells that log nothing (or are not done). */
export function runFromCell(context: TrackingContext, cell: CellSpec, state: CellState | undefined, kinds: CellKinds): RunDraft | undefined {
	const track = kinds.get(cell.kind)?.track;
	if (!state || state.status !== 'done' || !track) return undefined;
	const end = context.finishedAt;
	const start = state.durationMs === undefined ? end : Math.round(end - state.durationMs);
	const parts = track(state.value, cell, end);
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
