import { describe, expect, it } from 'vitest';
import { quoteNonFinite } from '#server/http/json-body.ts';

describe('quoteNonFinite (the NaN/Infinity-tolerant pass)', () => {
	it('builds a 10 MB body with one bare NaN from 3 slices, not a piece per character', () => {
		// The body of issue 17 #7: a bare NaN, then ~9 MB of numbers, never closed. Building it a
		// character at a time took 13.8 s; the number of pieces is that cost, counted instead of timed.
		const text = `{"metrics": [NaN, ${'1, '.repeat(3_000_000)}`;
		const pieces = quoteNonFinite(text);
		expect(pieces).toHaveLength(3);
		expect(pieces.join('')).toBe(text.replace('NaN', '"NaN"'));
	});

	it('is 2k + 1 pieces for k tokens, and leaves tokens inside strings alone', () => {
		const text = '{"a": NaN, "b": [-Infinity, Infinity], "c": "NaN and \\"Infinity\\"", "d": 1e5}';
		const pieces = quoteNonFinite(text);
		expect(pieces).toHaveLength(7);
		expect(JSON.parse(pieces.join(''))).toEqual({ a: 'NaN', b: ['-Infinity', 'Infinity'], c: 'NaN and "Infinity"', d: 1e5 });
	});
});
