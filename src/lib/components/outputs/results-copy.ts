/**
 * Copying from a results table takes what is stored, not what is shown: the selected rows (only
 * the selected cells of a single row), tab-separated, each number cell as its `data-stored`
 * value (see NumberCell.svelte), so a p-value shown as `3.21e-5` pastes in full.
 */
export function copyStoredValues(table: HTMLTableElement): () => void {
	const oncopy = (event: ClipboardEvent) => {
		const selection = document.getSelection();
		if (!selection || selection.isCollapsed || !event.clipboardData) return;
		const rows = [...table.rows].filter((row) => selection.containsNode(row, true));
		if (rows.length === 0) return;
		const cells = (row: HTMLTableRowElement) => [...row.cells].filter((cell) => rows.length > 1 || selection.containsNode(cell, true));
		const text = rows
			.map((row) =>
				cells(row)
					.map((cell) => cell.dataset.stored ?? cell.textContent?.trim() ?? '')
					.join('\t')
			)
			.join('\n');
		event.clipboardData.setData('text/plain', text);
		event.preventDefault();
	};
	table.addEventListener('copy', oncopy);
	return () => table.removeEventListener('copy', oncopy);
}
