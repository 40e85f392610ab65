import type { SqlConnector, TableRef } from './connector';
import { quoteIdentifier } from './identifiers';

export const PREVIEW_ROWS = 100;

/** Materializes a query as table `name`, so downstream cells read a consistent snapshot by name. */
export function createTableAs(name: string, sql: string): string {
	return `CREATE OR REPLACE TABLE ${quoteIdentifier(name)} AS (\n${sql.trim().replace(/;\s*$/, '')}\n)`;
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
