/**
 * The multivariate drift fixtures written by scripts/fixtures/generate_multivariate_fixtures.py:
 * feature CSVs and NannyML 0.13.1's per-chunk data-reconstruction results for them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FeatureTable } from '#lib/stats/multivariate/index.ts';

export const MULTIVARIATE_DIR = fileURLToPath(new URL('../../../fixtures/stats/multivariate/', import.meta.url));
export const MULTIVARIATE_DATASETS = ['correlation_flip', 'categorical', 'missing_values', 'ten_chunks', 'tied_category'] as const;

export interface NannyChunk {
	key: string;
	chunk_index: number;
	start_index: number;
	end_index: number;
	period: 'reference' | 'analysis';
	value: number | null;
	sampling_error: number | null;
	upper_confidence_boundary: number | null;
	lower_confidence_boundary: number | null;
	upper_threshold: number | null;
	lower_threshold: number | null;
	alert: boolean;
}

export interface MultivariateFixture {
	chunking: { chunk_size?: number; chunk_number?: number };
	features: string[];
	n_components_fitted: number;
	continuous_column_names: string[];
	categorical_column_names: string[];
	results: NannyChunk[];
}

/** A fixture CSV as pandas reads it: a column of numbers (empty = NaN) is numeric, anything else text (empty = missing). */
export function loadTable(name: string, period: 'reference' | 'analysis', dir = MULTIVARIATE_DIR): FeatureTable {
	const lines = readFileSync(`${dir}${name}.${period}.csv`, 'utf8').trimEnd().split('\n');
	const header = lines[0].split(',');
	const cells = lines.slice(1).map((l) => l.split(','));
	const table: Record<string, Float64Array | (string | null)[]> = {};
	header.forEach((h, k) => {
		const raw = cells.map((c) => c[k]);
		const numeric = raw.every((c) => c === '' || Number.isFinite(Number(c)));
		table[h] = numeric ? Float64Array.from(raw, (c) => (c === '' ? NaN : Number(c))) : raw.map((c) => (c === '' ? null : c));
	});
	return table;
}

export function loadFixture(name: string): MultivariateFixture {
	return JSON.parse(readFileSync(`${MULTIVARIATE_DIR}${name}.json`, 'utf8')) as MultivariateFixture;
}
