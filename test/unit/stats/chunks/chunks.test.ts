/**
 * Chunking and reference thresholds as NannyML 0.13.1 (nannyml/chunk.py, nannyml/thresholds.py);
 * the expected values follow its code and docstrings. The CBPE fixtures check both end to end.
 */
import { describe, expect, it } from 'vitest';
import {
	constantThresholds,
	countChunks,
	periodChunks,
	nanMeanStd,
	outside,
	referenceThresholds,
	sizeChunks,
	splitChunks,
	standardDeviationThresholds
} from '#lib/stats/chunks/index.ts';

const keys = (chunks: { key: string }[]) => chunks.map((c) => c.key);

describe('SizeBasedChunker', () => {
	it('keeps an incomplete last chunk by default, keyed by its own rows', () => {
		const chunks = sizeChunks(2300, 400);
		expect(keys(chunks)).toEqual(['[0:399]', '[400:799]', '[800:1199]', '[1200:1599]', '[1600:1999]', '[2000:2299]']);
		expect(chunks[5]).toEqual({ key: '[2000:2299]', chunk_index: 5, start_index: 2000, end_index: 2299 });
	});

	it('appends or drops the remainder when asked', () => {
		expect(keys(sizeChunks(10, 4, 'append'))).toEqual(['[0:3]', '[4:9]']);
		expect(keys(sizeChunks(10, 4, 'drop'))).toEqual(['[0:3]', '[4:7]']);
		expect(keys(sizeChunks(3, 4, 'keep'))).toEqual(['[0:2]']);
		expect(() => sizeChunks(3, 4, 'append')).toThrow(/no full chunk/);
	});

	it('refuses a size that is not a positive whole number', () => {
		expect(() => sizeChunks(10, 0)).toThrow(/positive whole number/);
		expect(() => sizeChunks(10, 2.5)).toThrow(/positive whole number/);
	});
});

describe('CountBasedChunker and DefaultChunker', () => {
	it('uses floor(rows / count) rows per chunk, so a remainder makes one chunk more', () => {
		expect(countChunks(4005, 10)).toHaveLength(11);
		expect(keys(countChunks(4005, 10)).slice(-2)).toEqual(['[3600:3999]', '[4000:4004]']);
		expect(keys(splitChunks(100, 'default'))).toHaveLength(10);
		expect(() => countChunks(5, 10)).toThrow(/fewer rows than chunks/);
	});
});

describe('StandardDeviationThreshold', () => {
	it('is mean ± 3 population σ (the docstring example: range(10))', () => {
		const t = standardDeviationThresholds([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(t.lower).toBeCloseTo(-4.116843969807043, 14);
		expect(t.upper).toBeCloseTo(13.116843969807043, 14);
	});

	it('leaves NaN chunks out, and is NaN without any value', () => {
		expect(nanMeanStd([1, NaN, 3])).toEqual({ mean: 2, std: 1 });
		const none = standardDeviationThresholds([NaN, NaN]);
		expect(Number.isNaN(none.lower) && Number.isNaN(none.upper)).toBe(true);
		expect(outside(0.5, { lower: NaN, upper: NaN })).toBe(false);
	});

	it('clips to the limits with the limit itself (or null when told to)', () => {
		expect(referenceThresholds([0.1, 0.9], { lower: 0, upper: 1 })).toEqual({ lower: 0, upper: 1 });
		expect(referenceThresholds([0.1, 0.9], { lower: 0, upper: 1 }, { overrideUsingNone: true })).toEqual({ lower: null, upper: null });
		expect(referenceThresholds([5, 6], { lower: 0, upper: null })).toEqual({ lower: 4, upper: 7 });
	});

	it("takes constant thresholds as NannyML's ConstantThreshold, clipped alike", () => {
		expect(referenceThresholds([0.1, 0.9], { lower: 0, upper: 1 }, { constant: { lower: null, upper: 0 } })).toEqual({ lower: null, upper: 0 });
		expect(referenceThresholds([], { lower: 0, upper: 1 }, { constant: { lower: -1, upper: 2 } })).toEqual({ lower: 0, upper: 1 });
		expect(() => constantThresholds({ lower: 0.5, upper: 0.5 })).toThrow(/lower threshold 0.5 must be less than the upper threshold 0.5/);
	});

	it('alerts strictly outside', () => {
		expect(outside(1, { lower: 1, upper: 2 })).toBe(false);
		expect(outside(0.999, { lower: 1, upper: 2 })).toBe(true);
		expect(outside(2.001, { lower: null, upper: 2 })).toBe(true);
	});
});

describe('PeriodBasedChunker', () => {
	const at = (iso: string) => Date.parse(`${iso}T12:00:00Z`);

	it("makes one chunk per week (Monday to Sunday), keyed as pandas writes a 'W' period", () => {
		const time = ['2026-01-05', '2026-01-11', '2026-01-12', '2026-01-26', '2026-01-27'].map(at);
		expect(periodChunks(time, 'week')).toEqual([
			{ key: '2026-01-05/2026-01-11', chunk_index: 0, start_index: 0, end_index: 1 },
			{ key: '2026-01-12/2026-01-18', chunk_index: 1, start_index: 2, end_index: 2 },
			{ key: '2026-01-26/2026-02-01', chunk_index: 2, start_index: 3, end_index: 4 }
		]);
		expect(keys(periodChunks(time, 'day'))).toEqual(['2026-01-05', '2026-01-11', '2026-01-12', '2026-01-26', '2026-01-27']);
	});

	it('names the row out of time order or without a time', () => {
		expect(() => periodChunks([at('2026-01-06'), at('2026-01-05')], 'week')).toThrow(/row 2 is earlier than row 1/);
		expect(() => periodChunks([at('2026-01-06'), NaN], 'day')).toThrow(/row 2 has no time/);
	});
});
