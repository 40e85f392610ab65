import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	filterCondition,
	isPlain,
	materializeQuery,
	orderClause,
	parquetSelect,
	rowidCheckQuery,
	textSelect,
	tsvLine,
	viewQuery,
	viewTable,
	windowQuery,
	type GridColumn
} from '#lib/sql/grid.ts';
import { csvField } from '#lib/ingest/export/csv-text.ts';
import { nativeDb, type NativeDb } from './duckdb';

const COLUMNS: GridColumn[] = [
	{ name: 'id', type: 'BIGINT' },
	{ name: 'price', type: 'DOUBLE' },
	{ name: 'name', type: 'VARCHAR' },
	{ name: 'day', type: 'DATE' },
	{ name: 'ok', type: 'BOOLEAN' }
];

describe('grid SQL text', () => {
	it('writes filters the way people type them', () => {
		const [id, price, name, day, ok] = COLUMNS;
		expect(filterCondition(price, '> 5')).toBe('"price" > 5');
		expect(filterCondition(price, '!= 2.5')).toBe('"price" <> 2.5');
		expect(filterCondition(price, '1..9')).toBe('"price" BETWEEN 1 AND 9');
		expect(filterCondition(id, '42')).toBe('"id" = 42');
		expect(filterCondition(day, '>= 2024-03-01')).toBe(`"day" >= '2024-03-01'::DATE`);
		expect(filterCondition(name, "o'k_%")).toBe(`"name"::VARCHAR ILIKE '%o''k\\_\\%%' ESCAPE '\\'`);
		expect(filterCondition(name, '=Ada')).toBe(`"name"::VARCHAR = 'Ada'`);
		expect(filterCondition(name, 'null')).toBe('"name" IS NULL');
		expect(filterCondition(price, '!null')).toBe('"price" IS NOT NULL');
		expect(filterCondition(ok, 'TRUE')).toBe('"ok" = TRUE');
		expect(filterCondition(name, '  ')).toBeUndefined();
		expect(() => filterCondition(price, '> abc')).toThrow('price: "abc" is not a number');
		expect(() => filterCondition(day, 'yesterday')).toThrow('is not a date');
		expect(() => filterCondition(price, '1; DROP TABLE t')).toThrow('is not a number');
	});

	it('sorts with rowid last, and windows by rowid or by LIMIT/OFFSET', () => {
		expect(
			orderClause([
				{ column: 'price', descending: true },
				{ column: 'name', descending: false }
			])
		).toBe('ORDER BY "price" DESC NULLS LAST, "name" ASC NULLS LAST, rowid');
		expect(isPlain({ sort: [], filters: { name: ' ' } })).toBe(true);
		expect(viewQuery('t', COLUMNS, { sort: [{ column: 'id', descending: false }], filters: { name: 'a' } })).toBe(
			`SELECT * FROM "t" WHERE "name"::VARCHAR ILIKE '%a%' ESCAPE '\\' ORDER BY "id" ASC NULLS LAST, rowid`
		);
		expect(windowQuery('"t"', 200, 100, true)).toBe('SELECT * FROM "t" WHERE rowid >= 200 AND rowid < 300 ORDER BY rowid');
		expect(windowQuery('"t"', 200, 100, false, 'x')).toBe('SELECT x FROM "t" LIMIT 100 OFFSET 200');
		expect(textSelect(COLUMNS.slice(0, 2))).toBe('"id"::VARCHAR AS "c0", "price"::VARCHAR AS "c1"');
		expect(parquetSelect(COLUMNS.slice(0, 2))).toEqual({ select: '"id"::VARCHAR AS "id", "price"', int64: ['id'] });
		expect(csvField('a,"b"')).toBe('"a,""b"""');
		expect(tsvLine(['a\tb', 'c\nd'])).toBe('a b\tc d');
	});
});

describe('grid windows in a real DuckDB', () => {
	let db: NativeDb;
	beforeAll(async () => {
		db = await nativeDb();
		await db.run(
			`CREATE TABLE t AS SELECT i AS id, (i * 7919 % 1000) / 10.0 AS price, 'n' || (i % 13) AS name, DATE '2024-01-01' + (i % 60)::INTEGER AS day, i % 2 = 0 AS ok FROM range(100000) r(i)`
		);
	});
	afterAll(() => db.close());

	it('rowids run 0…n-1, so a window at the end is a rowid range', async () => {
		expect(await db.rows(rowidCheckQuery('"t"'))).toEqual([{ n: 100000, m: 100000 }]);
		const last = await db.rows(windowQuery('"t"', 99_990, 200, true, textSelect(COLUMNS)));
		expect(last).toHaveLength(10);
		const i = 99_999;
		const day = new Date(Date.UTC(2024, 0, 1) + (i % 60) * 86_400_000).toISOString().slice(0, 10);
		expect(last[9]).toEqual({ c0: String(i), c1: String(((i * 7919) % 1000) / 10), c2: `n${i % 13}`, c3: day, c4: 'false' });
	});

	it('a sorted, filtered view materializes in order and windows match ORDER BY … LIMIT/OFFSET', async () => {
		const view = { sort: [{ column: 'price', descending: true }], filters: { name: '=n3', day: '>= 2024-02-01' } };
		const target = viewTable('test');
		for (const statement of materializeQuery(target, 't', COLUMNS, view).split(';\n')) await db.run(statement);
		const [{ n, m }] = await db.rows(rowidCheckQuery(target));
		expect(n).toBe(m);
		const expected = await db.rows(`SELECT id FROM t WHERE name = 'n3' AND day >= DATE '2024-02-01' ORDER BY price DESC, rowid LIMIT 50 OFFSET 1000`);
		const window = await db.rows(windowQuery(target, 1000, 50, true, '"id"'));
		expect(window).toEqual(expected);
		expect(expected.length).toBe(50);
	});

	it('a rowid view (for wide tables) gives the same windows and the same full order by joining back', async () => {
		const view = { sort: [{ column: 'price', descending: true }], filters: { name: '=n3', day: '>= 2024-02-01' } };
		const order = viewTable('rowids');
		for (const statement of materializeQuery(order, 't', COLUMNS, view, true).split(';\n')) await db.run(statement);
		expect(await db.rows(`SELECT * FROM ${order} LIMIT 1`)).toEqual([{ driftbook_row: expect.any(String) }]);
		const [{ n, m }] = await db.rows(rowidCheckQuery(order));
		expect(n).toBe(m);
		const expected = await db.rows(
			`SELECT id::VARCHAR AS c0, name::VARCHAR AS c2 FROM t WHERE name = 'n3' AND day >= DATE '2024-02-01' ORDER BY price DESC, rowid LIMIT 50 OFFSET 1000`
		);
		const select = ['"id"::VARCHAR AS "c0"', '"name"::VARCHAR AS "c2"'].join(', ');
		expect(await db.rows(windowQuery('"t"', 1000, 50, true, select, order))).toEqual(expected);
		const all = await db.rows(windowQuery('"t"', 0, undefined, true, '"id"', order));
		expect(all).toEqual(await db.rows(`SELECT id FROM t WHERE name = 'n3' AND day >= DATE '2024-02-01' ORDER BY price DESC, rowid`));
		expect(all.length).toBe(n);
		expect(windowQuery('"t"', 0, undefined, true, 'x')).toBe('SELECT x FROM "t" ORDER BY rowid');
	});

	it('a window over a wide table (2,000 columns) projects only the columns asked for, named by their index', async () => {
		const wide: GridColumn[] = Array.from({ length: 2_000 }, (_, j) => ({ name: `col ${j}`, type: 'INTEGER' }));
		await db.run(`CREATE TABLE wide AS SELECT ${wide.map((c, j) => `(i * 10000 + ${j})::INTEGER AS "${c.name}"`).join(', ')} FROM range(12) r(i)`);
		const select = textSelect(wide, 1_984, 2_000);
		expect(select.split(' AS ').length - 1).toBe(16);
		expect(select.startsWith('"col 1984"::VARCHAR AS "c1984"')).toBe(true);
		const rows = await db.rows(windowQuery('"wide"', 8, 200, true, select));
		expect(rows).toHaveLength(4);
		expect(Object.keys(rows[0])).toEqual(Array.from({ length: 16 }, (_, k) => `c${1_984 + k}`));
		expect(rows[3].c1999).toBe(String(11 * 10_000 + 1_999));
		// Out-of-range spans are clamped; an empty table falls back to every column.
		expect(textSelect(wide.slice(0, 3), 2, 50)).toBe('"col 2"::VARCHAR AS "c2"');
		expect(textSelect([], 0, 5)).toBe('*');
	});
});
