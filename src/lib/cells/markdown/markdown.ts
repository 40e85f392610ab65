import type { CellKind } from '#lib/cells/core/types.ts';

/** Markdown cells have no inputs; their value is their source, rendered (sanitized) by the view. */
export const markdownCell: CellKind = {
	kind: 'markdown',
	inputs: () => [],
	run: async (cell) => cell.source
};
