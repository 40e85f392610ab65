/**
 * The multiclass mapping `CLASS=COLUMN,…` (the CLI's --y-pred-proba, the performance cell's
 * `probability`) and class labels as indices, and the stats worker's multiclass performance
 * analysis on Arrow tables: the same result as the library on the same columns, and a label
 * outside the classes named with its table and row.
 */
import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { cbpe, classIndices, parseClassColumns, UnknownClassError } from '#lib/stats/performance/index.ts';
import { performanceAnalysis } from '#lib/stats/service/chunked-analyses.ts';
import { loadMulticlassCbpeData, loadMulticlassCbpeFixture } from './cbpe-fixtures';

describe('parseClassColumns', () => {
	it('orders classes as Python sorts them, with their columns', () => {
		expect(parseClassColumns(' fox=p_fox, Dog=p_dog ,cat=p_cat')).toEqual({ classes: ['Dog', 'cat', 'fox'], columns: ['p_dog', 'p_cat', 'p_fox'] });
	});
	it('refuses what is not CLASS=COLUMN for at least two classes', () => {
		expect(() => parseClassColumns('a=x,b')).toThrow('"b" is not CLASS=COLUMN');
		expect(() => parseClassColumns('a=x,a=y')).toThrow('class "a" is given twice');
		expect(() => parseClassColumns('a=x')).toThrow('at least 2 classes');
	});
});

describe('classIndices', () => {
	it('reads text and numbers as the labels they are written as, missing as NaN', () => {
		expect([...classIndices({ type: 'string', values: ['b', null, 'a', ''] }, ['a', 'b'])]).toEqual([1, NaN, 0, NaN]);
		expect([...classIndices({ type: 'number', values: Float64Array.from([2, NaN, 10]) }, ['10', '2'])]).toEqual([1, NaN, 0]);
	});
	it('names the row and label outside the classes', () => {
		expect(() => classIndices({ type: 'string', values: ['a', 'c'] }, ['a', 'b'])).toThrow(new UnknownClassError(1, 'c', ['a', 'b']));
	});
});

describe('performanceAnalysis, multiclass', () => {
	const name = 'multiclass_cm_prior_shift';
	const fx = loadMulticlassCbpeFixture(name);
	const classes = Object.keys(fx.y_pred_proba).sort();
	const table = (period: 'reference' | 'analysis', edit?: (labels: string[]) => void) => {
		const d = loadMulticlassCbpeData(name, period, fx.y_pred_proba);
		const label = (v: Float64Array) => Array.from(v, (k) => (Number.isNaN(k) ? null : classes[k]));
		const predicted = label(d.yPred) as string[];
		edit?.(predicted);
		return tableFromArrays({ p_a: d.yPredProba[0], p_b: d.yPredProba[1], p_c: d.yPredProba[2], pred: predicted, truth: label(d.yTrue as Float64Array) });
	};
	const request = {
		jobId: 'test',
		chunking: { chunkSize: 400 },
		columns: { probability: ['p_a', 'p_b', 'p_c'], prediction: 'pred', target: 'truth' },
		classes,
		metrics: ['accuracy', 'confusion_matrix'] as const,
		features: [],
		rankBy: { metric: 'accuracy' as const, basis: 'estimated' as const }
	};

	it('gives the library’s result on the same columns, the confusion matrix named by class', async () => {
		const got = await performanceAnalysis(table('reference'), table('analysis'), { ...request, metrics: [...request.metrics] }, new AbortController().signal);
		const want = cbpe(loadMulticlassCbpeData(name, 'reference', fx.y_pred_proba), loadMulticlassCbpeData(name, 'analysis', fx.y_pred_proba), {
			metrics: ['accuracy', 'confusion_matrix'],
			chunking: { chunkSize: 400 },
			classNames: classes
		});
		expect(got.cbpe).toEqual(want);
		expect(Object.keys(got.cbpe.metrics)).toContain('true_b_pred_c');
	});

	it('names the table and row of a prediction outside the classes', async () => {
		const analysis = table('analysis', (labels) => (labels[6] = 'zebra'));
		await expect(
			performanceAnalysis(table('reference'), analysis, { ...request, metrics: [...request.metrics] }, new AbortController().signal)
		).rejects.toThrow('the analysis table, row 7: the prediction "zebra" is not one of the classes (a, b, c)');
	});
});
