import { describe, expect, it } from 'vitest';
import { renameInFields, renameInJavaScript, renameInSql } from '#lib/notebook/rename-references.ts';

describe('renaming a cell rewrites what other cells call it', () => {
	it('renames tables and placeholders in SQL, not strings, comments or other tables’ columns', () => {
		const sql = `-- from events\nSELECT e.id, other.events FROM events e JOIN "events" USING (id)\nWHERE label = 'events' AND n > {{events.min}} /* events */`;
		expect(renameInSql(sql, 'events', 'clicks')).toBe(
			`-- from events\nSELECT e.id, other.events FROM clicks e JOIN "clicks" USING (id)\nWHERE label = 'events' AND n > {{clicks.min}} /* events */`
		);
		expect(renameInSql('SELECT * FROM events_2024', 'events', 'clicks')).toBe('SELECT * FROM events_2024');
	});

	it('leaves a column that shares the table’s name', () => {
		expect(renameInSql('SELECT sales, t.sales FROM sales JOIN totals t USING (region)', 'sales', 'revenue')).toBe(
			'SELECT sales, t.sales FROM revenue JOIN totals t USING (region)'
		);
		expect(renameInSql('SELECT region, sum(sales) AS sales FROM orders GROUP BY region ORDER BY sales', 'sales', 'revenue')).toBe(
			'SELECT region, sum(sales) AS sales FROM orders GROUP BY region ORDER BY sales'
		);
		expect(renameInSql('UPDATE sales SET sales = sales * 2', 'sales', 'revenue')).toBe('UPDATE revenue SET sales = sales * 2');
	});

	it('renames every place a table stands, and a qualifier only where the query reads that table', () => {
		expect(renameInSql('SELECT sales.region, sales.* FROM orders, sales WHERE orders.id = sales.id', 'sales', 'revenue')).toBe(
			'SELECT revenue.region, revenue.* FROM orders, revenue WHERE orders.id = revenue.id'
		);
		expect(renameInSql('INSERT INTO sales SELECT * FROM (SELECT 1) s, sales', 'sales', 'revenue')).toBe(
			'INSERT INTO revenue SELECT * FROM (SELECT 1) s, revenue'
		);
		expect(renameInSql('SELECT f(a, sales) FROM t WHERE x IN (1, sales)', 'sales', 'revenue')).toBe('SELECT f(a, sales) FROM t WHERE x IN (1, sales)');
		// An alias (or struct column) named like the table: its qualifier is not the table.
		expect(renameInSql('SELECT sales.amount FROM orders AS sales', 'sales', 'revenue')).toBe('SELECT sales.amount FROM orders AS sales');
		// A CTE of that name shadows the table: every `sales` means the CTE.
		const cte = 'WITH sales AS (SELECT 1 AS sales) SELECT sales FROM sales';
		expect(renameInSql(cte, 'sales', 'revenue')).toBe(cte);
	});

	it('renames the identifiers a JavaScript cell reads the cell by, not locals, properties, keys or strings', () => {
		const js = [
			'// sales by region',
			'const total = sales.reduce((s, r) => s + r.sales, 0);',
			"const label = 'sales';",
			'const out = { sales, total, name: "sales" };',
			'function f(sales) { return sales.length; }',
			'return { ...out, n: sales.length, obj: { sales: 1 }.sales };'
		].join('\n');
		expect(renameInJavaScript(js, 'sales', 'revenue')).toBe(
			[
				'// sales by region',
				'const total = revenue.reduce((s, r) => s + r.sales, 0);',
				"const label = 'sales';",
				'const out = { sales: revenue, total, name: "sales" };',
				'function f(sales) { return sales.length; }',
				'return { ...out, n: revenue.length, obj: { sales: 1 }.sales };'
			].join('\n')
		);
		expect(renameInJavaScript('`${sales.length} rows`', 'sales', 'revenue')).toBe('`${revenue.length} rows`');
		// Code that does not parse: the words outside strings and comments, as the dependency scan reads it.
		expect(renameInJavaScript("sales.length + 'sales' +", 'sales', 'revenue')).toBe("revenue.length + 'sales' +");
	});

	it('renames the fields that name a table, and nothing else', () => {
		const fields = 'reference: events\ncurrent: events_new\ntitle: events\ndata:events\n';
		expect(renameInFields(fields, 'events', 'clicks')).toBe('reference: clicks\ncurrent: events_new\ntitle: events\ndata:clicks\n');
		expect(renameInFields('table: events\ncontrol: {{events}}', 'events', 'clicks')).toBe('table: clicks\ncontrol: {{clicks}}');
	});
});
