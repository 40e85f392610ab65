/**
 * Renaming a cell renames what other cells call it, and only that:
 *
 * - SQL: the table where it stands as a table: right after FROM, JOIN, INTO, UPDATE, TABLE,
 *   DESCRIBE or SUMMARIZE, or after a comma in a FROM list (`FROM a, old`), bare or quoted. A
 *   qualifier `old.column` is renamed when the same text reads `old` as a table, since it then
 *   names that table; without such a read it names an alias or a struct column and stays. A
 *   column that shares the table's name (`SELECT old`, `t.old`) stays, and so does a query that
 *   defines a CTE of that name (its `FROM old` reads the CTE). `{{old}}` placeholders are
 *   renamed; strings and comments are left as written.
 * - JavaScript: the identifiers that read the cell (the free variables the dependency scan
 *   counts); a local variable, a property, a string or a comment of that name stays, and a
 *   shorthand property `{ old }` keeps its key (`{ old: next }`).
 * - Declarative cells: the fields that name a table (`data:`, `reference:`, `current:`,
 *   `table:`, `input:`, `file:`) and `{{old}}` placeholders.
 */
import type { CellLanguage } from './format';
import { freeReferences } from '#lib/sandbox/free-variables.ts';

const REFERENCE_FIELDS = ['data', 'reference', 'current', 'table', 'input', 'file'];

const SQL_TOKEN = /(--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*')|(\{\{\s*)([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)*\s*\}\})|"((?:[^"]|"")+)"|([A-Za-z_][\w$]*)|(\S)/g;
const PLACEHOLDER = /(\{\{\s*)([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)*\s*\}\})/g;

/** Keywords a table name follows. */
const BEFORE_TABLE = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE', 'DESCRIBE', 'SUMMARIZE']);
/** Keywords that end a FROM list, after which a comma no longer separates tables. */
const AFTER_FROM = new Set([
	'WHERE',
	'GROUP',
	'HAVING',
	'ORDER',
	'LIMIT',
	'QUALIFY',
	'WINDOW',
	'UNION',
	'EXCEPT',
	'INTERSECT',
	'SELECT',
	'SET',
	'VALUES',
	'RETURNING'
]);

interface SqlToken {
	text: string;
	start: number;
	/** The identifier it spells (bare or unquoted), for words and quoted names. */
	name?: string;
	/** A bare word, upper-cased, for keywords. */
	word?: string;
	/** Kept as written: a string, a comment or a placeholder. */
	fixed?: boolean;
	placeholder?: { open: string; name: string; close: string };
}

function sqlTokens(sql: string): SqlToken[] {
	return [...sql.matchAll(SQL_TOKEN)].map((m) => {
		const [text, skipped, open, placeholder, close, quoted, bare] = m;
		const start = m.index;
		if (skipped !== undefined) return { text, start, fixed: true };
		if (placeholder !== undefined) return { text, start, fixed: true, placeholder: { open, name: placeholder, close } };
		if (quoted !== undefined) return { text, start, name: quoted.replaceAll('""', '"') };
		if (bare !== undefined) return { text, start, name: bare, word: bare.toUpperCase() };
		return { text, start };
	});
}

/** Indexes of the tokens that stand where a table does (see the module comment). */
function tablePositions(tokens: readonly SqlToken[]): Set<number> {
	const code = tokens.map((t, i) => [t, i] as const).filter(([t]) => !t.fixed || t.placeholder);
	const positions = new Set<number>();
	// Per parenthesis depth: whether a FROM list is open there.
	const inFrom: boolean[] = [false];
	let depth = 0;
	for (let k = 0; k < code.length; k++) {
		const [token, index] = code[k];
		const previous = code[k - 1]?.[0];
		if (token.text === '(') inFrom[++depth] = false;
		else if (token.text === ')') depth = Math.max(0, depth - 1);
		else if (token.word === 'FROM') inFrom[depth] = true;
		else if (token.word !== undefined && AFTER_FROM.has(token.word)) inFrom[depth] = false;
		if (token.name === undefined || previous?.text === '.') continue;
		if ((previous?.word !== undefined && BEFORE_TABLE.has(previous.word)) || (previous?.text === ',' && inFrom[depth])) positions.add(index);
	}
	return positions;
}

/** Whether the SQL defines a CTE named `name` (`WITH name AS (…)`, `, name AS MATERIALIZED (…)`). */
function definesCte(tokens: readonly SqlToken[], name: string): boolean {
	const code = tokens.filter((t) => !t.fixed);
	return code.some((t, k) => t.name === name && code[k + 1]?.word === 'AS' && ['(', 'MATERIALIZED', 'NOT'].includes(code[k + 2]?.word ?? code[k + 2]?.text));
}

export function renameInSql(sql: string, old: string, next: string): string {
	const tokens = sqlTokens(sql);
	const renameTables = !definesCte(tokens, old);
	const tables = tablePositions(tokens);
	const readsTable = renameTables && [...tables].some((i) => tokens[i].name === old);
	const out: string[] = [];
	let at = 0;
	tokens.forEach((token, i) => {
		let text = token.text;
		const placeholder = token.placeholder;
		if (placeholder?.name === old) text = `${placeholder.open}${next}${placeholder.close}`;
		else if (token.name === old && renameTables) {
			const qualifier = tokens[i + 1]?.text === '.' && tokens[i + 1].start === token.start + token.text.length && tokens[i - 1]?.text !== '.';
			if (tables.has(i) || (qualifier && readsTable)) text = token.text.startsWith('"') ? `"${next.replaceAll('"', '""')}"` : next;
		}
		out.push(sql.slice(at, token.start), text);
		at = token.start + token.text.length;
	});
	out.push(sql.slice(at));
	return out.join('');
}

export function renameInJavaScript(source: string, old: string, next: string): string {
	let out = source;
	// From the end, so earlier offsets stay valid.
	for (const reference of freeReferences(source).reverse()) {
		if (reference.name !== old) continue;
		out = out.slice(0, reference.from) + (reference.shorthand ? `${old}: ${next}` : next) + out.slice(reference.to);
	}
	return out;
}

export function renameInFields(source: string, old: string, next: string): string {
	const field = new RegExp(`^(\\s*(?:${REFERENCE_FIELDS.join('|')})\\s*:\\s*)${old}(\\s*)$`, 'gm');
	return source.replace(field, `$1${next}$2`).replace(PLACEHOLDER, (whole, open, name, close) => (name === old ? `${open}${next}${close}` : whole));
}

/** A cell's text with its references to cell `old` renamed to `next`, by the cell's editor language. */
export function renameReferences(source: string, language: CellLanguage, old: string, next: string): string {
	if (language === 'sql') return renameInSql(source, old, next);
	if (language === 'javascript') return renameInJavaScript(source, old, next);
	return renameInFields(source, old, next);
}
