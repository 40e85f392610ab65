import { describe, it, expect } from 'vitest';
import { accuracy, agreement, maxDifference, predictedClasses, scoreOutput } from '#lib/inference/compare.ts';

const tensor = (data: number[], dims: number[], type = 'float32') => ({ data: Float32Array.from(data), dims, type });

describe('output comparison', () => {
	it('finds the largest absolute and relative differences and where', () => {
		const reference = { p: tensor([0.5, 0.25, 1e-3], [3, 1]) };
		const d = maxDifference({ p: tensor([0.5, 0.2, 2e-3], [3, 1]) }, reference);
		expect(d.maxAbs).toBeCloseTo(0.05, 6);
		expect(d.maxRel).toBeCloseTo(1, 6);
		expect(d.where).toEqual({ output: 'p', index: 1 });
		expect(maxDifference({ p: tensor([NaN, 0.25, 1e-3], [3, 1]) }, reference).maxAbs).toBe(Infinity);
		expect(() => maxDifference({}, reference)).toThrow('output p is missing');
	});

	it('turns scores into classes: threshold for one column, arg-max for several', () => {
		expect(Array.from(predictedClasses(tensor([0.2, 0.7, 0.5], [3, 1])))).toEqual([0, 1, 0]);
		expect(Array.from(predictedClasses(tensor([0.1, 0.9, 0.6, 0.4, 0.2, 0.3, 0.5, 0], [4, 2])))).toEqual([1, 0, 1, 0]);
		expect(scoreOutput({ label: tensor([1], [1], 'int64'), probabilities: tensor([0.3, 0.7], [1, 2]) })).toBe('probabilities');
	});

	it('counts agreement and accuracy, skipping unlabelled rows', () => {
		expect(agreement(Int32Array.from([1, 0, 1, 1]), Int32Array.from([1, 1, 1, 1]))).toBe(0.75);
		expect(accuracy(Int32Array.from([1, 0, 1]), Float64Array.from([1, NaN, 0]))).toEqual({ accuracy: 0.5, rows: 2 });
		expect(() => agreement(Int32Array.from([1]), Int32Array.from([1, 0]))).toThrow();
	});
});
