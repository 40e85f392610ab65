import { describe, expect, it } from 'vitest';
import { columnKind, parseNumber, prepareColumn, type CategoricalData } from '#lib/stats/column-kind.ts';
import { columnFromStrings, columnFromValues, isMissingString, type Column } from '#lib/stats/column.ts';

const s = (...v: (string | null)[]): Column => columnFromStrings(v);
const num = (...v: number[]): Column => ({ type: 'number', values: Float64Array.from(v) });

describe('missing values', () => {
	it('treats empty, NA, NaN, null (any case) and JS null/undefined as missing', () => {
		for (const m of ['', 'NA', 'na', 'Na', 'NaN', 'nan', 'NAN', 'null', 'NULL', 'Null', null, undefined]) {
			expect(isMissingString(m), String(m)).toBe(true);
		}
		for (const v of [' ', 'N/A', 'none', '0', 'nul', 'nulls', 'NA ']) expect(isMissingString(v), v).toBe(false);
	});

	it('counts missing values per sample', () => {
		const d = prepareColumn(s('1', '', 'NA', '2', null, '3', '4', 'nan'), s('5', '6', 'NULL'));
		expect(d.reference).toEqual({ count: 4, missing: 4 });
		expect(d.current).toEqual({ count: 2, missing: 1 });
		expect(d.kind).toBe('numerical');
		const n = prepareColumn(num(1, NaN, 2, 3), num(NaN, NaN, 4, 5, 6, 7));
		expect(n.reference).toEqual({ count: 3, missing: 1 });
		expect(n.current).toEqual({ count: 4, missing: 2 });
	});
});

describe('column kind rule', () => {
	it('numerical: all values numeric and more than 5 distinct in the union', () => {
		expect(columnKind(s('1', '2', '3'), s('4', '5', '6'))).toBe('numerical');
		expect(columnKind(num(1, 2, 3), num(4, 5, 6))).toBe('numerical');
		expect(columnKind(s('1.5', '-2e3', ' 7 ', '+4', '.5'), s('1e-3'))).toBe('numerical');
	});

	it('exactly 5 distinct numbers is categorical; 2 is binary; 1 is binary', () => {
		expect(columnKind(s('1', '2', '3'), s('4', '5', '5'))).toBe('categorical');
		expect(columnKind(num(1, 2, 3, 3), num(4, 5))).toBe('categorical');
		expect(columnKind(num(0, 1, 1, 0), num(1, 1))).toBe('binary');
		expect(columnKind(s('7', '7'), s('7'))).toBe('binary');
		expect(columnKind(s('yes', 'no'), s('no'))).toBe('binary');
	});

	it('counts distinct numbers numerically but categories as written', () => {
		// "1" and "1.0" are the same number (3 distinct numbers: not numerical) but different categories
		const d = prepareColumn(s('1', '1.0', '2'), s('3', '01')) as CategoricalData;
		expect(d.kind).toBe('categorical');
		expect(d.categories).toEqual(['01', '1', '1.0', '2', '3']);
		// six distinct spellings of four numbers -> not numerical
		expect(columnKind(s('1', '1.0', '2', '2.0', '3'), s('4'))).toBe('categorical');
	});

	it('any non-numeric or non-finite value makes the column categorical', () => {
		expect(columnKind(s('1', '2', '3', '4', '5', '6', 'x'), s('1'))).toBe('categorical');
		expect(columnKind(s('1', '2', '3', '4', '5', '6'), s('Infinity'))).toBe('categorical');
		expect(columnKind(num(1, 2, 3, 4, 5, 6), num(Infinity))).toBe('categorical');
		expect(columnKind(s('1', '2', '3', '4', '5', '6'), s('0x10'))).toBe('categorical');
		expect(columnKind(s('1', '2', '3', '4', '5', '6'), s('1,5'))).toBe('categorical');
		expect(columnKind(s('a', 'b', 'c'), s('d'))).toBe('categorical');
	});

	it('uses String(n) as the category of numbers in number columns', () => {
		const d = prepareColumn(num(1.5, 1e21, -0, 2), num(2, 2)) as CategoricalData;
		expect(d.kind).toBe('categorical');
		expect(d.categories).toEqual(['0', '1.5', '1e+21', '2']);
		expect(Array.from(d.refCounts)).toEqual([1, 1, 1, 1]);
		expect(Array.from(d.curCounts)).toEqual([0, 0, 0, 2]);
	});

	it('mixes number and string columns', () => {
		expect(columnKind(num(1, 2, 3), s('4', '5', '6'))).toBe('numerical');
		const d = prepareColumn(num(1, 0), s('1', 'x')) as CategoricalData;
		expect(d.categories).toEqual(['0', '1', 'x']);
	});

	it('sorts numerical samples and drops missing values', () => {
		const d = prepareColumn(s('3', '1', 'NA', '2'), s('9', '7', '8', '', '10'));
		if (d.kind !== 'numerical') throw new Error('expected numerical');
		expect(Array.from(d.ref)).toEqual([1, 2, 3]);
		expect(Array.from(d.cur)).toEqual([7, 8, 9, 10]);
	});

	it('parses plain decimal numbers only', () => {
		expect(parseNumber(' -1.25e+2 ')).toBe(-125);
		expect(parseNumber('5.')).toBe(5);
		expect(parseNumber('Infinity')).toBeNaN();
		expect(parseNumber('0b101')).toBeNaN();
		expect(parseNumber('')).toBeNaN();
		expect(parseNumber('1 2')).toBeNaN();
	});
});

describe('columnFromValues (Arrow-style values)', () => {
	it('numbers and bigints become a number column with NaN for missing', () => {
		const c = columnFromValues([1, null, 2.5, undefined, 3n, NaN]);
		expect(c.type).toBe('number');
		expect(Array.from(c.values as Float64Array)).toEqual([1, NaN, 2.5, NaN, 3, NaN]);
	});

	it('booleans become "true"/"false", Dates ISO strings', () => {
		expect(columnFromValues([true, false, null])).toEqual({ type: 'string', values: ['true', 'false', null] });
		const d = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
		expect(columnFromValues([d, null, new Date(NaN)])).toEqual({
			type: 'string',
			values: ['2024-01-02T03:04:05.000Z', null, null]
		});
	});

	it('mixed values become strings; string missing markers still count as missing', () => {
		const c = columnFromValues(['a', 1, 2n, true, null, 'NA']);
		expect(c).toEqual({ type: 'string', values: ['a', '1', '2', 'true', null, 'NA'] });
		const d = prepareColumn(c, columnFromValues(['a']));
		expect(d.reference).toEqual({ count: 4, missing: 2 });
	});
});

describe('a column marked sorted', () => {
	it('is tested as it is, not copied and sorted again (drift over time reuses the sorted reference for every window)', () => {
		const values = Float64Array.from({ length: 2000 }, (_, i) => (i - 1000) / 7);
		const data = prepareColumn({ type: 'number', values, sorted: true }, { type: 'number', values: values.slice().reverse() });
		expect(data.kind).toBe('numerical');
		if (data.kind !== 'numerical') return;
		expect(data.ref).toBe(values);
		expect(data.cur).toEqual(values);
		const infinite = Float64Array.from([-Infinity, 1, 2, 3, 4, 5, 6]);
		expect(prepareColumn({ type: 'number', values: infinite, sorted: true }, { type: 'number', values }).kind).toBe('categorical');
	});
});
