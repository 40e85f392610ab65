/**
 * Renaming a cell renames what other cells call it: SQL reading its table (`FROM old`,
 * `"old"`, `old.column`), `{{old}}` placeholders, and the fields of declarative cells that name a
 * table (`data:`, `reference:`, `current:`, `table:`, `input:`, `file:`). Strings and comments
 * are left as written; a column that happens to share the cell's name is renamed as well, as the
 * dependency scan counts it as a reference too.
 */
import type { CellLanguage } from './format';

const REFERENCE_FIELDS = ['data', 'reference', 'current', 'table', 'input', 'file'];

const SQL_TOKEN = /(--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*')|(\{\{\s*)([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)*\s*\}\})|"((?:[^"]|"")+)"|([A-Za-z_][\w$]*)/g;
const PLACEHOLDER = /(\{\{\s*)([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)*\s*\}\})/g;

export function renameInSql(sql: string, old: string, next: string): string {
	return sql.replace(SQL_TOKEN, (whole, skipped, open, placeholder, close, quoted, bare, offset: number) => {
		if (skipped !== undefined) return whole;
		if (placeholder !== undefined) return placeholder === old ? `${open}${next}${close}` : whole;
		// `t.old` is a column of another table, not this cell.
		if (sql[offset - 1] === '.') return whole;
		if (quoted !== undefined) return quoted.replaceAll('""', '"') === old ? `"${next}"` : whole;
		return bare === old ? next : whole;
	});
}

export function renameInFields(source: string, old: string, next: string): string {
	const field = new RegExp(`^(\\s*(?:${REFERENCE_FIELDS.join('|')})\\s*:\\s*)${old}(\\s*)$`, 'gm');
	return source.replace(field, `$1${next}$2`).replace(PLACEHOLDER, (whole, open, name, close) => (name === old ? `${open}${next}${close}` : whole));
}

/** A cell's text with `old` renamed to `next`, by the cell's editor language (JavaScript is left as written). */
export function renameReferences(source: string, language: CellLanguage, old: string, next: string): string {
	if (language === 'sql') return renameInSql(source, old, next);
	if (language === 'javascript') return source;
	return renameInFields(source, old, next);
}
