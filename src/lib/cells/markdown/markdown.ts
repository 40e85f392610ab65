import type { CellRunner } from '#lib/cells/core/types.ts';

/** Markdown cells have no inputs; their value is their source, rendered (sanitized) by the view. */
export const markdownCell: CellRunner = {
	kind: 'markdown',
	inputs: () => [],
	run: async (cell) => cell.source
};
