import { describe, expect, it } from 'vitest';
import { dataSettings, formatFromBytes, formatFromName, parseColumnsField, parseDelimiter, printDataSettings, readCsvSql } from '#lib/ingest/read-options.ts';

describe('data cell fields', () => {
	it('reads every setting, with errors naming the field', () => {
		const s = dataSettings({
			file: 'upload',
			format: 'csv',
			delimiter: '\\t',
			header: 'no',
			columns: 'id BIGINT, "full name" VARCHAR, price DECIMAL(10, 2)',
			dateformat: '%d/%m/%Y',
			on_error: 'skip'
		});
		expect(s).toEqual({
			url: undefined,
			file: 'upload',
			request: {
				format: 'csv',
				delimiter: '\t',
				header: false,
				quote: undefined,
				escape: undefined,
				columns: [
					{ name: 'id', type: 'BIGINT' },
					{ name: 'full name', type: 'VARCHAR' },
					{ name: 'price', type: 'DECIMAL(10, 2)' }
				],
				dateformat: '%d/%m/%Y',
				timestampformat: undefined,
				nullstr: undefined,
				onError: 'skip'
			}
		});
		expect(parseDataRoundTrip(printDataSettings(s))).toEqual(s);
		expect(() => dataSettings({})).toThrow('field "url"');
		expect(() => dataSettings({ url: 'x', file: 'y' })).toThrow('field "file"');
		expect(() => dataSettings({ url: 'x', format: 'xlsx' })).toThrow('field "format": "xlsx" is not one of');
		expect(() => dataSettings({ url: 'x', on_error: 'ignore' })).toThrow('field "on_error"');
		expect(() => dataSettings({ url: 'x', columns: 'id' })).toThrow('field "columns": "id" is not "name TYPE"');
		expect(() => dataSettings({ url: 'x', delimiter: '::' })).toThrow('field "delimiter"');
		expect(() => parseColumnsField('a DROP TABLE x; --')).toThrow('is not a type name');
		expect(parseDelimiter('tab')).toBe('\t');
	});

	it('reads the quote and escape characters, and read_csv uses them', () => {
		const s = dataSettings({ url: 'x.csv', quote: "'", escape: '\\' });
		expect(s.request).toMatchObject({ quote: "'", escape: '\\' });
		expect(printDataSettings(s)).toContain('escape: \\');
		expect(parseDataRoundTrip(printDataSettings(s))).toEqual(s);
		expect(() => dataSettings({ url: 'x', escape: 'ab' })).toThrow('field "escape": must be one character');
		expect(() => dataSettings({ url: 'x', delimiter: ';', escape: ';' })).toThrow('field "escape": must differ from the delimiter');
		const sql = readCsvSql('f.csv', { delimiter: ';', quote: "'", escape: '\\', header: true, columns: [{ name: 'a', type: 'BIGINT' }] });
		expect(sql).toContain("quote = '''', escape = '\\'");
		expect(sql).toContain('auto_detect = false');
	});

	it('tells formats from names and first bytes', () => {
		expect(formatFromName('/data/x.PARQUET?token=1')).toBe('parquet');
		expect(formatFromName('a.jsonl')).toBe('ndjson');
		expect(formatFromName('noext')).toBeUndefined();
		expect(() => formatFromName('x.csv.gz')).toThrow('compressed');
		const bytes = (s: string) => new TextEncoder().encode(s);
		expect(formatFromBytes(bytes('PAR1xxxx'))).toBe('parquet');
		expect(formatFromBytes(bytes('ARROW1\0\0'))).toBe('arrow');
		expect(formatFromBytes(bytes(' \n[{"a":1}]'))).toBe('json');
		expect(formatFromBytes(bytes('{"a":1}\n{"a":2}'))).toBe('ndjson');
		expect(formatFromBytes(bytes('a,b\n'))).toBeUndefined();
	});
});

function parseDataRoundTrip(text: string) {
	return dataSettings(Object.fromEntries(text.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()])));
}
