import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortFloat64 } from '#lib/stats/sort.ts';

/** Doubles that stress the bit mapping: signed zeros, subnormals, the extremes, infinities. */
const SPECIAL = [
	-0,
	0,
	5e-324,
	-5e-324,
	2.2250738585072009e-308,
	-2.2250738585072009e-308,
	2.2250738585072014e-308,
	-2.2250738585072014e-308,
	Number.MAX_VALUE,
	-Number.MAX_VALUE,
	Infinity,
	-Infinity,
	1,
	-1
];
const double = fc.oneof(
	{ weight: 4, arbitrary: fc.double({ noNaN: true }) },
	{ weight: 2, arbitrary: fc.constantFrom(...SPECIAL) },
	{ weight: 2, arbitrary: fc.integer({ min: -20, max: 20 }).map((k) => k / 4) },
	{ weight: 1, arbitrary: fc.constant(NaN) }
);
/** Long enough for the radix sort (short arrays take the built-in sort), with duplicates. */
// endOnFailure: shrinking arrays of thousands of doubles takes minutes; the first failure is reported as found.
const column = fc
	.tuple(fc.array(double, { minLength: 1, maxLength: 64 }), fc.array(fc.nat(), { minLength: 500, maxLength: 3000, size: 'max' }))
	.map(([pool, picks]) => Float64Array.from(picks, (k) => pool[k % pool.length]));

/** The two arrays hold the same doubles in the same order: -0 apart from 0, NaN equal to NaN. */
function expectSame(actual: Float64Array, expected: Float64Array) {
	expect(actual.length).toBe(expected.length);
	for (let i = 0; i < expected.length; i++) if (!Object.is(actual[i], expected[i])) expect.fail(`index ${i}: ${actual[i]} instead of ${expected[i]}`);
}

describe('sortFloat64', () => {
	it('orders like Float64Array.prototype.sort (-0 before +0, NaN last), duplicates and all', () => {
		fc.assert(
			fc.property(column, (values) => {
				const expected = values.slice().sort();
				expectSame(sortFloat64(values), expected);
			}),
			{ numRuns: 200, endOnFailure: true }
		);
	});

	it('sorts arbitrary doubles of every magnitude and sign', () => {
		fc.assert(
			fc.property(fc.float64Array({ minLength: 0, maxLength: 4000, size: 'max' }), (values) => {
				const expected = values.slice().sort();
				expectSame(sortFloat64(values), expected);
			}),
			{ numRuns: 100, endOnFailure: true }
		);
	});

	it('sorts a view in place without touching the rest of its buffer', () => {
		const buffer = Float64Array.from({ length: 3000 }, (_, i) => Math.sin(i) * 1000);
		const view = buffer.subarray(1000, 2500);
		const expected = view.slice().sort();
		const before = buffer.slice();
		expect(sortFloat64(view)).toBe(view);
		expectSame(view, expected);
		expectSame(buffer.subarray(0, 1000), before.subarray(0, 1000));
		expectSame(buffer.subarray(2500), before.subarray(2500));
	});
});
