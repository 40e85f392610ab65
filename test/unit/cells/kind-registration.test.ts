import { describe, expect, it } from 'vitest';
import { CellKinds, cellDefinitions } from '#lib/cells/core/kinds.ts';
import type { CellServices } from '#lib/cells/core/types.ts';
import { CELL_KINDS } from '#lib/cells/registry.ts';
import { parseNotebook } from '#lib/notebook/format.ts';
import { NotebookState } from '#lib/state/notebook.svelte.ts';
import { runFromCell } from '#lib/state/tracking.ts';
import { shoutKind } from './example-kind';

// The example kind is registered the way cells/registry.ts registers every kind; nothing else changes.
const kinds = new CellKinds([...CELL_KINDS.all, shoutKind]);
const services = { trusted: () => true } as CellServices;
const signal = new AbortController().signal;

describe('a cell kind is one record', () => {
	it('runs through cellDefinitions like the built-in kinds', async () => {
		const cells = [{ kind: 'shout', name: 'greeting', attrs: {}, source: 'text: hi\ntimes: 3' }];
		const [definition] = cellDefinitions(cells, services, kinds);
		expect(definition.inputs).toEqual([]);
		expect(await definition.run({}, { signal, progress: () => {} })).toEqual({ text: 'HI HI HI', times: 3 });
		// Without the registration the cell is an unknown kind: kept, never run.
		expect(await cellDefinitions(cells, services, CELL_KINDS)[0].run({}, { signal, progress: () => {} })).toEqual({ unknownKind: 'shout' });
	});

	it('is offered as a new cell with its starter text, name and outline label, and logs its run', async () => {
		const notebook = new NotebookState(parseNotebook('# Example\n'), () => services, { kinds });
		expect(notebook.kinds.creatable()).toEqual([...CELL_KINDS.creatable(), 'shout']);
		const name = notebook.addCell('shout');
		expect(name).toBe('loud1');
		const cell = notebook.cells.find((c) => c.name === name)!;
		expect(cell.source).toBe('text: hello\ntimes: 2');
		expect(notebook.kinds.get(cell.kind)?.outline?.(cell)).toBe('shout loud1');
		await notebook.idle();
		const state = notebook.states[name];
		expect(state.value).toEqual({ text: 'HELLO HELLO', times: 2 });
		const run = runFromCell({ experiment: 'e', notebookTitle: 'Example', finishedAt: 1 }, cell, state, notebook.kinds);
		expect(run?.params).toEqual({ text: 'HELLO HELLO' });
		expect(run?.metrics?.[0]).toEqual({ key: 'times', value: 2 });
		notebook.dispose();
	});
});
