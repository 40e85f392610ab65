/**
 * Univariate drift per chunk, the input of the correlation ranker: each feature of each chunk
 * against the whole reference with one drift method (driftbook's own, `drift-report.ts`: for
 * `jensenshannon`, Sturges bins over the reference for numbers and category shares otherwise), the
 * chunk alerting at the method's fixed threshold (0.1 for distances, as NannyML's default
 * jensen_shannon threshold). NannyML's UnivariateDriftCalculator bins continuous features its own
 * way, so values differ from NannyML's in detail, not in what they follow.
 */

import type { Column } from '#lib/stats/column.ts';
import { driftColumn, type DriftMethod } from '#lib/stats/drift-report.ts';
import { canonicalReference } from '#lib/stats/drift-over-time.ts';
import { columnKind } from '#lib/stats/column-kind.ts';
import type { Steps } from '#lib/stats/progress.ts';
import type { Chunk } from './chunker';

export interface ChunkDrift {
	column: string;
	method: DriftMethod;
	threshold: number | null;
	/** Per chunk; null where the chunk has no value of the feature. */
	values: (number | null)[];
	alerts: boolean[];
}

function chunkRows(column: Column, chunk: Chunk): Column {
	const end = chunk.end_index + 1;
	if (column.type === 'number') return { type: 'number', values: column.values.subarray(chunk.start_index, end) };
	return { type: 'string', values: Array.from({ length: end - chunk.start_index }, (_, i) => column.values[chunk.start_index + i]) };
}

/** Drift of every feature in every chunk of `data`, against the whole `reference`; one step of `steps` per feature and chunk. */
export async function chunkDrift(
	reference: Record<string, Column>,
	data: Record<string, Column>,
	chunks: readonly Chunk[],
	features: readonly string[],
	method: DriftMethod,
	steps?: Steps
): Promise<ChunkDrift[]> {
	const out: ChunkDrift[] = [];
	for (const column of features) {
		const series: ChunkDrift = { column, method, threshold: null, values: [], alerts: [] };
		// Sorted once, not once a chunk.
		const ref = canonicalReference(reference[column], columnKind(reference[column], reference[column]));
		for (const chunk of chunks) {
			let test;
			try {
				test = driftColumn(column, ref, chunkRows(data[column], chunk), { methods: [method] }).tests[0];
			} catch {
				// No values of the feature in this chunk: no statistic, as NannyML's NaN.
				test = undefined;
			}
			series.values.push(test?.statistic ?? null);
			series.alerts.push(test?.drifted ?? false);
			series.threshold ??= test?.threshold ?? null;
			await steps?.advance();
		}
		out.push(series);
	}
	return out;
}
