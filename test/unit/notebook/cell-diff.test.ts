import { describe, expect, it } from 'vitest';
import { diffNotebooks } from '#lib/notebook/cell-diff.ts';

const notebook = (title: string, ...cells: string[]) => `---\ntitle: ${title}\n---\n\n${cells.join('\n\n')}\n`;
const sql = (name: string, body: string, options = '') => `\`\`\`sql name=${name}${options}\n${body}\n\`\`\``;

describe('diffNotebooks', () => {
	it('names the cells changed, added and removed on each side', () => {
		const theirs = notebook('Review', sql('a', 'SELECT 1'), sql('b', 'SELECT 2'), sql('gone', 'SELECT 3'));
		const mine = notebook('Review', sql('a', 'SELECT 10'), sql('b', 'SELECT 2'), sql('fresh', 'SELECT 4'));
		expect(diffNotebooks(theirs, mine)).toEqual({
			cells: [
				{ change: 'changed', name: 'a', kind: 'sql', theirs: 'SELECT 1', mine: 'SELECT 10' },
				{ change: 'only-theirs', name: 'gone', kind: 'sql', theirs: 'SELECT 3' },
				{ change: 'only-mine', name: 'fresh', kind: 'sql', mine: 'SELECT 4' }
			],
			reordered: false
		});
	});

	it('sees a changed title, a changed fence option and a new order', () => {
		const theirs = notebook('Old', sql('a', 'SELECT 1'), sql('b', 'SELECT 2'));
		const mine = notebook('New', sql('b', 'SELECT 2', ' timeout=5'), sql('a', 'SELECT 1'));
		const diff = diffNotebooks(theirs, mine);
		expect(diff.title).toEqual({ theirs: 'Old', mine: 'New' });
		expect(diff.reordered).toBe(true);
		expect(diff.cells.map((c) => [c.name, c.change])).toEqual([['b', 'changed']]);
	});

	it('finds nothing between identical texts, and reports text that does not parse', () => {
		const text = notebook('Same', sql('a', 'SELECT 1'));
		expect(diffNotebooks(text, text)).toEqual({ cells: [], reordered: false });
		const broken = diffNotebooks(text, '---\ntitle: x\n---\n\n```sql name=a\nSELECT 1\n');
		expect(broken.unreadable).toMatch(/line \d+/);
	});
});
