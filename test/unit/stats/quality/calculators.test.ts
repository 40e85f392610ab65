/**
 * The data-quality calculators against NannyML 0.13.1 itself: for every fixture data set
 * (scripts/fixtures/generate_quality_fixtures.py ran MissingValuesCalculator, UnseenValuesCalculator
 * and NumericalRangeCalculator on the CSVs), every column, chunk and field matches to 1e-9 relative,
 * chunk keys, indices and alerts exactly.
 */
import { describe, expect, it } from 'vitest';
import { missingValues, numericalRange, QualityInputError, unseenValues, type QualityOptions, type QualityThreshold } from '#lib/stats/quality/index.ts';
import type { Chunking } from '#lib/stats/chunks/index.ts';
import { expectClose } from '../fixtures';
import { CALCULATORS, QUALITY_DATASETS, loadColumns, loadFixture, type NannyCalculatorRun, type QualityFixture } from './quality-fixtures';

const RUN = { missing: missingValues, unseen: unseenValues, range: numericalRange };
const NUMBERS = ['value', 'sampling_error', 'upper_confidence_boundary', 'lower_confidence_boundary', 'upper_threshold', 'lower_threshold'] as const;

function chunkingOf(fx: QualityFixture): Chunking {
	if (fx.chunking.chunk_size) return { chunkSize: fx.chunking.chunk_size };
	if (fx.chunking.chunk_number) return { chunkNumber: fx.chunking.chunk_number };
	return 'default';
}

function thresholdOf(settings: NannyCalculatorRun['settings']): QualityThreshold | undefined {
	const t = settings.threshold;
	if (!t) return undefined;
	if (t[0] === 'constant') return { type: 'constant', lower: t[1].lower, upper: t[1].upper };
	return { type: 'standard_deviation', lowerMultiplier: t[1].std_lower_multiplier, upperMultiplier: t[1].std_upper_multiplier };
}

describe.each(QUALITY_DATASETS)('data quality on %s matches NannyML 0.13.1', (name) => {
	const fx = loadFixture(name);
	const reference = loadColumns(name, 'reference');
	const analysis = loadColumns(name, 'analysis');

	it.each(CALCULATORS)('%s: every column, chunk and field', (calculator) => {
		const run = fx.calculators[calculator];
		const options: QualityOptions = {
			columns: run.settings.column_names,
			chunking: chunkingOf(fx),
			normalize: run.settings.normalize,
			threshold: thresholdOf(run.settings)
		};
		const result = RUN[calculator](reference, analysis, options);
		expect(result.metric).toBe(run.metric);
		expect(result.columns.map((c) => c.column)).toEqual(run.settings.column_names);
		for (const { column, chunks } of result.columns) {
			const want = run.results[column];
			expect(chunks.map((c) => [c.key, c.chunk_index, c.start_index, c.end_index, c.period])).toEqual(
				want.map((c) => [c.key, c.chunk_index, c.start_index, c.end_index, c.period])
			);
			want.forEach((w, i) => {
				const got = chunks[i];
				const label = `${column} ${w.period} ${w.key}`;
				for (const field of NUMBERS) {
					expect(field in got, `${label} has ${field}`).toBe(field in w);
					const expected = w[field];
					if (expected === undefined) continue;
					if (expected === null) expect(got[field], `${label} ${field}`).toBeNull();
					else expectClose(got[field] as number, expected, `${label} ${field}`, 1e-9);
				}
				expect(got.alert, `${label} alert`).toBe(w.alert);
			});
		}
	});
});

describe('what the fixtures show', () => {
	const alerts = (name: string, calculator: (typeof CALCULATORS)[number], column: string) =>
		loadFixture(name)
			.calculators[calculator].results[column].filter((c) => c.alert)
			.map((c) => `${c.period} ${c.key}`);

	it('missing values injected into one analysis chunk alert there only', () => {
		expect(alerts('injected', 'missing', 'age')).toEqual(['analysis [800:1199]']);
	});

	it('a missing value is unseen where the reference had none, seen where it had some', () => {
		const fx = loadFixture('injected').calculators.unseen.results;
		expect(alerts('injected', 'unseen', 'colour')).toEqual(['analysis [1600:1999]']);
		expect(fx.city.every((c) => c.value === 0)).toBe(true);
	});

	it('an integer column counts unseen values as categories', () => {
		expect(alerts('counts', 'unseen', 'doors')).toHaveLength(1);
	});
});

describe('bad input names the data set and column', () => {
	const reference = loadColumns('injected', 'reference');
	const analysis = loadColumns('injected', 'analysis');

	it('a column that is not there', () => {
		expect(() => missingValues(reference, analysis, { columns: ['agee'] })).toThrow(/reference data: no column "agee"/);
		const { age: _, ...noAge } = analysis;
		expect(() => missingValues(reference, noAge, { columns: ['age'] })).toThrow(/analysis data: no column "age"/);
	});

	it('a column of the wrong kind, as NannyML refuses it', () => {
		const error = (() => {
			try {
				unseenValues(reference, analysis, { columns: ['income'] });
			} catch (e) {
				return e as QualityInputError;
			}
		})();
		expect(error).toBeInstanceOf(QualityInputError);
		expect(error?.column).toBe('income');
		expect(() => numericalRange(reference, analysis, { columns: ['colour'] })).toThrow(/"colour" holds text/);
	});

	it('too few rows for the chunks, and constant thresholds in the wrong order', () => {
		const tiny = { age: { type: 'number' as const, values: Float64Array.of(1, 2, 3) } };
		expect(() => missingValues(reference, tiny, { columns: ['age'] })).toThrow(/analysis data: cannot split 3 rows into 10 chunks/);
		expect(() => missingValues(reference, analysis, { columns: ['age'], threshold: { type: 'constant', lower: 0.5, upper: 0.1 } })).toThrow(
			/lower threshold 0.5 must be less than the upper threshold 0.1/
		);
	});
});
