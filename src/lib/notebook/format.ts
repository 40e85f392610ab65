/**
 * The notebook file format (`*.driftbook.md`): Markdown with fenced cells.
 *
 *   ---
 *   title: Churn model drift review
 *   ---
 *   Prose between fences becomes markdown cells.
 *
 *   ```sql name=events
 *   SELECT * FROM churn_events
 *   ```
 *
 * The one parser and the one printer of notebooks; `parseNotebook(printNotebook(n))` equals `n`.
 * A cell's source is kept verbatim, so unknown kinds survive a round trip untouched.
 */

/** The language of a cell's source, for its editor and for renaming references in it. */
export type CellLanguage = 'sql' | 'javascript' | 'text';

export interface CellSpec {
	kind: string;
	/** Unique within a notebook; markdown cells get `md1`, `md2`, … when unnamed. */
	name: string;
	/** Extra `key=value` options on the fence line, in file order. */
	attrs: Record<string, string>;
	source: string;
}

export interface NotebookSpec {
	title: string;
	/** Front-matter fields other than the title, in file order. */
	meta: Record<string, string>;
	cells: CellSpec[];
}

export class NotebookFormatError extends Error {
	constructor(
		message: string,
		readonly line: number
	) {
		super(`line ${line}: ${message}`);
		this.name = 'NotebookFormatError';
	}
}

/** What a cell may be called; the editor's rename enforces the same. */
export const CELL_NAME = /^[A-Za-z_]\w*$/;
const FENCE_OPEN = /^(`{3,})([A-Za-z][\w-]*)(.*)$/;
const ATTR = /([A-Za-z_][\w-]*)=("(?:[^"\\]|\\.)*"|\S+)/y;

function parseAttrs(text: string, line: number): Record<string, string> {
	const attrs: Record<string, string> = {};
	let rest = text.trim();
	while (rest.length > 0) {
		ATTR.lastIndex = 0;
		const m = ATTR.exec(rest);
		if (!m) throw new NotebookFormatError(`cannot read fence option "${rest}" (expected key=value)`, line);
		const raw = m[2];
		if (Object.hasOwn(attrs, m[1])) throw new NotebookFormatError(`fence option "${m[1]}" is given twice`, line);
		attrs[m[1]] = raw.startsWith('"') ? JSON.parse(raw) : raw;
		rest = rest.slice(m[0].length).trim();
	}
	return attrs;
}

function printAttr(value: string): string {
	return /^[^\s"]+$/.test(value) ? value : JSON.stringify(value);
}

export function parseNotebook(text: string): NotebookSpec {
	const lines = text.replace(/\r\n?/g, '\n').split('\n');
	let i = 0;
	const meta: Record<string, string> = {};
	let title: string | undefined;
	if (lines[0] === '---') {
		const end = lines.indexOf('---', 1);
		if (end < 0) throw new NotebookFormatError('front matter opened with --- is never closed', 1);
		for (let k = 1; k < end; k++) {
			const m = /^([\w-]+):\s?(.*)$/.exec(lines[k]);
			if (!m) throw new NotebookFormatError(`front matter line is not "key: value"`, k + 1);
			if (m[1] === 'title') title = m[2];
			else meta[m[1]] = m[2];
		}
		i = end + 1;
	}

	const cells: CellSpec[] = [];
	let prose: string[] = [];
	let markdownCount = 0;
	const flushProse = () => {
		const source = prose.join('\n').replace(/^\n+|\n+$/g, '');
		prose = [];
		if (source.trim() === '') return;
		markdownCount += 1;
		cells.push({ kind: 'markdown', name: `md${markdownCount}`, attrs: {}, source });
	};

	for (; i < lines.length; i++) {
		const open = FENCE_OPEN.exec(lines[i]);
		if (!open) {
			prose.push(lines[i]);
			continue;
		}
		flushProse();
		const [, fence, kind, rest] = open;
		const startLine = i + 1;
		const attrs = parseAttrs(rest, startLine);
		const body: string[] = [];
		for (i++; i < lines.length && lines[i] !== fence; i++) {
			// The printer fences each cell longer than any fence inside it, so an opening fence of
			// the same length here means the previous cell's closing fence is missing.
			const inner = FENCE_OPEN.exec(lines[i]);
			if (inner && inner[1] === fence) {
				throw new NotebookFormatError(
					`a ${inner[2]} cell starts inside the ${kind} cell opened on line ${startLine}: is that cell's closing ${fence} missing?`,
					i + 1
				);
			}
			body.push(lines[i]);
		}
		if (i >= lines.length) throw new NotebookFormatError(`${kind} cell opened here is never closed with ${fence}`, startLine);
		let name = attrs.name;
		delete attrs.name;
		if (kind === 'markdown') {
			markdownCount += 1;
			name ??= `md${markdownCount}`;
		}
		if (!name) throw new NotebookFormatError(`${kind} cell needs a name (\`\`\`${kind} name=...)`, startLine);
		// Cells are read by name from SQL and JavaScript, so a name must be an identifier there too.
		if (!CELL_NAME.test(name)) {
			throw new NotebookFormatError(`cell name "${name}" is not valid (letters, digits and _, not starting with a digit)`, startLine);
		}
		cells.push({ kind, name, attrs, source: body.join('\n') });
	}
	flushProse();

	title ??= titleFromMarkdown(cells) ?? 'Untitled notebook';
	return { title, meta, cells };
}

function titleFromMarkdown(cells: CellSpec[]): string | undefined {
	for (const cell of cells) {
		if (cell.kind !== 'markdown') continue;
		const m = /^#\s+(.+)$/m.exec(cell.source);
		if (m) return m[1].trim();
	}
	return undefined;
}

function fenceFor(source: string): string {
	let longest = 2;
	for (const m of source.matchAll(/^`{3,}/gm)) longest = Math.max(longest, m[0].length);
	return '`'.repeat(longest + 1);
}

export function printNotebook(notebook: NotebookSpec): string {
	const parts: string[] = [];
	const front = Object.entries({ title: notebook.title, ...notebook.meta }).map(([k, v]) => `${k}: ${v}`);
	parts.push(['---', ...front, '---'].join('\n'));
	let markdownCount = 0;
	for (const cell of notebook.cells) {
		if (cell.kind === 'markdown') {
			markdownCount += 1;
			// Plain prose only when it prints back to the same cell: auto name, no options, no fence inside.
			const plain =
				cell.name === `md${markdownCount}` &&
				Object.keys(cell.attrs).length === 0 &&
				cell.source.trim() !== '' &&
				cell.source === cell.source.replace(/^\n+|\n+$/g, '') &&
				!cell.source.split('\n').some((l) => FENCE_OPEN.test(l) || l === '---');
			if (plain) {
				parts.push(cell.source);
				continue;
			}
		}
		const fence = fenceFor(cell.source);
		const attrs = Object.entries({ name: cell.name, ...cell.attrs })
			.map(([k, v]) => ` ${k}=${printAttr(v)}`)
			.join('');
		parts.push(`${fence}${cell.kind}${attrs}\n${cell.source === '' ? '' : cell.source + '\n'}${fence}`);
	}
	return parts.join('\n\n') + '\n';
}

/** `key: value` lines, the body of declarative cells (chart, model, drift). */
export function parseFields(source: string, cellName: string): Record<string, string> {
	const fields: Record<string, string> = {};
	source.split('\n').forEach((line, index) => {
		if (line.trim() === '' || line.trimStart().startsWith('#')) return;
		const m = /^\s*([\w.-]+)\s*:\s*(.*)$/.exec(line);
		if (!m) throw new Error(`cell ${cellName}, line ${index + 1}: expected "key: value", got "${line}"`);
		fields[m[1]] = m[2].trim();
	});
	return fields;
}
