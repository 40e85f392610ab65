/** Which datasets have rowids to order by (cells/core/chunked.ts orders ties in time by them). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowidTable } from '#lib/sql/storage.ts';
import { nativeDb, type NativeDb } from './duckdb';

describe('rowidTable', () => {
	let db: NativeDb;
	const sql = {
		query: async (text: string) => {
			const rows = await db.rows(text);
			return { toArray: () => rows.map((r) => ({ toJSON: () => r })) };
		}
	};
	beforeAll(async () => {
		db = await nativeDb();
		await db.run(`CREATE TABLE scored AS SELECT range AS id FROM range(3); CREATE VIEW recent AS SELECT * FROM scored WHERE id > 0`);
	});
	afterAll(() => db.close());

	it('is the table itself for a table, and its rowids read back', async () => {
		const source = await rowidTable(sql, 'scored');
		expect(source).toBe('"scored"');
		expect(await db.rows(`SELECT id FROM ${source} ORDER BY rowid DESC`)).toEqual([{ id: '2' }, { id: '1' }, { id: '0' }]);
	});

	it('is undefined for a view over a query and for a name that is nothing', async () => {
		expect(await rowidTable(sql, 'recent')).toBeUndefined();
		expect(await rowidTable(sql, 'missing')).toBeUndefined();
	});
});
