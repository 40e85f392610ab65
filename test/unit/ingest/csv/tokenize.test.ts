import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CsvError, tokenizeCsv } from '#lib/ingest/csv/tokenize.ts';
import { readCsvColumns } from '#lib/ingest/csv/columns.ts';

const strict = (text: string, syntax = {}) => tokenizeCsv(text, syntax, { strict: true });

function error(fn: () => unknown): CsvError {
	try {
		fn();
	} catch (e) {
		if (e instanceof CsvError) return e;
		throw e;
	}
	throw new Error('expected a CsvError');
}

describe('tokenizeCsv, strict (RFC 4180)', () => {
	it('reads plain records with LF, CRLF and CR line ends', () => {
		for (const eol of ['\n', '\r\n', '\r']) {
			const { records, lines } = strict(['a,b', '1,2', '3,'].join(eol) + eol);
			expect(records).toEqual([
				['a', 'b'],
				['1', '2'],
				['3', '']
			]);
			expect(lines).toEqual([1, 2, 3]);
		}
		expect(strict('a,b\n1,2').records).toEqual([
			['a', 'b'],
			['1', '2']
		]);
	});

	it('reads quoted fields with delimiters, doubled quotes and line breaks, counting lines', () => {
		const text = 'id,text\r\n1,"a, b"\r\n2,"say ""hi"""\r\n3,"two\r\nlines"\r\n4,""\r\n5,"x\ny"\n6,z\n';
		const { records, lines } = strict(text);
		expect(records.slice(1)).toEqual([
			['1', 'a, b'],
			['2', 'say "hi"'],
			['3', 'two\r\nlines'],
			['4', ''],
			['5', 'x\ny'],
			['6', 'z']
		]);
		expect(lines).toEqual([1, 2, 3, 4, 6, 7, 9]);
	});

	it('drops a byte order mark and keeps values exactly as written', () => {
		const { records } = strict('\uFEFFname, value \n  x ,NA\n');
		expect(records).toEqual([
			['name', ' value '],
			['  x ', 'NA']
		]);
	});

	it('takes another delimiter', () => {
		expect(strict('a;b\n"1;2";3\n', { delimiter: ';' }).records).toEqual([
			['a', 'b'],
			['1;2', '3']
		]);
		expect(() => strict('a', { delimiter: '"' })).toThrow(/delimiter/);
	});

	it('names the line of malformed quoting', () => {
		const open = error(() => strict('a,b\n1,2\n3,"never\nclosed\n'));
		expect(open.line).toBe(3);
		expect(open.message).toBe('line 3: a quoted field opened here is never closed');
		const after = error(() => strict('a,b\n1,"x\ny"z\n'));
		expect(after.line).toBe(3);
		expect(after.message).toMatch(/^line 3: unexpected "z" after a closing quote/);
		const inside = error(() => strict('a,b\n1,2\n3,ab"c\n'));
		expect(inside.message).toMatch(/^line 3: a quote inside an unquoted field/);
	});

	it('round-trips any table written by the RFC 4180 rules', () => {
		const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é', '1') });
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 4 }),
				fc.array(fc.array(field, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
				fc.constantFrom('\n', '\r\n'),
				(width, rows, eol) => {
					const table = rows.map((r) => r.slice(0, width));
					// A record that is a single empty field is a blank line: quote it.
					const quote = (v: string) => (/[",\r\n]/.test(v) || v === '' ? `"${v.replaceAll('"', '""')}"` : v);
					const text = table.map((r) => r.map(quote).join(',')).join(eol) + eol;
					expect(strict(text).records).toEqual(table);
				}
			),
			{ numRuns: 300 }
		);
	});
});

describe('tokenizeCsv, other dialects and lenient reading', () => {
	it('reads a backslash escape inside quotes, and an escaped escape', () => {
		const syntax = { escape: '\\' };
		expect(strict('a,b\n"say \\"hi\\"","c:\\\\dir"\n', syntax).records).toEqual([
			['a', 'b'],
			['say "hi"', 'c:\\dir']
		]);
		// Outside quotes, and before another character, the escape is an ordinary character.
		expect(strict('x\\y,"a\\b"\n', syntax).records).toEqual([['x\\y', 'a\\b']]);
		// With a backslash escape a doubled quote closes the field: text after it is malformed.
		expect(() => strict('"a""b"\n', syntax)).toThrow('line 1: unexpected "\\"" after a closing quote (a quote inside a quoted field is written \\")');
	});

	it('takes another quote character', () => {
		expect(strict("id,name\n1,'a, ''b'''\n", { quote: "'" }).records).toEqual([
			['id', 'name'],
			['1', "a, 'b'"]
		]);
		expect(() => tokenizeCsv('a', { quote: '\n' })).toThrow(/quote/);
		expect(() => tokenizeCsv('a', { escape: ',' })).toThrow(/escape/);
	});

	it('reads malformed quoting as it comes when not strict (the sniffer on any sample)', () => {
		const { records, lines } = tokenizeCsv('a,b\n1,ab"c\n"x"y,2\n3,"open\n');
		expect(records).toEqual([
			['a', 'b'],
			['1', 'ab"c'],
			['xy', '2'],
			['3', 'open\n']
		]);
		expect(lines).toEqual([1, 2, 3, 4]);
	});

	it('drops a last record that may be cut off, and stops at a limit', () => {
		expect(tokenizeCsv('a,b\n1,2\n3,', {}, { complete: false }).records).toEqual([
			['a', 'b'],
			['1', '2']
		]);
		expect(tokenizeCsv('a,b\n1,"2\n3', {}, { complete: false, strict: true }).records).toEqual([['a', 'b']]);
		expect(tokenizeCsv('a\nb\nc\n', {}, { limit: 2 }).records).toEqual([['a'], ['b']]);
	});

	it('counts a lone CR as a line break, inside quotes too', () => {
		expect(strict('a\r"b\rc"\rd').lines).toEqual([1, 2, 4]);
	});
});

describe('readCsvColumns', () => {
	it('gives named columns of strings', () => {
		const csv = readCsvColumns('x,label\r\n1.5,a\r\n,b\r\n"2,5",""\r\n');
		expect(csv.names).toEqual(['x', 'label']);
		expect(csv.columns).toEqual([
			['1.5', '', '2,5'],
			['a', 'b', '']
		]);
		expect(csv.rows).toBe(3);
	});

	it('skips blank lines, except as missing values of a one-column file', () => {
		expect(readCsvColumns('a,b\n\n1,2\n\n3,4\n').columns).toEqual([
			['1', '3'],
			['2', '4']
		]);
		expect(readCsvColumns('a\n1\n\n3\n').columns).toEqual([['1', '', '3']]);
	});

	it('reports ragged records with their line numbers', () => {
		const e = error(() => readCsvColumns('a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11,12\n13,"x\ny",14\n15\n'));
		expect(e.line).toBe(3);
		expect(e.message).toBe('line 3: 2 fields where the header has 3 (also lines 5, 8)');
		const many = error(() => readCsvColumns('a,b\n' + Array.from({ length: 9 }, (_, i) => `${i}\n`).join('')));
		expect(many.message).toBe('line 2: 1 field where the header has 2 (also lines 3, 4, 5, 6, 7, … 9 records in all)');
	});

	it('refuses an empty file and duplicate column names', () => {
		expect(error(() => readCsvColumns('')).message).toBe('line 1: the file is empty (no header row)');
		expect(error(() => readCsvColumns('\n\n')).message).toMatch(/empty/);
		expect(error(() => readCsvColumns('a,b,a\n1,2,3\n')).message).toBe('line 1: the header names column "a" twice');
	});

	it('finds the delimiter the way the loader does, and gives each row its line', () => {
		const csv = readCsvColumns('a;b\r\n"1;x";2\r\n\r\n"3\r\nz";4\r\n');
		expect(csv.syntax).toEqual({ delimiter: ';', quote: '"', escape: '"' });
		expect(csv.columns).toEqual([
			['1;x', '3\r\nz'],
			['2', '4']
		]);
		expect(csv.lines).toEqual([2, 4]);
		expect(readCsvColumns('a|b\n1|2\n', { delimiter: ',' }).names).toEqual(['a|b']);
	});

	it('reads a header-only file as zero rows', () => {
		expect(readCsvColumns('a,b\n')).toMatchObject({ names: ['a', 'b'], columns: [[], []], rows: 0, lines: [] });
	});
});
