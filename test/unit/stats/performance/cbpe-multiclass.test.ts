/**
 * Multiclass CBPE against NannyML 0.13.1 itself: for every multiclass fixture data set
 * (scripts/fixtures/generate_cbpe_multiclass_fixtures.py ran NannyML's CBPE with
 * problem_type='classification_multiclass' and its defaults on the CSVs), every chunk and every
 * field of every metric (the confusion matrix: every cell) matches to 1e-9 relative, with NaN where NannyML has NaN.
 */
import { describe, expect, it } from 'vitest';
import { cbpe, CbpeInputError, isCbpeMetric, type CbpeResult } from '#lib/stats/performance/index.ts';
import { MULTICLASS_CBPE_DATASETS, loadMulticlassCbpeData, loadMulticlassCbpeFixture, itMatchesNannyml } from './cbpe-fixtures';

function run(name: string): CbpeResult {
	const fx = loadMulticlassCbpeFixture(name);
	const metrics = fx.metrics.filter(isCbpeMetric);
	expect(metrics).toEqual(fx.metrics);
	const chunking = fx.chunking.chunk_size ? { chunkSize: fx.chunking.chunk_size } : { chunkNumber: fx.chunking.chunk_number as number };
	// The class labels name the confusion matrix's cells (true_A_pred_B).
	const classNames = Object.keys(fx.y_pred_proba).sort();
	return cbpe(loadMulticlassCbpeData(name, 'reference', fx.y_pred_proba), loadMulticlassCbpeData(name, 'analysis', fx.y_pred_proba), {
		metrics,
		chunking,
		classNames
	});
}

describe.each(MULTICLASS_CBPE_DATASETS)('multiclass CBPE on %s matches NannyML 0.13.1', (name) => {
	const fx = loadMulticlassCbpeFixture(name);
	const result = run(name);

	it('calibrates the classes needs_calibration picks', () => {
		const classes = Object.keys(fx.y_pred_proba).sort();
		expect(result.class_calibration).toEqual(classes.map((c) => fx.needs_calibration[c]));
		expect(result.needs_calibration).toBe(Object.values(fx.needs_calibration).some(Boolean));
	});

	itMatchesNannyml(result, fx.cbpe, 1e-9);
});

describe('multiclass CBPE input NannyML cannot take', () => {
	const name = 'multiclass_overconfident_shift';
	const fx = loadMulticlassCbpeFixture(name);
	const reference = loadMulticlassCbpeData(name, 'reference', fx.y_pred_proba);
	const analysis = loadMulticlassCbpeData(name, 'analysis', fx.y_pred_proba);
	const metrics = ['f1'] as const;

	it('refuses a missing analysis probability of a class that needs calibration, naming the class and row', () => {
		const columns = analysis.yPredProba.map((c) => Float64Array.from(c));
		columns[2][11] = NaN;
		expect(() => cbpe(reference, { ...analysis, yPredProba: columns }, { metrics })).toThrow(
			new CbpeInputError(
				'analysis',
				'is missing; the probabilities need calibration (isotonic regression), which takes no missing values',
				'y_pred_proba',
				11,
				2
			)
		);
	});

	it('refuses labels and predictions that are not class indices, and a reference without a class', () => {
		const pred = Float64Array.from(analysis.yPred);
		pred[4] = 3;
		expect(() => cbpe(reference, { ...analysis, yPred: pred }, { metrics })).toThrow(
			/analysis data, row 4: y_pred is 3; predictions must be class indices 0 to 2/
		);
		const y = Float64Array.from(reference.yTrue as Float64Array, (v) => (v === 1 ? 0 : v));
		expect(() => cbpe({ ...reference, yTrue: y }, analysis, { metrics })).toThrow(/reference data: y_true has no row of class 1/);
		expect(() => cbpe(reference, { ...analysis, yPredProba: analysis.yPredProba.slice(0, 2) }, { metrics })).toThrow(
			/analysis data: y_pred_proba has 2 probability columns for 3 classes/
		);
	});

	it('names the confusion matrix cells by class index without class names, and refuses names that do not fit', () => {
		const result = cbpe(reference, analysis, { metrics: ['confusion_matrix'] });
		expect(Object.keys(result.metrics)).toEqual([0, 1, 2].flatMap((t) => [0, 1, 2].map((p) => `true_${t}_pred_${p}`)));
		expect(() => cbpe(reference, analysis, { metrics: ['confusion_matrix'], classNames: ['a', 'b'] })).toThrow(/2 class names for 3 probability columns/);
	});
});
