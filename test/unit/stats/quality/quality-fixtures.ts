/**
 * The data-quality fixtures written by scripts/fixtures/generate_quality_fixtures.py: CSVs and
 * NannyML 0.13.1's per-chunk results of its missing-value, unseen-value and numerical-range
 * calculators on them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Column } from '#lib/stats/column.ts';

export const QUALITY_DIR = fileURLToPath(new URL('../../../fixtures/stats/quality/', import.meta.url));
export const QUALITY_DATASETS = ['injected', 'counts', 'thresholds'] as const;
export const CALCULATORS = ['missing', 'unseen', 'range'] as const;

export interface NannyQualityChunk {
	key: string;
	chunk_index: number;
	start_index: number;
	end_index: number;
	period: 'reference' | 'analysis';
	value: number;
	sampling_error?: number;
	upper_confidence_boundary?: number;
	lower_confidence_boundary?: number;
	upper_threshold: number | null;
	lower_threshold: number | null;
	alert: boolean;
}

export interface NannyCalculatorRun {
	settings: {
		column_names: string[];
		normalize?: boolean;
		threshold?:
			['constant', { lower: number | null; upper: number | null }] | ['standard_deviation', { std_lower_multiplier: number; std_upper_multiplier: number }];
	};
	metric: string;
	results: Record<string, NannyQualityChunk[]>;
}

export interface QualityFixture {
	chunking: { chunk_size?: number; chunk_number?: number };
	calculators: Record<(typeof CALCULATORS)[number], NannyCalculatorRun>;
}

/** A fixture CSV as pandas reads it: a column of numbers (empty = NaN) is numeric, anything else text (empty = missing). */
export function loadColumns(name: string, period: 'reference' | 'analysis'): Record<string, Column> {
	const lines = readFileSync(`${QUALITY_DIR}${name}.${period}.csv`, 'utf8').trimEnd().split('\n');
	const header = lines[0].split(',');
	const cells = lines.slice(1).map((l) => l.split(','));
	const table: Record<string, Column> = {};
	header.forEach((h, k) => {
		const raw = cells.map((c) => c[k]);
		const numeric = raw.every((c) => c === '' || Number.isFinite(Number(c)));
		table[h] = numeric
			? { type: 'number', values: Float64Array.from(raw, (c) => (c === '' ? NaN : Number(c))) }
			: { type: 'string', values: raw.map((c) => (c === '' ? null : c)) };
	});
	return table;
}

export function loadFixture(name: string): QualityFixture {
	return JSON.parse(readFileSync(`${QUALITY_DIR}${name}.json`, 'utf8')) as QualityFixture;
}
