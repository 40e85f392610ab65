/**
 * The multivariate cell: multivariate drift per chunk by PCA data reconstruction (as NannyML
 * 0.13.1's DataReconstructionDriftCalculator), in the stats worker. It sees changes in how
 * features move together (a correlation that flips) that per-feature drift tests miss.
 *
 * Fields, besides the tables and chunks of cells/core/chunked.ts:
 *
 *   features: a, b, c     the feature columns: numbers are continuous, anything else categorical
 *
 * Results go to a DuckDB table named after the cell, one row per chunk (cells/core/chunked.ts).
 */
import { tableToIPC } from 'apache-arrow';
import type { CellRunner } from '#lib/cells/core/types.ts';
import { Fields } from '#lib/cells/core/fields.ts';
import { chunkedSources, chunkResultTable, chunkSeries, fieldColumn, onChunkedWorker, readChunkedTables, type ChunkSeries } from '#lib/cells/core/chunked.ts';
import type { MultivariateRequest } from '#lib/workers/protocol.ts';

export interface MultivariateValue {
	reference: string;
	analysis: string;
	chunkLabel: string;
	features: string[];
	/** Principal components kept (65% of the variance). */
	components: number;
	series: ChunkSeries;
	output: { table: string; rows: number };
}

export const multivariateCell: CellRunner = {
	kind: 'multivariate',
	inputs: (cell) => new Fields(cell).referenced(['reference', 'analysis']).filter((n) => n !== cell.name),
	async run(cell, _inputs, services, context): Promise<MultivariateValue> {
		const name = cell.name;
		const fields = new Fields(cell);
		const sources = chunkedSources(fields);
		const features = fields.list('features');
		if (!features || features.length < 2) throw new Error(`cell ${name}, field "features": list at least two feature columns`);
		const db = await services.db();
		const tables = await readChunkedTables(
			db,
			sources,
			(table, schema) => Object.fromEntries(features.map((f) => [f, fieldColumn(fields, 'features', table, schema, f)])),
			name,
			context.signal
		);
		const request: MultivariateRequest = { jobId: crypto.randomUUID(), chunking: sources.chunking, timeColumn: tables.timeColumn, features };
		const { result, times } = await onChunkedWorker(services, context, name, request, tables, (api, r, a, req, progress) =>
			api.multivariateDrift(r, a, req, progress)
		);
		context.signal.throwIfAborted();
		const series = chunkSeries(
			{ metric: 'reconstruction_error', label: 'PCA reconstruction error', unit: 'mean distance, standardised units', valueKind: 'measured' },
			result.chunks,
			times
		);
		const table = chunkResultTable([series]);
		await db.insertArrowIPC(name, tableToIPC(table, 'stream'));
		return {
			reference: sources.reference,
			analysis: sources.analysis,
			chunkLabel: sources.chunkLabel,
			features,
			components: result.components,
			series,
			output: { table: name, rows: table.numRows }
		};
	}
};
