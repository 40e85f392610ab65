/**
 * The performance cell: a binary classifier's performance per chunk estimated without labels
 * (CBPE, as NannyML 0.13.1), with the realized metric where labels have arrived, and which
 * features' drift follows it (NannyML's correlation ranker), in the stats worker.
 *
 * Fields (`key: value` lines), besides the tables and chunks of cells/core/chunked.ts:
 *
 *   probability: churn_probability   the model's probability of class 1
 *   prediction: churn_predicted      its predicted class, 0/1 (or leave it out and set `cutoff`)
 *   cutoff: 0.5                      the class is 1 where probability ≥ cutoff (default 0.5)
 *   target: churned                  the label, 0/1: on every reference row; NULL on analysis
 *                                    rows whose label has not arrived
 *   metrics: roc_auc, accuracy       any of roc_auc, f1, precision, recall, specificity, accuracy
 *                                    (default roc_auc)
 *   features: a, b, c                rank these by how their drift per chunk (Jensen–Shannon
 *                                    against the reference) follows the performance change
 *   rank_metric: accuracy            the metric the ranking follows (default: the first)
 *   rank_by: estimated               estimated (default) or realized values
 *
 * Results go to a DuckDB table named after the cell, one row per metric and chunk (cells/core/chunked.ts).
 */
import { tableToIPC } from 'apache-arrow';
import type { CellRunner } from '#lib/cells/core/types.ts';
import { Fields } from '#lib/cells/core/fields.ts';
import {
	chunkedSources,
	chunkResultTable,
	chunkSeries,
	fieldColumn,
	onChunkedWorker,
	readChunkedTables,
	REFERENCE_THRESHOLDS,
	type ChunkSeries
} from '#lib/cells/core/chunked.ts';
import { CBPE_METRICS, isCbpeMetric, type CbpeMetric } from '#lib/stats/performance/index.ts';
import type { ChunkDrift } from '#lib/stats/chunks/index.ts';
import type { RankedFeature } from '#lib/stats/performance/index.ts';
import type { PerformanceRequest } from '#lib/workers/protocol.ts';

/** The metrics the cell offers: CBPE's, less the confusion matrix (four series, not one metric). */
const METRICS = CBPE_METRICS.filter((m) => m !== 'confusion_matrix');

export const METRIC_LABELS: Record<string, string> = {
	roc_auc: 'ROC AUC',
	f1: 'F1',
	precision: 'Precision',
	recall: 'Recall',
	specificity: 'Specificity',
	accuracy: 'Accuracy'
};

export interface PerformanceValue {
	reference: string;
	analysis: string;
	chunkLabel: string;
	/** Whether CBPE calibrated the probabilities on the reference. */
	calibrated: boolean;
	series: ChunkSeries[];
	ranking: { metric: string; basis: 'estimated' | 'realized'; features: RankedFeature[] } | null;
	/** Each ranked feature's drift per analysis chunk, for the ranking's detail. */
	drift: ChunkDrift[];
	output: { table: string; rows: number };
}

const COLUMNS = { probability: 'y_pred_proba', prediction: 'y_pred', target: 'y_true' } as const;

function metricList(fields: Fields): CbpeMetric[] {
	const names = fields.list('metrics') ?? ['roc_auc'];
	for (const m of names) {
		if (!isCbpeMetric(m) || m === 'confusion_matrix') {
			throw new Error(`cell ${fields.cell.name}, field "metrics": unknown metric "${m}" (any of ${METRICS.join(', ')})`);
		}
	}
	return [...new Set(names)] as CbpeMetric[];
}

export const performanceCell: CellRunner = {
	kind: 'performance',
	inputs: (cell) => new Fields(cell).referenced(['reference', 'analysis']).filter((n) => n !== cell.name),
	async run(cell, _inputs, services, context): Promise<PerformanceValue> {
		const name = cell.name;
		const fields = new Fields(cell);
		const sources = chunkedSources(fields);
		const metrics = metricList(fields);
		const features = fields.list('features') ?? [];
		const rankMetric = fields.optional('rank_metric') ?? metrics[0];
		if (!metrics.includes(rankMetric as CbpeMetric)) {
			throw new Error(`cell ${name}, field "rank_metric": "${rankMetric}" is not among the metrics (${metrics.join(', ')})`);
		}
		const basis = fields.oneOf('rank_by', ['estimated', 'realized'] as const, 'estimated');
		const cutoff = fields.number('cutoff') ?? 0.5;
		const db = await services.db();
		const tables = await readChunkedTables(
			db,
			sources,
			(table, schema) => {
				const probability = fieldColumn(fields, 'probability', table, schema);
				const prediction = fields.optional('prediction') ? fieldColumn(fields, 'prediction', table, schema) : `CAST(${probability} >= ${cutoff} AS INTEGER)`;
				const select: Record<string, string> = {
					[COLUMNS.probability]: probability,
					[COLUMNS.prediction]: prediction,
					[COLUMNS.target]: fieldColumn(fields, 'target', table, schema)
				};
				for (const f of features) select[f] = fieldColumn(fields, 'features', table, schema, f);
				return select;
			},
			name,
			context.signal
		);
		const request: PerformanceRequest = {
			jobId: crypto.randomUUID(),
			chunking: sources.chunking,
			timeColumn: tables.timeColumn,
			columns: COLUMNS,
			metrics,
			features,
			rankBy: { metric: rankMetric as CbpeMetric, basis }
		};
		const result = await onChunkedWorker(services, context, name, request, tables, (api, r, a, req, progress) => api.performanceEstimate(r, a, req, progress));
		context.signal.throwIfAborted();
		const series = metrics.map((m) =>
			chunkSeries(
				{ metric: m, label: METRIC_LABELS[m], unit: '0–1', valueKind: 'estimated', thresholdRule: REFERENCE_THRESHOLDS },
				result.cbpe.metrics[m],
				result.times
			)
		);
		const table = chunkResultTable(series);
		await db.insertArrowIPC(name, tableToIPC(table, 'stream'));
		return {
			reference: sources.reference,
			analysis: sources.analysis,
			chunkLabel: sources.chunkLabel,
			calibrated: result.cbpe.needs_calibration,
			series,
			ranking: result.ranking,
			drift: result.drift,
			output: { table: name, rows: table.numRows }
		};
	}
};
