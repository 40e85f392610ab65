/** What a finished champion cell logs as a run, and its summary as a model version's lineage. */
import type { ReportSummary } from '#lib/api/lineage.ts';
import type { SyncMetric } from '#lib/api/sync.ts';
import { jsonArtifact, metricKey, pushMetric, type RunParts } from '#lib/cells/core/runs.ts';
import type { ChampionValue } from './champion';

export function championRun(value: ChampionValue, timestamp: number): RunParts {
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
	return { params, metrics, tags: { 'driftbook.decision': report.verdict.decision }, artifacts: [jsonArtifact('reports/champion.json', { settings, report })] };
}

/** What a champion/challenger comparison decided, as lineage of a registered model version. */
export function championReportSummary(value: ChampionValue, cell: string): ReportSummary {
	const { verdict } = value.report;
	return { text: `${cell}: ${verdict.headline}`, cell, decision: verdict.decision };
}
