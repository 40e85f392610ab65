import { output, type CellKind } from '#lib/cells/core/types.ts';
import type { TableRef } from '#lib/sql/connector.ts';
import TableView from '#lib/components/grid/TableView.svelte';
import { dataCell } from './data';

export const dataKind: CellKind = {
	...dataCell,
	template: 'url: /samples/churn_events.csv',
	output: output(TableView, (table: TableRef) => ({ table }))
};
