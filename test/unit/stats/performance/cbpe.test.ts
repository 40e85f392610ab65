/**
 * CBPE against NannyML 0.13.1 itself: for every fixture data set (scripts/fixtures/
 * generate_cbpe_fixtures.py ran NannyML's CBPE with its defaults on the CSVs), every chunk and
 * every field of every metric matches to 1e-6 relative, with NaN where NannyML has NaN.
 */
import { describe, expect, it } from 'vitest';
import { cbpe, isCbpeMetric, type CbpeChunkResult, type CbpeResult } from '#lib/stats/performance/index.ts';
import { expectClose } from '../fixtures';
import { CBPE_DATASETS, loadCbpeData, loadCbpeFixture, type NannyChunk } from './cbpe-fixtures';

const NUMBERS = [
	'value',
	'sampling_error',
	'realized',
	'upper_confidence_boundary',
	'lower_confidence_boundary',
	'upper_threshold',
	'lower_threshold'
] as const satisfies readonly (keyof NannyChunk & keyof CbpeChunkResult)[];

function run(name: string): CbpeResult {
	const fx = loadCbpeFixture(name);
	const metrics = fx.metrics.filter(isCbpeMetric);
	expect(metrics).toEqual(fx.metrics);
	const chunking = fx.chunking.chunk_size ? { chunkSize: fx.chunking.chunk_size } : { chunkNumber: fx.chunking.chunk_number as number };
	return cbpe(loadCbpeData(name, 'reference'), loadCbpeData(name, 'analysis'), { metrics, chunking });
}

describe.each(CBPE_DATASETS)('CBPE on %s matches NannyML 0.13.1', (name) => {
	const fx = loadCbpeFixture(name);
	const result = run(name);

	it('decides calibration as needs_calibration does', () => {
		expect(result.needs_calibration).toBe(fx.needs_calibration);
	});

	it('reports the same series and chunks', () => {
		expect(Object.keys(result.metrics)).toEqual(Object.keys(fx.cbpe));
		for (const [metric, expected] of Object.entries(fx.cbpe)) {
			const got = result.metrics[metric].map((c) => [c.key, c.chunk_index, c.start_index, c.end_index, c.period]);
			expect(got, metric).toEqual(expected.map((c) => [c.key, c.chunk_index, c.start_index, c.end_index, c.period]));
		}
	});

	it.each(Object.keys(fx.cbpe))('%s: every field to 1e-6', (metric) => {
		const expected = fx.cbpe[metric];
		result.metrics[metric].forEach((chunk, i) => {
			const want = expected[i];
			for (const field of NUMBERS) {
				const label = `${metric} ${chunk.period} ${chunk.key} ${field}`;
				const w = want[field];
				const g = chunk[field];
				if (w === null) expect(g === null || Number.isNaN(g), `${label}: got ${g}, NannyML has NaN`).toBe(true);
				else expectClose(g as number, w, label, 1e-6);
			}
			expect(chunk.alert, `${metric} ${chunk.key} alert`).toBe(want.alert);
		});
	});
});
