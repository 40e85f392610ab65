/** Runs as the experiment page shows them: params, latest metrics and tags as records. */
import { keyValues, metricNumber, type Run } from '#lib/api/tracking.ts';
import { formatNumber, METRIC } from '#lib/format/number.ts';

export interface RunRow {
	id: string;
	name: string;
	status: string;
	start?: number;
	durationMs?: number;
	params: Record<string, string>;
	metrics: Record<string, number>;
	tags: Record<string, string>;
}

export function runRows(runs: readonly Run[]): RunRow[] {
	return runs.map((run) => ({
		id: run.info.run_id,
		name: run.info.run_name,
		status: run.info.status,
		start: run.info.start_time,
		durationMs: run.info.start_time !== undefined && run.info.end_time !== undefined ? run.info.end_time - run.info.start_time : undefined,
		params: keyValues(run.data.params),
		metrics: Object.fromEntries((run.data.metrics ?? []).map((m) => [m.key, metricNumber(m.value)])),
		tags: keyValues(run.data.tags)
	}));
}

/** Keys of a record field over all rows, the most common first (ties by name). */
export function keysByFrequency(rows: readonly RunRow[], field: 'params' | 'metrics'): string[] {
	const counts = new Map<string, number>();
	for (const row of rows) for (const key of Object.keys(row[field])) counts.set(key, (counts.get(key) ?? 0) + 1);
	return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([key]) => key);
}

/** A metric for a table cell: 4 significant digits, exponent form below 1e-3 and from 1e7 on; blank when absent. */
export function formatMetric(value: number | undefined): string {
	return value === undefined ? '' : formatNumber(value, METRIC);
}
