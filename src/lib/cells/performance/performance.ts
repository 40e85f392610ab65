/**
 * The performance cell: a classifier's performance per chunk estimated without labels (CBPE, as
 * NannyML 0.13.1), binary or multiclass, with the realized metric where labels have arrived, and
 * which features' drift follows it (NannyML's correlation ranker), in the stats worker.
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
 *
 * Multiclass: `probability: cat=p_cat, dog=p_dog, fox=p_fox` names each class's probability
 * column (as `driftbook estimate --y-pred-proba`); `prediction` (required) and `target` then hold
 * the class labels. Metrics are NannyML's macro averages, and `confusion_matrix` may be listed
 * too: the expected count of every (true class, predicted class) cell per chunk, shown as a matrix.
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
import {
	CBPE_METRICS,
	confusionCellName,
	isCbpeMetric,
	isClassMapping,
	MULTICLASS_CBPE_METRICS,
	parseClassColumns,
	type CbpeMetric,
	type CbpeResult,
	type ClassColumns
} from '#lib/stats/performance/index.ts';
import type { ChunkDrift } from '#lib/stats/chunks/index.ts';
import type { RankedFeature } from '#lib/stats/performance/index.ts';
import type { ChunkTimes, PerformanceRequest } from '#lib/workers/protocol.ts';

/** The binary metrics the cell offers: CBPE's, less the confusion matrix (four series, not one metric). */
const BINARY_METRICS = CBPE_METRICS.filter((m) => m !== 'confusion_matrix');

export const METRIC_LABELS: Record<string, string> = {
	roc_auc: 'ROC AUC',
	f1: 'F1',
	precision: 'Precision',
	recall: 'Recall',
	specificity: 'Specificity',
	accuracy: 'Accuracy'
};

/** The estimated confusion matrix per chunk: `cells[i][j]` is true class i predicted as class j. */
export interface ConfusionMatrix {
	classes: string[];
	cells: ChunkSeries[][];
}

export interface PerformanceValue {
	reference: string;
	analysis: string;
	chunkLabel: string;
	/** Whether CBPE calibrated the probabilities on the reference (multiclass: any class). */
	calibrated: boolean;
	/** Multiclass: the classes (NannyML's order) and which of them were calibrated; null for binary. */
	classes: { names: string[]; calibrated: boolean[] } | null;
	/** One series per metric (the confusion matrix is in `confusion`). */
	series: ChunkSeries[];
	confusion: ConfusionMatrix | null;
	ranking: { metric: string; basis: 'estimated' | 'realized'; features: RankedFeature[] } | null;
	/** Each ranked feature's drift per analysis chunk, for the ranking's detail. */
	drift: ChunkDrift[];
	output: { table: string; rows: number };
}

const COLUMNS = { probability: 'y_pred_proba', prediction: 'y_pred', target: 'y_true' } as const;

function metricList(fields: Fields, multiclass: boolean): CbpeMetric[] {
	const offered: readonly CbpeMetric[] = multiclass ? MULTICLASS_CBPE_METRICS : BINARY_METRICS;
	const names = fields.list('metrics') ?? ['roc_auc'];
	for (const m of names) {
		if (!isCbpeMetric(m) || !offered.includes(m)) {
			const hint = m === 'confusion_matrix' ? ' (confusion_matrix: multiclass only)' : '';
			throw new Error(`cell ${fields.cell.name}, field "metrics": unknown metric "${m}" (any of ${offered.join(', ')})${hint}`);
		}
	}
	return [...new Set(names)] as CbpeMetric[];
}

/** `probability`: one column (binary) or CLASS=COLUMN for every class (multiclass). */
function classColumns(fields: Fields): ClassColumns | null {
	const text = fields.required('probability');
	if (!isClassMapping(text)) return null;
	try {
		return parseClassColumns(text);
	} catch (error) {
		throw new Error(`cell ${fields.cell.name}, field "probability": ${(error as Error).message}`, { cause: error });
	}
}

/** The series of the result: one per metric, and the confusion matrix's cells as a matrix. */
function resultSeries(metrics: readonly CbpeMetric[], cbpe: CbpeResult, times: readonly ChunkTimes[], classes: string[] | null) {
	const series = metrics
		.filter((m) => m !== 'confusion_matrix')
		.map((m) =>
			chunkSeries({ metric: m, label: METRIC_LABELS[m], unit: '0–1', valueKind: 'estimated', thresholdRule: REFERENCE_THRESHOLDS }, cbpe.metrics[m], times)
		);
	const confusion =
		classes && metrics.includes('confusion_matrix')
			? {
					classes,
					cells: classes.map((truth) =>
						classes.map((predicted) => {
							const metric = confusionCellName(truth, predicted);
							const label = `true ${truth}, predicted ${predicted}`;
							return chunkSeries(
								{ metric, label, unit: 'expected rows', valueKind: 'estimated', thresholdRule: REFERENCE_THRESHOLDS },
								cbpe.metrics[metric],
								times
							);
						})
					)
				}
			: null;
	return { series, confusion };
}

export const performanceCell: CellRunner = {
	kind: 'performance',
	inputs: (cell) => new Fields(cell).referenced(['reference', 'analysis']).filter((n) => n !== cell.name),
	async run(cell, _inputs, services, context): Promise<PerformanceValue> {
		const name = cell.name;
		const fields = new Fields(cell);
		const sources = chunkedSources(fields);
		const multiclass = classColumns(fields);
		if (multiclass && !fields.optional('prediction'))
			throw new Error(`cell ${name}, field "prediction": is required with one probability column per class (the column of predicted class labels)`);
		if (multiclass && fields.optional('cutoff') !== undefined)
			throw new Error(`cell ${name}, field "cutoff": applies to one probability column (binary); multiclass needs "prediction"`);
		const metrics = metricList(fields, multiclass !== null);
		const features = fields.list('features') ?? [];
		const rankMetric = fields.optional('rank_metric') ?? metrics.find((m) => m !== 'confusion_matrix') ?? metrics[0];
		if (!metrics.includes(rankMetric as CbpeMetric) || rankMetric === 'confusion_matrix') {
			throw new Error(`cell ${name}, field "rank_metric": "${rankMetric}" is not among the metrics (${metrics.join(', ')})`);
		}
		const basis = fields.oneOf('rank_by', ['estimated', 'realized'] as const, 'estimated');
		const cutoff = fields.number('cutoff') ?? 0.5;
		const db = await services.db();
		const tables = await readChunkedTables(
			db,
			sources,
			(table, schema) => {
				const select: Record<string, string> = {};
				if (multiclass) {
					multiclass.columns.forEach((c, k) => (select[`${COLUMNS.probability}_${k}`] = fieldColumn(fields, 'probability', table, schema, c)));
					select[COLUMNS.prediction] = fieldColumn(fields, 'prediction', table, schema);
				} else {
					const probability = fieldColumn(fields, 'probability', table, schema);
					select[COLUMNS.probability] = probability;
					select[COLUMNS.prediction] = fields.optional('prediction')
						? fieldColumn(fields, 'prediction', table, schema)
						: `CAST(${probability} >= ${cutoff} AS INTEGER)`;
				}
				select[COLUMNS.target] = fieldColumn(fields, 'target', table, schema);
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
			columns: multiclass ? { ...COLUMNS, probability: multiclass.classes.map((_, k) => `${COLUMNS.probability}_${k}`) } : COLUMNS,
			...(multiclass ? { classes: multiclass.classes } : {}),
			metrics,
			features,
			rankBy: { metric: rankMetric as CbpeMetric, basis }
		};
		const result = await onChunkedWorker(services, context, name, request, tables, (api, r, a, req, progress) => api.performanceEstimate(r, a, req, progress));
		context.signal.throwIfAborted();
		const { series, confusion } = resultSeries(metrics, result.cbpe, result.times, multiclass?.classes ?? null);
		const table = chunkResultTable([...series, ...(confusion?.cells.flat() ?? [])]);
		await db.insertArrowIPC(name, tableToIPC(table, 'stream'));
		return {
			reference: sources.reference,
			analysis: sources.analysis,
			chunkLabel: sources.chunkLabel,
			calibrated: result.cbpe.needs_calibration,
			classes: multiclass ? { names: multiclass.classes, calibrated: result.cbpe.class_calibration ?? [] } : null,
			series,
			confusion,
			ranking: result.ranking,
			drift: result.drift,
			output: { table: name, rows: table.numRows }
		};
	}
};
