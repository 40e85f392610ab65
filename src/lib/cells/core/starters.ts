/**
 * Starter text for a new cell filled from the notebook's own tables, so a new drift, chart, A/B,
 * champion or quality cell runs at once instead of starting red. Each kind picks its fields from the
 * tables' column types and their first rows (the preview); a kind without a fit keeps its
 * plain template.
 */
import type { TableRef } from '#lib/sql/connector.ts';

const NUMERIC = /^(Float|Int|Uint|Decimal)/;
const TEXT = /^(Utf8|LargeUtf8|Dictionary)/;

export const numericColumns = (table: TableRef) => table.columns.filter((c) => NUMERIC.test(c.type)).map((c) => c.name);
export const textColumns = (table: TableRef) => table.columns.filter((c) => TEXT.test(c.type)).map((c) => c.name);

/** The distinct values of a column among the table's first rows, sorted. */
export function previewValues(table: TableRef, column: string): string[] {
	const vector = table.preview.getChild(column);
	if (!vector) return [];
	const values = new Set<string>();
	for (const value of vector) if (value !== null && value !== undefined) values.add(String(value));
	return [...values].sort();
}

/** 0/1 columns (a label or a conversion) among the first rows. */
export const binaryColumns = (table: TableRef) =>
	numericColumns(table).filter((c) => {
		const values = previewValues(table, c);
		return values.length > 0 && values.every((v) => v === '0' || v === '1');
	});

/** Columns that only number rows (`id`, `user_id`): no measurement to compare. */
const isIdentifier = (name: string) => /(^|_)id$/i.test(name);

export function driftStarter(tables: readonly TableRef[]): string | undefined {
	const [reference, current = reference] = tables;
	if (!reference) return undefined;
	return `reference: ${reference.name}\ncurrent: ${current.name}\nmethod: auto`;
}

/** A quality cell checks the second table against the first (itself when there is one). */
export function qualityStarter(tables: readonly TableRef[]): string | undefined {
	const [reference, analysis = reference] = tables;
	if (!reference) return undefined;
	return `reference: ${reference.name}\nanalysis: ${analysis.name}`;
}

export function chartStarter(tables: readonly TableRef[]): string | undefined {
	for (const table of tables) {
		const x = table.columns[0]?.name;
		const y = numericColumns(table).find((c) => c !== x && !isIdentifier(c));
		if (x && y) return `data: ${table.name}\nmark: line\nx: ${x}\ny: ${y}\ntitle: ${y} by ${x}`;
	}
	return undefined;
}

export function abStarter(tables: readonly TableRef[]): string | undefined {
	for (const table of tables) {
		const group = textColumns(table).find((c) => {
			const n = previewValues(table, c).length;
			return n >= 2 && n <= 10;
		});
		const metric = binaryColumns(table)[0] ?? numericColumns(table).find((c) => !isIdentifier(c));
		if (group && metric) return `table: ${table.name}\ngroup: ${group}\nmetric: ${metric}\ncontrol: ${previewValues(table, group)[0]}\ntest: auto`;
	}
	return undefined;
}

export function championStarter(tables: readonly TableRef[]): string | undefined {
	for (const table of tables) {
		const label = binaryColumns(table)[0];
		const predictions = numericColumns(table).filter((c) => c !== label && !isIdentifier(c));
		if (label && predictions.length >= 2) return `table: ${table.name}\nlabel: ${label}\nchampion: ${predictions[0]}\nchallenger: ${predictions[1]}`;
	}
	return undefined;
}
