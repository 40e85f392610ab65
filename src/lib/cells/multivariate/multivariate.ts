/**
 * The multivariate cell: multivariate drift per chunk, in the stats worker, by either of NannyML
 * 0.13.1's calculators: PCA data reconstruction error (DataReconstructionDriftCalculator) or a
 * domain classifier's cross-validated AUROC (DomainClassifierCalculator, with scikit-learn's
 * gradient boosting: stats/multivariate/domain-classifier.ts). Both see changes in how features
 * move together (a correlation that flips) that per-feature drift tests miss; the classifier also
 * says which features tell the chunks from the reference.
 *
 * Fields, besides the tables and chunks of cells/core/chunked.ts:
 *
 *   features: a, b, c                 the feature columns: numbers are continuous, anything else categorical
 *   method: pca_reconstruction        or domain_classifier (default: pca_reconstruction)
 *
 * Results go to a DuckDB table named after the cell, one row per chunk (cells/core/chunked.ts).
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
import type { MultivariateMethod, MultivariateRequest } from '#lib/workers/protocol.ts';

export const MULTIVARIATE_METHODS: readonly MultivariateMethod[] = ['pca_reconstruction', 'domain_classifier'];

/** One feature's share of the domain classifier's impurity decrease. */
export interface FeatureShare {
	feature: string;
	share: number;
}

interface Common {
	reference: string;
	analysis: string;
	chunkLabel: string;
	features: string[];
	series: ChunkSeries;
	output: { table: string; rows: number };
}

export type MultivariateValue = Common &
	(
		| {
				method: 'pca_reconstruction';
				/** Principal components kept (65% of the variance). */
				components: number;
		  }
		| {
				method: 'domain_classifier';
				/** Mean over the analysis chunks (each the mean over its folds), highest first. */
				importance: FeatureShare[];
				/** Per analysis chunk (its key), each feature's share, mean over the folds, in `features` order. */
				chunkImportance: { key: string; shares: number[] }[];
		  }
	);

const byShare = (shares: Record<string, number>): FeatureShare[] =>
	Object.entries(shares)
		.map(([feature, share]) => ({ feature, share }))
		.sort((a, b) => b.share - a.share || (a.feature < b.feature ? -1 : 1));

export const multivariateCell: CellRunner = {
	kind: 'multivariate',
	inputs: (cell) => new Fields(cell).referenced(['reference', 'analysis']).filter((n) => n !== cell.name),
	async run(cell, _inputs, services, context): Promise<MultivariateValue> {
		const name = cell.name;
		const fields = new Fields(cell);
		const sources = chunkedSources(fields);
		const features = fields.list('features');
		if (!features || features.length < 2) throw new Error(`cell ${name}, field "features": list at least two feature columns`);
		const method = fields.oneOf('method', MULTIVARIATE_METHODS, 'pca_reconstruction');
		const db = await services.db();
		const tables = await readChunkedTables(
			db,
			sources,
			(table, schema) => Object.fromEntries(features.map((f) => [f, fieldColumn(fields, 'features', table, schema, f)])),
			name,
			context.signal
		);
		const request: MultivariateRequest = { jobId: crypto.randomUUID(), method, chunking: sources.chunking, timeColumn: tables.timeColumn, features };
		const { result, times } = await onChunkedWorker(services, context, name, request, tables, (api, r, a, req, progress) =>
			api.multivariateDrift(r, a, req, progress)
		);
		context.signal.throwIfAborted();
		const series =
			result.method === 'pca_reconstruction'
				? chunkSeries(
						{
							metric: 'reconstruction_error',
							label: 'PCA reconstruction error',
							unit: 'mean distance, standardised units',
							valueKind: 'measured',
							thresholdRule: REFERENCE_THRESHOLDS
						},
						result.chunks,
						times
					)
				: chunkSeries(
						{
							metric: 'domain_classifier_auroc',
							label: 'Domain classifier AUROC',
							unit: '0–1',
							valueKind: 'measured',
							thresholdRule: 'constant, NannyML’s defaults'
						},
						result.chunks,
						times
					);
		const table = chunkResultTable([series]);
		await db.insertArrowIPC(name, tableToIPC(table, 'stream'));
		const common: Common = {
			reference: sources.reference,
			analysis: sources.analysis,
			chunkLabel: sources.chunkLabel,
			features,
			series,
			output: { table: name, rows: table.numRows }
		};
		if (result.method === 'pca_reconstruction') return { ...common, method: result.method, components: result.components };
		return {
			...common,
			method: result.method,
			importance: byShare(result.feature_importance),
			chunkImportance: result.chunks.filter((c) => c.period === 'analysis').map((c) => ({ key: c.key, shares: features.map((f) => c.feature_importance[f]) }))
		};
	}
};
