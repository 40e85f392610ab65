import { describe, expect, it } from 'vitest';
import { renameInFields, renameInSql } from '#lib/notebook/rename-references.ts';

describe('renaming a cell rewrites what other cells call it', () => {
	it('renames tables and placeholders in SQL, not strings, comments or other tables’ columns', () => {
		const sql = `-- from events\nSELECT e.id, other.events FROM events e JOIN "events" USING (id)\nWHERE label = 'events' AND n > {{events.min}} /* events */`;
		expect(renameInSql(sql, 'events', 'clicks')).toBe(
			`-- from events\nSELECT e.id, other.events FROM clicks e JOIN "clicks" USING (id)\nWHERE label = 'events' AND n > {{clicks.min}} /* events */`
		);
		expect(renameInSql('SELECT * FROM events_2024', 'events', 'clicks')).toBe('SELECT * FROM events_2024');
	});

	it('renames the fields that name a table, and nothing else', () => {
		const fields = 'reference: events\ncurrent: events_new\ntitle: events\ndata:events\n';
		expect(renameInFields(fields, 'events', 'clicks')).toBe('reference: clicks\ncurrent: events_new\ntitle: events\ndata:clicks\n');
		expect(renameInFields('table: events\ncontrol: {{events}}', 'events', 'clicks')).toBe('table: clicks\ncontrol: {{clicks}}');
	});
});
