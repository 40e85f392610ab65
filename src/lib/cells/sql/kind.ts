import { output, type CellKind } from '#lib/cells/core/types.ts';
import type { TableRef } from '#lib/sql/connector.ts';
import TableView from '#lib/components/grid/TableView.svelte';
import { sqlCell } from './sql';

export const sqlKind: CellKind = {
	...sqlCell,
	template: 'SELECT 42 AS answer',
	language: 'sql',
	editorOpen: true,
	output: output(TableView, (table: TableRef) => ({ table })),
	engines: ['db']
};
