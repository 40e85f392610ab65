import type { SqlConnector, TableRef } from './connector';
import { quoteIdentifier } from './identifiers';

export const PREVIEW_ROWS = 100;

/** Materializes a query as table `name`, so downstream cells read a consistent snapshot by name. */
export function createTableAs(name: string, sql: string): string {
	return `CREATE OR REPLACE TABLE ${quoteIdentifier(name)} AS (\n${userQuery(sql)}\n)`;
}

function userQuery(sql: string): string {
	return sql.trim().replace(/;\s*$/, '');
}

/**
 * DuckDB's message for a failed `createTableAs(…, sql)`, as the author of `sql` reads it: "LINE n"
 * counts the author's lines (the wrapper's first line and the leading blank lines `trim` removed
 * shift it; an error at the wrapper's closing parenthesis is at the query's last line), and a
 * paragraph DuckDB repeats is shown once.
 */
export function userQueryError(message: string, sql: string): string {
	const leading = sql.slice(0, sql.length - sql.trimStart().length).split('\n').length - 1;
	const lastLine = leading + userQuery(sql).split('\n').length;
	const mapped = message.replace(/\bLINE (\d+):/g, (_, n: string) => `LINE ${Math.min(Math.max(Number(n) - 1 + leading, 1), lastLine)}:`);
	const paragraphs = mapped.split(/\n{2,}/);
	return paragraphs.filter((p, i) => paragraphs.indexOf(p) === i).join('\n\n');
}

export function previewQuery(name: string, limit = PREVIEW_ROWS): string {
	return `SELECT * FROM ${quoteIdentifier(name)} LIMIT ${limit}`;
}

export function countQuery(name: string): string {
	return `SELECT count(*)::DOUBLE AS n FROM ${quoteIdentifier(name)}`;
}

export async function describeTable(db: SqlConnector, name: string, signal?: AbortSignal): Promise<TableRef> {
	const count = await db.query(countQuery(name), signal);
	const preview = await db.query(previewQuery(name), signal);
	return {
		name,
		rowCount: Number(count.getChild('n')?.get(0) ?? 0),
		columns: preview.schema.fields.map((f) => ({ name: f.name, type: String(f.type) })),
		preview
	};
}
