import { describe, expect, it } from 'vitest';
import { interpolate, literal, quoteIdentifier, referencedNames } from '#lib/sql/identifiers.ts';
import { createTableAs } from '#lib/sql/tables.ts';

describe('SQL building', () => {
	it('quotes identifiers and literals', () => {
		expect(quoteIdentifier('we"ird')).toBe('"we""ird"');
		expect(literal("it's")).toBe("'it''s'");
		expect(literal([1, 'a', null, true])).toBe("(1, 'a', NULL, TRUE)");
		expect(() => literal(Number.NaN)).toThrow('cannot use NaN in SQL');
	});

	it('interpolates {{name}} as literals', () => {
		expect(interpolate('SELECT * FROM t WHERE x > {{ min }} AND s = {{s}}', { min: 3, s: "o'k" })).toBe("SELECT * FROM t WHERE x > 3 AND s = 'o''k'");
		expect(() => interpolate('{{missing}}', {})).toThrow('{{missing}} has no value');
		const period = { start: '2026-01-05', end: '2026-02-01' };
		expect(interpolate('t BETWEEN {{period.start}} AND {{ period.end }}', { period })).toBe("t BETWEEN '2026-01-05' AND '2026-02-01'");
		expect(() => interpolate('{{period}}', { period })).toThrow('{{period}} is an object; name one of its fields, e.g. {{period.start}}');
		expect(() => interpolate('{{period.middle}}', { period })).toThrow('the value of period has no field "middle"');
		expect(referencedNames('WHERE t > {{period.start}}', new Set(['period']))).toEqual(['period']);
	});

	it('finds referenced cell names outside strings and comments', () => {
		const names = new Set(['events', 'weekly', 'limit', 'min', 'My Table']);
		const sql = `-- weekly is mentioned in a comment
			SELECT * FROM events JOIN "My Table" USING (id) WHERE label = 'weekly' AND x > {{min}} /* limit */`;
		expect(referencedNames(sql, names).sort()).toEqual(['My Table', 'events', 'min']);
	});

	it('materializes a query as a table named after the cell', () => {
		expect(createTableAs('weekly', 'SELECT 1;\n')).toBe('CREATE OR REPLACE TABLE "weekly" AS (\nSELECT 1\n)');
	});
});
