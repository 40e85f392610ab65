import { describe, expect, it } from 'vitest';
import { detectDelimiter, sampleRecords, sniffCsv } from '#lib/ingest/csv/dialect.ts';

const RAGGED = 'a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11,12\n';

describe('sample records and dialect detection', () => {
	it('reads sample records leniently, without blank lines, with the line each record starts on', () => {
		const records = sampleRecords('id,text\r\n1,"a, ""b"""\r\n2,"two\nlines"\n\n3,x', {});
		expect(records).toEqual([
			{ fields: ['id', 'text'], line: 1 },
			{ fields: ['1', 'a, "b"'], line: 2 },
			{ fields: ['2', 'two\nlines'], line: 3 },
			{ fields: ['3', 'x'], line: 6 }
		]);
		expect(sampleRecords('a,b\n1,2\n3,', {}, Infinity, false)).toEqual([
			{ fields: ['a', 'b'], line: 1 },
			{ fields: ['1', '2'], line: 2 }
		]);
	});

	it('finds the delimiter that splits most records alike, even in a small ragged file', () => {
		expect(detectDelimiter(RAGGED)).toBe(',');
		expect(detectDelimiter('a;b;c\n1,5;2;3\n4;5;6\n')).toBe(';');
		expect(detectDelimiter('a\tb\n"x,y"\t2\n')).toBe('\t');
		expect(detectDelimiter('a|b|c\n1|2|3\n')).toBe('|');
		expect(detectDelimiter('just one column\nanother\n')).toBe(',');
	});

	it('reads the ragged file as three BIGINT columns and says which lines do not fit', () => {
		const sniff = sniffCsv(RAGGED, { onError: 'stop' }, true);
		expect(sniff.dialect).toMatchObject({
			delimiter: ',',
			header: true,
			columns: [
				{ name: 'a', type: 'BIGINT' },
				{ name: 'b', type: 'BIGINT' },
				{ name: 'c', type: 'BIGINT' }
			]
		});
		expect(sniff.notes[0]).toContain('2 of the first 4 records do not have 3 fields (line 3, 5)');
	});

	it('detects headers by type, and their absence', () => {
		expect(sniffCsv('x,y\n1,2\n3,4\n', { onError: 'stop' }, true).dialect.header).toBe(true);
		const none = sniffCsv('1,2\n3,4\n', { onError: 'stop' }, true);
		expect(none.dialect.header).toBe(false);
		expect(none.dialect.columns.map((c) => c.name)).toEqual(['column0', 'column1']);
		expect(sniffCsv('name,city\nada,london\ngrace,nyc\n', { onError: 'stop' }, true).dialect.header).toBe(true);
		expect(sniffCsv('x,x,\n1,2,3\n', { onError: 'stop' }, true).dialect.columns.map((c) => c.name)).toEqual(['x', 'x_1', 'column2']);
	});

	it('applies explicit settings and types, and refuses unknown columns', () => {
		const sniff = sniffCsv('a;b\n1;x\n', { delimiter: ';', header: true, columns: [{ name: 'a', type: 'VARCHAR' }], onError: 'stop' }, true);
		expect(sniff.dialect.columns).toEqual([
			{ name: 'a', type: 'VARCHAR' },
			{ name: 'b', type: 'VARCHAR' }
		]);
		expect(sniff.detected).toEqual({ delimiter: false, header: false, types: ['b'] });
		expect(() => sniffCsv('a,b\n1,2\n', { columns: [{ name: 'zzz', type: 'INTEGER' }], onError: 'stop' }, true)).toThrow('no column "zzz"');
		// Without a header, a full list of columns names them in order.
		const named = sniffCsv(
			'1,2\n3,4\n',
			{
				header: false,
				columns: [
					{ name: 'p', type: 'DOUBLE' },
					{ name: 'q', type: 'INTEGER' }
				],
				onError: 'stop'
			},
			true
		);
		expect(named.dialect.columns).toEqual([
			{ name: 'p', type: 'DOUBLE' },
			{ name: 'q', type: 'INTEGER' }
		]);
	});
});

describe('dialect detection with other quote and escape characters', () => {
	it('detects the delimiter and types through backslash-escaped quotes', () => {
		const text = 'id;note\n1;"say \\"a;b\\""\n2;"x"\n';
		expect(detectDelimiter(text, { escape: '\\' })).toBe(';');
		const sniff = sniffCsv(text, { escape: '\\', onError: 'stop' }, true);
		expect(sniff.dialect).toMatchObject({ delimiter: ';', quote: '"', escape: '\\', header: true });
		expect(sniff.rows).toEqual([
			['1', 'say "a;b"'],
			['2', 'x']
		]);
		expect(sniffCsv('a,b\n1,2\n', { onError: 'stop' }, true).dialect.escape).toBe('"');
	});
});
