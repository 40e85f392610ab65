/**
 * The quality cell's text: its `suite:` field holds the rest of the cell as JSON (the suite
 * `driftbook check --suite` reads), written in from a learnt suite with the fields that only say
 * how to learn one left out, and read back by the one suite reader.
 */
import { describe, expect, it } from 'vitest';
import { parseFields } from '#lib/notebook/format.ts';
import { parseSuite, suiteFromReference } from '#lib/stats/quality/index.ts';
import { splitSuite, withSuite } from '#lib/cells/quality/quality.ts';

const suite = suiteFromReference(
	{
		age: { type: 'number', values: Float64Array.of(20, 31, NaN, 45, 52, 38, 27, 61, 33, 40) },
		colour: { type: 'string', values: ['red', 'blue', null, 'red', 'red', 'blue', 'red', 'blue', 'red', 'red'] }
	},
	{ chunking: { chunkSize: 5 } }
);

describe('the quality cell’s suite field', () => {
	const learning = 'reference: ref\nanalysis: cur\ntime: t\nchunk: week\ncolumns: age, colour\nmax_missing: 0.1\n';

	it('splits the cell at its suite line: fields above, JSON from there on', () => {
		expect(splitSuite(learning)).toEqual({ fields: learning, suite: null });
		expect(splitSuite('reference: a\nsuite: {"version": 1,\n  "checks": []}')).toEqual({ fields: 'reference: a', suite: ' {"version": 1,\n  "checks": []}' });
	});

	it('writes a suite in, keeps the tables and time, drops what only says how to learn, and reads back the same suite', () => {
		const source = withSuite(learning, suite);
		const { fields, suite: text } = splitSuite(source);
		expect(parseFields(fields, 'quality')).toEqual({ reference: 'ref', analysis: 'cur', time: 't' });
		expect(parseSuite(JSON.parse(text!))).toEqual(suite);
		expect(source.split('\n')[3]).toBe('suite: {');
		// Writing a suite into a cell that has one replaces it.
		const again = withSuite(source, { ...suite, checks: suite.checks.slice(0, 1) });
		expect(parseSuite(JSON.parse(splitSuite(again).suite!)).checks).toEqual(suite.checks.slice(0, 1));
	});
});
