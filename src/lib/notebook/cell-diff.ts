/**
 * What differs between two texts of one notebook, cell by cell (cells are matched by name), for
 * the save-conflict panel: which cells the other side changed, added or removed, and which
 * moved. Text that does not parse is compared as a whole.
 */
import { parseNotebook, type CellSpec } from './format';

export type CellChange =
	| { change: 'changed'; name: string; kind: string; theirs: string; mine: string }
	| { change: 'only-theirs'; name: string; kind: string; theirs: string }
	| { change: 'only-mine'; name: string; kind: string; mine: string };

export interface NotebookDiff {
	title?: { theirs: string; mine: string };
	cells: CellChange[];
	/** Both have the same cells but in a different order. */
	reordered: boolean;
	/** Set when one side does not parse: the texts are then shown whole. */
	unreadable?: string;
}

/** A cell as the file writes it, options included, so a changed option counts as a change. */
function cellText(cell: CellSpec): string {
	const options = Object.entries(cell.attrs)
		.map(([k, v]) => ` ${k}=${v}`)
		.join('');
	return `${cell.kind}${options}\n${cell.source}`;
}

export function diffNotebooks(theirs: string, mine: string): NotebookDiff {
	let a, b;
	try {
		a = parseNotebook(theirs);
		b = parseNotebook(mine);
	} catch (error) {
		return { cells: [], reordered: false, unreadable: (error as Error).message };
	}
	const mineByName = new Map(b.cells.map((c) => [c.name, c]));
	const theirsByName = new Map(a.cells.map((c) => [c.name, c]));
	const cells: CellChange[] = [];
	for (const cell of a.cells) {
		const other = mineByName.get(cell.name);
		if (!other) cells.push({ change: 'only-theirs', name: cell.name, kind: cell.kind, theirs: cell.source });
		else if (cellText(other) !== cellText(cell)) cells.push({ change: 'changed', name: cell.name, kind: other.kind, theirs: cell.source, mine: other.source });
	}
	for (const cell of b.cells) {
		if (!theirsByName.has(cell.name)) cells.push({ change: 'only-mine', name: cell.name, kind: cell.kind, mine: cell.source });
	}
	const common = (list: CellSpec[], other: Map<string, CellSpec>) =>
		list
			.filter((c) => other.has(c.name))
			.map((c) => c.name)
			.join('\0');
	return {
		...(a.title !== b.title ? { title: { theirs: a.title, mine: b.title } } : {}),
		cells,
		reordered: common(a.cells, mineByName) !== common(b.cells, theirsByName)
	};
}
