/** What a finished drift cell logs as a run, and its summary as a model version's lineage. */
import type { ReportSummary } from '#lib/api/lineage.ts';
import type { SyncMetric } from '#lib/api/sync.ts';
import { jsonArtifact, metricKey, pushMetric, type RunParts } from '#lib/cells/core/runs.ts';
import type { DriftValue } from './drift';

export function driftRun(value: DriftValue, timestamp: number): RunParts {
	const { report } = value;
	const params: Record<string, string> = {
		reference: value.reference.slice(0, 500),
		current: value.current.slice(0, 500),
		columns: String(report.columns.length)
	};
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
			pushMetric(metrics, 'window_drift_share', flags.filter(Boolean).length / flags.length, {
				step: window.period_index,
				timestamp: window.start ?? timestamp
			});
		});
	}
	return {
		params,
		metrics,
		tags: { 'driftbook.dataset_drift': String(report.dataset_drift) },
		artifacts: [
			jsonArtifact('reports/drift.json', { reference: value.reference, current: value.current, settings: value.settings, report, analysis: value.analysis })
		]
	};
}

/** What a drift report found, as lineage of a registered model version. */
export function driftReportSummary(value: DriftValue, cell: string): ReportSummary {
	const { report } = value;
	return {
		text: `${cell}: ${report.drifted_columns} of ${report.columns.length} columns drifted (share ${report.share.toFixed(2)})${report.dataset_drift ? ', dataset drift' : ''}`,
		cell,
		drift_share: report.share,
		drifted_columns: report.drifted_columns,
		columns: report.columns.length,
		dataset_drift: report.dataset_drift
	};
}
