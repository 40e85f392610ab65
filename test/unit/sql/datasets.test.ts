import { describe, expect, it } from 'vitest';
import { datasetName, estimateSize, fixedWidth, stringLengthQuery } from '#lib/sql/datasets.ts';

describe('dataset panel helpers', () => {
	it('names datasets after files, uniquely', () => {
		expect(datasetName('Sales 2024.csv', new Set())).toBe('sales_2024');
		expect(datasetName('/samples/churn_events.csv?x=1', new Set(['churn_events']))).toBe('churn_events_2');
		expect(datasetName('2024.parquet', new Set())).toBe('d_2024');
		expect(datasetName('%%%.json', new Set())).toBe('data');
	});

	it('estimates table sizes from types and string lengths', () => {
		expect(fixedWidth('BIGINT')).toBe(8);
		expect(fixedWidth('DECIMAL(18,3)')).toBe(8);
		expect(fixedWidth('VARCHAR')).toBeUndefined();
		expect(estimateSize(1000, ['BIGINT', 'VARCHAR', 'VARCHAR'], [5, 40])).toBe(1000 * (8 + 16 + 16 + 40 + 3 / 8));
		expect(stringLengthQuery('t', ['a'])).toBe('SELECT coalesce(avg(strlen("a"::VARCHAR)), 0)::DOUBLE AS "l0" FROM (SELECT * FROM "t" LIMIT 2048)');
	});
});
