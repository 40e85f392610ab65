/**
 * PCA data-reconstruction drift against NannyML 0.13.1 itself: for every fixture data set
 * (scripts/fixtures/generate_multivariate_fixtures.py ran its DataReconstructionDriftCalculator with
 * its defaults on the CSVs), every chunk and every field matches to 1e-6 relative, with NaN where
 * NannyML has NaN.
 */
import { describe, expect, it } from 'vitest';
import { reconstructionDrift, MultivariateInputError, symmetricEigen, type ReconstructionChunkResult } from '#lib/stats/multivariate/index.ts';
import { mulberry32 } from '../../../support/mulberry32';
import { expectClose } from '../fixtures';
import { MULTIVARIATE_DATASETS, loadFixture as load, loadTable, type NannyChunk } from './multivariate-fixtures';

const NUMBERS = [
	'value',
	'sampling_error',
	'upper_confidence_boundary',
	'lower_confidence_boundary',
	'upper_threshold',
	'lower_threshold'
] as const satisfies readonly (keyof NannyChunk & keyof ReconstructionChunkResult)[];

describe.each(MULTIVARIATE_DATASETS)('PCA reconstruction drift on %s matches NannyML 0.13.1', (name) => {
	const fx = load(name);
	const chunking = fx.chunking.chunk_size ? { chunkSize: fx.chunking.chunk_size } : { chunkNumber: fx.chunking.chunk_number as number };
	const result = reconstructionDrift(loadTable(name, 'reference'), loadTable(name, 'analysis'), { features: fx.features, chunking });

	it('keeps as many components and splits the features the same way', () => {
		expect(result.components).toBe(fx.n_components_fitted);
		expect(result.continuous).toEqual(fx.continuous_column_names);
		expect(result.categorical).toEqual(fx.categorical_column_names);
	});

	it('reports the same chunks', () => {
		expect(result.chunks.map((c) => [c.key, c.chunk_index, c.start_index, c.end_index, c.period])).toEqual(
			fx.results.map((c) => [c.key, c.chunk_index, c.start_index, c.end_index, c.period])
		);
	});

	it('matches every number to 1e-6 and every alert', () => {
		fx.results.forEach((want, i) => {
			const got = result.chunks[i];
			for (const field of NUMBERS) {
				const label = `${want.period} ${want.key} ${field}`;
				const expected = want[field];
				const actual = got[field];
				if (expected === null) {
					if (actual !== null) expect(actual, label).toBeNaN();
				} else {
					expect(actual, label).not.toBeNull();
					expectClose(actual as number, expected, label, 1e-6);
				}
			}
			expect(got.alert, `${want.period} ${want.key} alert`).toBe(want.alert);
		});
	});
});

describe('what the fixtures show', () => {
	it('a correlation flip with unchanged marginals raises alerts only after the flip', () => {
		const fx = load('correlation_flip');
		const flagged = fx.results.filter((c) => c.alert).map((c) => c.key);
		expect(flagged).toEqual(['[1500:1999]', '[2000:2499]', '[2500:2999]']);
	});

	it('a one-row chunk has no sampling error (NaN), as in NannyML', () => {
		const fx = load('missing_values');
		const one = fx.results.find((c) => c.start_index === c.end_index);
		expect(one?.sampling_error).toBeNull();
	});
});

describe('symmetricEigen', () => {
	it('diagonalises a symmetric matrix: A v = λ v', () => {
		const a = Float64Array.from([4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 1]);
		const { values, vectors } = symmetricEigen(a, 3);
		for (let c = 0; c < 3; c++) {
			for (let i = 0; i < 3; i++) {
				let av = 0;
				for (let k = 0; k < 3; k++) av += a[i * 3 + k] * vectors[k * 3 + c];
				expectClose(av, values[c] * vectors[i * 3 + c], `row ${i} of A v${c}`, 1e-12, 1e-14);
			}
		}
	});
});

describe('bad input', () => {
	const ref = { x: Float64Array.from([1, 2, 3, 4]), y: Float64Array.from([2, 1, 4, 3]), c: ['a', 'b', 'a', null] };

	it('names a missing feature and its data set', () => {
		expect(() => reconstructionDrift(ref, { x: ref.x, y: ref.y }, { features: ['x', 'y', 'c'], chunking: { chunkSize: 2 } })).toThrow(
			new MultivariateInputError('analysis', 'is missing', 'c')
		);
	});

	it('names a feature whose kind differs from the reference', () => {
		expect(() => reconstructionDrift(ref, { ...ref, x: ['1', '2', '3', '4'] }, { features: ['x', 'y'], chunking: { chunkSize: 2 } })).toThrow(
			'analysis data: feature x holds text but is numeric in the reference'
		);
	});

	it('refuses a reference of one row, naming it', () => {
		const one = { x: Float64Array.from([1]), y: Float64Array.from([2]) };
		expect(() => reconstructionDrift(one, ref, { features: ['x', 'y'] })).toThrow(new MultivariateInputError('reference', 'has 1 row; PCA needs at least 2'));
	});

	it('names the row of an infinite value, in either data set, past the first block of rows', () => {
		const random = mulberry32(7);
		const long = { x: Float64Array.from({ length: 700 }, () => random()), y: Float64Array.from({ length: 700 }, () => random()) };
		const broken = (row: number) => ({ ...long, y: Float64Array.from(long.y, (v, i) => (i === row ? -Infinity : v)) });
		expect(() => reconstructionDrift(broken(650), long, { features: ['x', 'y'] })).toThrow(new MultivariateInputError('reference', 'is not finite', 'y', 650));
		expect(() => reconstructionDrift(long, broken(300), { features: ['x', 'y'] })).toThrow(new MultivariateInputError('analysis', 'is not finite', 'y', 300));
	});

	it('refuses a reference feature with no values', () => {
		expect(() => reconstructionDrift({ ...ref, y: new Float64Array(4).fill(NaN) }, ref, { features: ['x', 'y'] })).toThrow(
			'reference data: feature y has no values (nothing to impute from)'
		);
	});
});
