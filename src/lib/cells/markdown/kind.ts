import { output, type CellKind } from '#lib/cells/core/types.ts';
import { markdownCell } from './markdown';
import MarkdownOutput from './MarkdownOutput.svelte';

export const markdownKind: CellKind = {
	...markdownCell,
	template: 'Write notes in **Markdown**.',
	nameStem: 'notes',
	// The first heading names the cell in the outline.
	outline: (cell) => cell.source.match(/^#+\s+(.*)$/m)?.[1],
	output: output(MarkdownOutput, (source: string) => ({ source })),
	showsItself: true
};
