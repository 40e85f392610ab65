/**
 * The CBPE fixtures written by scripts/fixtures/generate_cbpe_fixtures.py: model outputs as CSV
 * and NannyML 0.13.1's per-chunk results for them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import type { CbpeChunkResult, CbpeData, CbpeResult } from '#lib/stats/performance/index.ts';
import { expectClose } from '../fixtures';

export const CBPE_DIR = fileURLToPath(new URL('../../../fixtures/stats/cbpe/', import.meta.url));

export const CBPE_DATASETS = [
	'miscalibrated_shift',
	'calibrated',
	'incomplete_no_labels',
	'tied_scores',
	'imbalanced',
	'majority_positive',
	'lowest_score_positive',
	'missing_values'
] as const;

export interface NannyChunk {
	key: string;
	chunk_index: number;
	start_index: number;
	end_index: number;
	period: 'reference' | 'analysis';
	value: number | null;
	sampling_error: number | null;
	realized: number | null;
	/** "inf" / "-inf": NannyML's multiclass confusion matrix bounds a NaN estimate's band by ±∞. */
	upper_confidence_boundary: number | null | 'inf';
	lower_confidence_boundary: number | null | '-inf';
	upper_threshold: number | null;
	lower_threshold: number | null;
	alert: boolean | null;
}

export interface CbpeFixture {
	chunking: { chunk_size?: number; chunk_number?: number };
	metrics: string[];
	analysis_has_y_true: boolean;
	needs_calibration: boolean;
	cbpe: Record<string, NannyChunk[]>;
}

export function loadCbpeFixture(name: string): CbpeFixture {
	return JSON.parse(readFileSync(`${CBPE_DIR}${name}.json`, 'utf8')) as CbpeFixture;
}

/** A fixture CSV (numbers, empty = missing) as model-output columns. */
export function loadCbpeData(name: string, period: 'reference' | 'analysis'): CbpeData {
	const lines = readFileSync(`${CBPE_DIR}${name}.${period}.csv`, 'utf8').trimEnd().split('\n');
	const header = lines[0].split(',');
	const columns = header.map(() => new Float64Array(lines.length - 1));
	for (let r = 1; r < lines.length; r++) {
		const cells = lines[r].split(',');
		cells.forEach((c, k) => (columns[k][r - 1] = c === '' ? NaN : Number(c)));
	}
	const col = (name: string) => {
		const k = header.indexOf(name);
		return k < 0 ? null : columns[k];
	};
	return { yPredProba: col('y_pred_proba') as Float64Array, yPred: col('y_pred') as Float64Array, yTrue: col('y_true') };
}

export const MULTICLASS_CBPE_DATASETS = [
	'multiclass_overconfident_shift',
	'multiclass_calibrated_partial_labels',
	'multiclass_rare_class_no_labels',
	'multiclass_tied_rare_chunks',
	'multiclass_cm_prior_shift',
	'multiclass_cm_calibrated_missing_predictions',
	'multiclass_cm_underconfident_no_labels'
] as const;

export interface MulticlassCbpeFixture extends Omit<CbpeFixture, 'needs_calibration'> {
	y_pred_proba: Record<string, string>;
	needs_calibration: Record<string, boolean>;
}

export function loadMulticlassCbpeFixture(name: string): MulticlassCbpeFixture {
	return JSON.parse(readFileSync(`${CBPE_DIR}${name}.json`, 'utf8')) as MulticlassCbpeFixture;
}

/** A multiclass fixture CSV: labels as class indices into the sorted class names, one probability column per class. */
export function loadMulticlassCbpeData(name: string, period: 'reference' | 'analysis', mapping: Record<string, string>): CbpeData<Float64Array[]> {
	const lines = readFileSync(`${CBPE_DIR}${name}.${period}.csv`, 'utf8').trimEnd().split('\n');
	const header = lines[0].split(',');
	const rows = lines.slice(1).map((l) => l.split(','));
	const classes = Object.keys(mapping).sort();
	const index = (label: string) => (label === '' ? NaN : classes.indexOf(label));
	const labels = (column: string) => {
		const k = header.indexOf(column);
		return k < 0 ? null : Float64Array.from(rows, (r) => index(r[k]));
	};
	const numbers = (column: string) => {
		const k = header.indexOf(column);
		return Float64Array.from(rows, (r) => (r[k] === '' ? NaN : Number(r[k])));
	};
	return { yPredProba: classes.map((c) => numbers(mapping[c])), yPred: labels('y_pred') as Float64Array, yTrue: labels('y_true') };
}

const NUMBERS = [
	'value',
	'sampling_error',
	'realized',
	'upper_confidence_boundary',
	'lower_confidence_boundary',
	'upper_threshold',
	'lower_threshold'
] as const satisfies readonly (keyof NannyChunk & keyof CbpeChunkResult)[];

/**
 * Tests (inside a describe) that a CBPE result has NannyML's series and chunks, and every numeric
 * field of every chunk to `tolerance` relative (NaN where NannyML has NaN), and its alerts.
 */
export function itMatchesNannyml(result: CbpeResult, expectedMetrics: Record<string, NannyChunk[]>, tolerance: number): void {
	it('reports the same series and chunks', () => {
		expect(Object.keys(result.metrics)).toEqual(Object.keys(expectedMetrics));
		for (const [metric, expected] of Object.entries(expectedMetrics)) {
			const got = result.metrics[metric].map((c) => [c.key, c.chunk_index, c.start_index, c.end_index, c.period]);
			expect(got, metric).toEqual(expected.map((c) => [c.key, c.chunk_index, c.start_index, c.end_index, c.period]));
		}
	});

	it.each(Object.keys(expectedMetrics))(`%s: every field to ${tolerance}`, (metric) => {
		const expected = expectedMetrics[metric];
		result.metrics[metric].forEach((chunk, i) => {
			const want = expected[i];
			for (const field of NUMBERS) {
				const label = `${metric} ${chunk.period} ${chunk.key} ${field}`;
				const w = want[field];
				const g = chunk[field];
				if (w === null) expect(g === null || Number.isNaN(g), `${label}: got ${g}, NannyML has NaN`).toBe(true);
				else if (typeof w === 'string') expect(g, label).toBe(w === 'inf' ? Infinity : -Infinity);
				else expectClose(g as number, w, label, tolerance);
			}
			// NannyML leaves `alert` unset (NaN) where a metric failed on the chunk; driftbook says false.
			expect(chunk.alert, `${metric} ${chunk.key} alert`).toBe(want.alert ?? false);
		});
	});
}
