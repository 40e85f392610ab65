import { output, type CellKind } from '#lib/cells/core/types.ts';
import { isDroppedFile } from '#lib/ingest/sources/dropped-file.ts';
import type { TableRef } from '#lib/sql/connector.ts';
import { parseFields } from '#lib/notebook/format.ts';
import { dataSettings } from '#lib/ingest/read-options.ts';
import TableView from '#lib/components/grid/TableView.svelte';
import { dataCell } from './data';

export const dataKind: CellKind = {
	...dataCell,
	template: 'url: /samples/churn_events.csv',
	output: output(TableView, (table: TableRef) => ({ table })),
	sourceFile(cell, valueOf) {
		let settings;
		try {
			settings = dataSettings(parseFields(cell.source, cell.name));
		} catch {
			return undefined;
		}
		const file = settings.file ? valueOf(settings.file) : undefined;
		return isDroppedFile(file) ? { file, format: settings.request.format } : undefined;
	},
	engines: ['db', 'loader']
};
