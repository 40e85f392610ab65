/** What a finished model cell logs as a run: its backend, timing and sizes. */
import { parseFields, type CellSpec } from '#lib/notebook/format.ts';
import type { SyncMetric } from '#lib/api/sync.ts';
import { pushMetric, type RunParts } from '#lib/cells/core/runs.ts';
import type { ModelValue } from './model';

export function modelRun(value: ModelValue, cell: CellSpec, timestamp: number): RunParts {
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
