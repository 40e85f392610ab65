/** What a finished A/B cell logs as a run, and its summary as a model version's lineage. */
import type { ReportSummary } from '#lib/api/lineage.ts';
import type { SyncMetric } from '#lib/api/sync.ts';
import { jsonArtifact, metricKey, pushMetric, type RunParts } from '#lib/cells/core/runs.ts';
import type { AbValue } from './ab';

export function abRun(value: AbValue, timestamp: number): RunParts {
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
		artifacts: [jsonArtifact('reports/ab.json', { settings, report })]
	};
}

/** What an A/B test decided, as lineage of a registered model version. */
export function abReportSummary(value: AbValue, cell: string): ReportSummary {
	const { verdict } = value.report;
	return { text: `${cell}: ${verdict.headline}`, cell, decision: verdict.decision, ...(verdict.variant ? { variant: verdict.variant } : {}) };
}
