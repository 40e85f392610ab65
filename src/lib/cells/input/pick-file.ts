import type { CellSpec } from '#lib/notebook/format.ts';
import type { NotebookHandle } from '#lib/cells/core/types.ts';
import { droppedFile } from '#lib/ingest/sources/dropped-file.ts';
import { keptFileSource } from '#lib/ingest/sources/picked-files.ts';

/**
 * A file picked into a file input cell: kept in this browser by content hash and named in the
 * cell's text (`value: file:<name>#sha256=…`), so a reload restores it without picking again.
 * A read-only notebook (a shared link) uses the file for this page, keeping it too: the next
 * visit of the same link finds it. A file too large to keep, or a full storage, is used for
 * this page only.
 */
export async function pickFile(notebook: NotebookHandle, cell: CellSpec, file: File): Promise<void> {
	const source = await keptFileSource(cell.source, file);
	if (notebook.readonly || !source) return notebook.setInput(cell.name, droppedFile(file));
	// A choice made for this page only would hide the file the text names: replace it too.
	if (notebook.inputValue(cell.name)) notebook.setInput(cell.name, droppedFile(file));
	if (source === cell.source) notebook.rerun(cell.name);
	else notebook.setSource(cell.name, source);
}
