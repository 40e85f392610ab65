/**
 * CBPE against NannyML 0.13.1 itself: for every fixture data set (scripts/fixtures/
 * generate_cbpe_fixtures.py ran NannyML's CBPE with its defaults on the CSVs), every chunk and
 * every field of every metric matches to 1e-6 relative, with NaN where NannyML has NaN.
 */
import { describe, expect, it } from 'vitest';
import { cbpe, CbpeInputError, isCbpeMetric, type CbpeResult } from '#lib/stats/performance/index.ts';
import { CBPE_DATASETS, loadCbpeData, loadCbpeFixture, itMatchesNannyml } from './cbpe-fixtures';

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

	itMatchesNannyml(result, fx.cbpe, 1e-6);
});

describe('CBPE input NannyML cannot take', () => {
	const reference = loadCbpeData('miscalibrated_shift', 'reference');
	const analysis = loadCbpeData('miscalibrated_shift', 'analysis');
	const metrics = ['accuracy'] as const;

	it('refuses a missing analysis probability when calibration is needed, naming the row', () => {
		const p = Float64Array.from(analysis.yPredProba);
		p[7] = NaN;
		expect(() => cbpe(reference, { ...analysis, yPredProba: p }, { metrics, chunking: { chunkSize: 500 } })).toThrow(
			new CbpeInputError('analysis', 'is missing; the probabilities need calibration (isotonic regression), which takes no missing values', 'y_pred_proba', 7)
		);
	});

	it('refuses missing reference labels and labels or predictions other than 0/1', () => {
		const y = Float64Array.from(reference.yTrue as Float64Array);
		y[3] = NaN;
		expect(() => cbpe({ ...reference, yTrue: y }, analysis, { metrics })).toThrow(/reference data, row 3: y_true is missing/);
		const pred = Float64Array.from(analysis.yPred);
		pred[5] = 2;
		expect(() => cbpe(reference, { ...analysis, yPred: pred }, { metrics })).toThrow(/analysis data, row 5: y_pred is 2; predictions must be 0 or 1/);
		expect(() => cbpe({ ...reference, yTrue: null }, analysis, { metrics })).toThrow(/reference data: y_true is needed/);
	});
});
