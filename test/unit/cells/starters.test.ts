import { describe, expect, it } from 'vitest';
import { tableFromArrays } from 'apache-arrow';
import type { TableRef } from '#lib/sql/connector.ts';
import { CELL_KINDS } from '#lib/cells/registry.ts';
import type { CellServices } from '#lib/cells/core/types.ts';
import { parseFields, parseNotebook } from '#lib/notebook/format.ts';
import { NotebookState } from '#lib/state/notebook.svelte.ts';

function tableRef(name: string, columns: Parameters<typeof tableFromArrays>[0]): TableRef {
	const preview = tableFromArrays(columns);
	return { name, rowCount: preview.numRows, columns: preview.schema.fields.map((f) => ({ name: f.name, type: String(f.type) })), preview };
}

const experiment = tableRef('experiment', {
	user_id: Int32Array.from([1, 2, 3, 4]),
	variant: ['B', 'A', 'B', 'A'],
	converted: Int32Array.from([0, 1, 1, 0]),
	revenue: Float64Array.from([1.5, 2, 0, 3])
});
const shadow = tableRef('shadow', {
	customer_id: Int32Array.from([1, 2, 3]),
	churned: Int32Array.from([0, 1, 0]),
	model_v1: Float64Array.from([0.2, 0.7, 0.4]),
	model_v2: Float64Array.from([0.1, 0.9, 0.3])
});

const starter = (kind: string, tables: TableRef[]) => CELL_KINDS.get(kind)?.starter?.(tables);
const fields = (source: string | undefined) => parseFields(source ?? '', 'c');

describe('new cells from the notebook’s own tables', () => {
	it('offers every analysis kind under "New cell", each with a template', () => {
		for (const kind of ['ab', 'champion', 'power', 'drift', 'chart', 'performance', 'multivariate', 'quality']) {
			expect(CELL_KINDS.creatable()).toContain(kind);
			expect(CELL_KINDS.get(kind)?.template).toBeTruthy();
		}
	});

	it('fills drift and chart cells from the first table and its first numeric column', () => {
		expect(fields(starter('drift', [experiment]))).toMatchObject({ reference: 'experiment', current: 'experiment' });
		expect(fields(starter('drift', [experiment, shadow]))).toMatchObject({ reference: 'experiment', current: 'shadow' });
		expect(fields(starter('chart', [experiment]))).toMatchObject({ data: 'experiment', x: 'user_id', y: 'converted' });
		expect(fields(starter('quality', [experiment, shadow]))).toEqual({ reference: 'experiment', analysis: 'shadow' });
	});

	it('fills A/B and champion cells from a group column, a 0/1 outcome and two predictions', () => {
		expect(fields(starter('ab', [shadow, experiment]))).toMatchObject({ table: 'experiment', group: 'variant', metric: 'converted', control: 'A' });
		expect(fields(starter('champion', [experiment, shadow]))).toMatchObject({
			table: 'shadow',
			label: 'churned',
			champion: 'model_v1',
			challenger: 'model_v2'
		});
	});

	it('keeps the plain template when no table fits', () => {
		for (const kind of ['drift', 'chart', 'ab', 'champion', 'quality']) expect(starter(kind, [])).toBeUndefined();
	});

	it('picks no A/B or champion fields from a table without a group column or two predictions', () => {
		const numbers = tableRef('numbers', { day: Int32Array.from([1, 2, 3]), value: Float64Array.from([0.5, 1.5, 2]) });
		expect(starter('ab', [numbers])).toBeUndefined();
		expect(starter('champion', [numbers, experiment])).toBeUndefined();
	});

	it('shows a new cell without a fitting table as waiting for setup, with guidance, not as an error', async () => {
		const notebook = new NotebookState(parseNotebook('---\ntitle: Empty\n---\n'), () => ({ trusted: () => true }) as CellServices, { kinds: CELL_KINDS });
		const added = ['ab', 'champion', 'drift', 'chart', 'performance', 'multivariate', 'quality'].map((kind) => notebook.addCell(kind));
		// A cell reading a cell that waits for setup waits too.
		notebook.setSource(notebook.addCell('js'), `return ${added[0]};`);
		notebook.run();
		await notebook.idle();
		const states = notebook.cells.map((c) => [c.name, notebook.states[c.name].status, notebook.states[c.name].waiting?.cell]);
		expect(states).toEqual([
			['ab1', 'queued', 'ab1'],
			['champion1', 'queued', 'champion1'],
			['drift1', 'queued', 'drift1'],
			['chart1', 'queued', 'chart1'],
			['performance1', 'queued', 'performance1'],
			['multivariate1', 'queued', 'multivariate1'],
			['quality1', 'queued', 'quality1'],
			['js1', 'queued', 'ab1']
		]);
		expect(notebook.states.performance1.waiting?.reason).toMatch(/^Needs a reference table with labels and an analysis table/);
		expect(notebook.states.quality1.waiting?.reason).toMatch(/^Needs a reference and an analysis table: .* The checks are learnt from the reference/);
		expect(notebook.states.ab1.waiting?.reason).toMatch(/^Needs a table with a group column .* and a metric column: load data first/);
		// Once its author edits the template, it runs like any cell and reports what is wrong.
		notebook.setSource('ab1', 'table: nowhere\ngroup: g\nmetric: m\ncontrol: A');
		notebook.run();
		await notebook.idle();
		expect(notebook.states.ab1.status).toBe('error');
		notebook.dispose();
	});
});
