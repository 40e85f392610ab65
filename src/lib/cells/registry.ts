import type { CellSpec } from '$lib/notebook/format';
import type { CellDefinition } from '$lib/runtime/runtime';
import type { CellKind, CellServices } from './types';
import { chartCell } from './chart';
import { dataCell } from './data';
import { driftCell } from './drift';
import { markdownCell } from './markdown';
import { modelCell } from './model';
import { sqlCell } from './sql';

export const CELL_KINDS: ReadonlyMap<string, CellKind> = new Map(
	[markdownCell, dataCell, sqlCell, chartCell, modelCell, driftCell].map((k) => [k.kind, k])
);

/** A cell of a kind this version does not know: kept in the file, shown, never run. */
export interface UnknownKindValue {
	unknownKind: string;
}

function inputsOf(kind: CellKind, cell: CellSpec, names: ReadonlySet<string>): string[] {
	try {
		return kind.inputs(cell, names);
	} catch {
		// An unreadable cell has no known inputs; running it reports the error on the cell.
		return [];
	}
}

/** The runtime's view of a notebook: one definition per cell, keyed by its kind, options and source. */
export function cellDefinitions(cells: readonly CellSpec[], services: CellServices): CellDefinition[] {
	const names = new Set(cells.map((c) => c.name));
	return cells.map((cell) => {
		const kind = CELL_KINDS.get(cell.kind);
		const key = JSON.stringify([cell.kind, cell.attrs, cell.source]);
		if (!kind) {
			return { name: cell.name, key, inputs: [], run: (): UnknownKindValue => ({ unknownKind: cell.kind }) };
		}
		return {
			name: cell.name,
			key,
			inputs: inputsOf(kind, cell, names),
			run: (inputs, context) => kind.run(cell, inputs, services, context)
		};
	});
}
