import { describe, expect, it } from 'vitest';
import { parseNotebook } from '#lib/notebook/format.ts';
import { NOTEBOOK_TEMPLATES, withTitle } from '#lib/notebook/templates.ts';
import { CELL_KINDS } from '#lib/cells/registry.ts';
import { editedAgo, matchesSearch } from '#lib/state/notebook-list.svelte.ts';

describe('the New notebook gallery', () => {
	it('offers a blank notebook and the four reviews, each a notebook of known kinds', () => {
		expect(NOTEBOOK_TEMPLATES.map((t) => t.id)).toEqual(['blank', 'drift', 'ab', 'champion', 'model']);
		for (const template of NOTEBOOK_TEMPLATES) {
			const notebook = parseNotebook(template.source);
			expect(notebook.title).toBeTruthy();
			for (const cell of notebook.cells) expect(CELL_KINDS.get(cell.kind), `${template.id}: ${cell.kind}`).toBeDefined();
		}
	});

	it('retitles a notebook in its front matter', () => {
		expect(parseNotebook(withTitle(NOTEBOOK_TEMPLATES[0].source, 'Mine')).title).toBe('Mine');
	});
});

describe('the home page list', () => {
	it('matches every word of the search in the title or slug', () => {
		const notebook = { title: 'Churn model drift review', slug: 'churn-model-drift-review' };
		expect(matchesSearch(notebook, 'DRIFT churn')).toBe(true);
		expect(matchesSearch(notebook, 'drift ab')).toBe(false);
		expect(matchesSearch(notebook, '')).toBe(true);
	});

	it('says how long ago a notebook was edited', () => {
		const now = Date.parse('2026-03-10T12:00:00Z');
		expect(editedAgo('2026-03-10T11:59:30Z', now)).toBe('just now');
		expect(editedAgo('2026-03-10T11:57:00Z', now)).toBe('3 minutes ago');
		expect(editedAgo('2026-03-09T12:00:00Z', now)).toBe('yesterday');
	});
});
