import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTableAs, userQueryError } from '#lib/sql/tables.ts';
import { nativeDb, type NativeDb } from './duckdb';

describe('SQL errors as the cell author reads them', () => {
	let db: NativeDb;
	beforeAll(async () => (db = await nativeDb()));
	afterAll(() => db.close());

	async function errorOf(sql: string): Promise<string> {
		try {
			await db.run(createTableAs('cell', sql));
		} catch (error) {
			return userQueryError((error as Error).message, sql);
		}
		throw new Error('expected the query to fail');
	}

	it('points a five-line query at its own fifth line', async () => {
		const message = await errorOf('SELECT 1 AS a,\n  2 AS b,\n  3 AS c\nWHERE true\nFROM nope');
		expect(message).toContain('LINE 5:');
		expect(message).not.toContain('LINE 6:');
	});

	it('points a one-liner at line 1, also after leading blank lines', async () => {
		expect(await errorOf('SELEC 1')).toMatch(/LINE 1: SELEC 1/);
		expect(await errorOf('\n\nSELECT * FROM missing_table')).toContain('LINE 3:');
	});

	it('keeps an error at the closing parenthesis on the last line of the query', async () => {
		expect(await errorOf('SELECT 1 +')).toContain('LINE 1:');
	});

	it('prints a repeated paragraph once', () => {
		const twice = 'Parser Error: syntax error at or near "SELEC"\n\nParser Error: syntax error at or near "SELEC"\n\nLINE 2: SELEC 1';
		expect(userQueryError(twice, 'SELEC 1')).toBe('Parser Error: syntax error at or near "SELEC"\n\nLINE 1: SELEC 1');
	});
});
