import fc from 'fast-check';
import { Utf8, makeVector, vectorFromArray, type Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { arrowColumn } from '#lib/stats/arrow-columns.ts';

/** A Utf8 vector of these chunks (each chunk its own Arrow data, as record batches give). */
function utf8(...chunks: (string | null)[][]): Vector {
	return chunks.map((c) => vectorFromArray(c, new Utf8())).reduce((a, b) => a.concat(b));
}

function expectStrings(vector: Vector, expected: (string | null)[]) {
	const column = arrowColumn(vector);
	if (column.type !== 'string') expect.fail(`a ${column.type} column`);
	expect(Array.from(column.values)).toEqual(expected);
}

describe('arrowColumn on text', () => {
	it('gives every row its value, nulls as null, across chunks that repeat values', () => {
		const a = ['x', 'yy', '', null, 'x', 'NA', 'yy', 'xy', 'yx', ''];
		const b = ['yy', null, 'x', 'zzz', 'x'];
		expectStrings(utf8(a, b), [...a, ...b]);
	});

	it('keeps values of the same length and hash bucket apart', () => {
		// every two-letter ASCII value: many share a length, some share a slot of the table
		const values: string[] = [];
		for (let i = 33; i < 127; i++) for (const j of [65, 97, 48]) values.push(String.fromCharCode(i, j));
		expectStrings(utf8(values, [...values].reverse()), [...values, ...[...values].reverse()]);
	});

	it('gives the right values past the distinct values it collects (ids) and in non-ASCII chunks', () => {
		const ids = Array.from({ length: 10_000 }, (_, i) => `id-${i % 6000}`);
		const accents = ['é', 'x', null, 'é', 'ü'];
		expectStrings(utf8(ids, ['x', 'id-1', 'id-5999']), [...ids, 'x', 'id-1', 'id-5999']);
		expectStrings(utf8(['x', 'y'], accents), ['x', 'y', ...accents]);
	});

	it('equals the values on random text columns', () => {
		const value = fc.oneof(fc.constantFrom('a', 'b', 'ab', 'ba', '', 'NA', 'null'), fc.string({ maxLength: 6 }), fc.constant(null));
		fc.assert(
			fc.property(fc.array(fc.array(value, { minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 4 }), (chunks) => {
				expectStrings(utf8(...chunks), chunks.flat());
			}),
			{ numRuns: 300 }
		);
	});
});

describe('arrowColumn on numbers', () => {
	it('puts the values in shared memory, which a drift report hands its second thread without a copy', () => {
		const column = arrowColumn(makeVector(Float64Array.from([1.5, -0, NaN, 3])).concat(makeVector(Float64Array.from([7]))));
		if (column.type !== 'number') expect.fail(`a ${column.type} column`);
		expect(column.values.buffer).toBeInstanceOf(SharedArrayBuffer);
		expect(Array.from(column.values)).toEqual([1.5, -0, NaN, 3, 7]);
	});
});
