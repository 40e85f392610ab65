import { describe, expect, it, vi } from 'vitest';
import { parseNotebook } from '#lib/notebook/format.ts';
import { NotebookState, PROGRESS_INTERVAL_MS } from '#lib/state/notebook.svelte.ts';
import { output, type CellKind, type CellServices } from '#lib/cells/core/types.ts';
import { CellKinds } from '#lib/cells/core/kinds.ts';
import ValueView from '#lib/components/outputs/ValueView.svelte';
import { CELL_KINDS } from '#lib/cells/registry.ts';

const TEXT = `---
title: Ops
---

Intro

\`\`\`input name=n
type: slider
min: 0
max: 10
value: 3
\`\`\`
`;

function open(text = TEXT, saved: string[] = []) {
	const unavailable = () => Promise.reject(new Error('not in this test'));
	return new NotebookState(
		parseNotebook(text),
		(nb): CellServices => ({
			db: unavailable,
			inference: unavailable,
			stats: unavailable,
			backend: 'wasm',
			resolveUrl: (p) => p,
			inputValue: (name) => nb.inputValue(name),
			trusted: () => nb.trusted
		}),
		{ kinds: CELL_KINDS, onchange: (t) => saved.push(t) }
	);
}

const names = (nb: NotebookState) => nb.cells.map((c) => c.name);

describe('NotebookState edits', () => {
	it('adds, moves, duplicates, renames and deletes cells, each undoable', () => {
		const nb = open();
		nb.run();
		const added = nb.addCell('markdown', 'md1');
		expect(names(nb)).toEqual(['md1', added, 'n']);
		nb.moveCell(added, 1);
		expect(names(nb)).toEqual(['md1', 'n', added]);
		const copy = nb.duplicateCell('n');
		expect(names(nb)).toEqual(['md1', 'n', copy, added]);
		nb.renameCell(copy, 'threshold');
		expect(() => nb.renameCell('threshold', 'n')).toThrow('a cell named "n" already exists');
		expect(() => nb.renameCell('threshold', '9x')).toThrow('not a valid cell name');
		nb.deleteCell('md1');
		expect(names(nb)).toEqual(['n', 'threshold', added]);
		for (const expected of [
			['md1', 'n', 'threshold', added],
			['md1', 'n', copy, added],
			['md1', 'n', added],
			['md1', added, 'n'],
			['md1', 'n']
		]) {
			nb.undo();
			expect(names(nb)).toEqual(expected);
		}
		expect(nb.canUndo).toBe(false);
		nb.redo();
		nb.redo();
		expect(names(nb)).toEqual(['md1', 'n', added]);
		nb.dispose();
	});

	it('keeps typed text as a draft until it is applied, and autosaves both', async () => {
		const saved: string[] = [];
		const nb = open(TEXT, saved);
		nb.run();
		await nb.idle();
		nb.type('md1', 'Changed intro');
		expect(nb.pending.has('md1')).toBe(true);
		expect(saved.at(-1)).toContain('Changed intro');
		await nb.idle();
		expect(nb.states.md1.value).toBe('Intro');
		nb.apply('md1');
		expect(nb.pending.size).toBe(0);
		await nb.idle();
		expect(nb.states.md1.value).toBe('Changed intro');
		nb.undo();
		await nb.idle();
		expect(nb.states.md1.value).toBe('Intro');
		nb.dispose();
	});

	it('re-runs an input cell with the chosen value and keeps the file default', async () => {
		const nb = open();
		nb.run();
		await nb.idle();
		expect(nb.states.n.value).toMatchObject({ value: 3 });
		nb.setInput('n', 7);
		await nb.idle();
		expect(nb.states.n.value).toMatchObject({ value: 7 });
		expect(nb.states.n.runs).toBe(2);
		expect(nb.text()).toContain('value: 3');
		nb.dispose();
	});

	it('refuses edits when read-only and replaces on import with an undo step', () => {
		const readonly = new NotebookState(parseNotebook(TEXT), () => ({}) as CellServices, { kinds: CELL_KINDS, readonly: true });
		expect(() => readonly.addCell('sql')).toThrow('read-only');
		const nb = open();
		nb.replace('# Other\n');
		expect(nb.title).toBe('Other');
		expect(() => nb.replace('```sql\nx\n```')).toThrow('line 1: sql cell needs a name');
		expect(nb.title).toBe('Other');
		nb.undo();
		expect(nb.title).toBe('Ops');
	});
});

describe('NotebookState: inserting and running from a cell', () => {
	it('inserts a cell above or below any cell', () => {
		const nb = open(`${TEXT}\n\`\`\`sql name=q\nSELECT 1\n\`\`\`\n`);
		const above = nb.insertCell('sql', 'n', 'above');
		const below = nb.insertCell('markdown', 'n', 'below');
		expect(names(nb)).toEqual(['md1', above, 'n', below, 'q']);
		nb.undo();
		expect(names(nb)).toEqual(['md1', above, 'n', 'q']);
	});

	it('hides a cell’s code and its output separately', () => {
		const nb = open();
		nb.toggleCollapsed('n', 'hide_code');
		nb.toggleCollapsed('n', 'hide_output');
		expect(nb.cells[1].attrs).toEqual({ hide_code: 'true', hide_output: 'true' });
		nb.toggleCollapsed('n', 'hide_code');
		expect(nb.cells[1].attrs).toEqual({ hide_output: 'true' });
	});
});

describe('NotebookState: renaming a cell renames the references to it', () => {
	it('rewrites SQL, placeholders and table fields in the other cells, in one undoable step', () => {
		const text = `---\ntitle: R\n---\n\n\`\`\`sql name=events\nSELECT 1 AS x\n\`\`\`\n\n\`\`\`sql name=q\nSELECT * FROM events WHERE x > {{events.x}}\n\`\`\`\n\n\`\`\`chart name=c\ndata: events\nmark: line\nx: x\ny: x\n\`\`\`\n`;
		const nb = open(text);
		nb.renameCell('events', 'clicks');
		expect(nb.cells.map((c) => c.source)).toEqual(['SELECT 1 AS x', 'SELECT * FROM clicks WHERE x > {{clicks.x}}', 'data: clicks\nmark: line\nx: x\ny: x']);
		nb.undo();
		expect(nb.cells[1].source).toBe('SELECT * FROM events WHERE x > {{events.x}}');
	});
});

describe('NotebookState: Run all and run from a cell down', () => {
	it('runs the cell and every cell below it again, and Run all runs every cell', async () => {
		const nb = open(`${TEXT}\nOutro\n`);
		nb.run();
		await nb.idle();
		const runs = () => nb.cells.map((c) => nb.states[c.name]?.runs);
		const before = runs();
		nb.runFrom('n');
		await nb.idle();
		expect(runs()).toEqual([before[0], before[1] + 1, before[2] + 1]);
		nb.runAll();
		await nb.idle();
		expect(runs()).toEqual([before[0] + 1, before[1] + 2, before[2] + 2]);
	});
});

describe('NotebookState: progress reports', () => {
	it('coalesces a running cell’s progress into one write per interval, and a finish is never held back', async () => {
		vi.useFakeTimers();
		try {
			let report: (done: number) => void = () => {};
			let finish: () => void = () => {};
			const ticker: CellKind = {
				kind: 'ticker',
				inputs: () => [],
				run: (_cell, _inputs, _services, context) =>
					new Promise((resolve) => {
						report = (done) => context.progress(done, 1000);
						finish = () => resolve('finished');
					}),
				output: output(ValueView, (value: string) => ({ value }))
			};
			const nb = new NotebookState(parseNotebook('```ticker name=t\n```\n'), () => ({ trusted: () => true }) as CellServices, {
				kinds: new CellKinds([...CELL_KINDS.all, ticker])
			});
			nb.run();
			await vi.advanceTimersByTimeAsync(0);
			const running = nb.states.t;
			expect(running.status).toBe('running');
			for (let done = 1; done <= 1000; done++) report(done);
			// 1000 reports, no write yet: each write would re-render every cell.
			expect(nb.states.t).toBe(running);
			await vi.advanceTimersByTimeAsync(PROGRESS_INTERVAL_MS);
			expect(nb.states.t.progress).toEqual({ done: 1000, total: 1000 });
			report(1000);
			finish();
			await vi.advanceTimersByTimeAsync(0);
			expect(nb.states.t).toMatchObject({ status: 'done', value: 'finished' });
			await vi.advanceTimersByTimeAsync(PROGRESS_INTERVAL_MS);
			// The progress reported before the finish does not bring back `running`.
			expect(nb.states.t.status).toBe('done');
			nb.dispose();
		} finally {
			vi.useRealTimers();
		}
	});
});
