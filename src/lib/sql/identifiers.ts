/** SQL text building: identifiers, literals, `{{name}}` interpolation and name references. */

export function quoteIdentifier(name: string): string {
	return `"${name.replaceAll('"', '""')}"`;
}

export function literal(value: unknown): string {
	if (value === null || value === undefined) return 'NULL';
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new Error(`cannot use ${value} in SQL`);
		return String(value);
	}
	if (typeof value === 'bigint') return value.toString();
	if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
	if (value instanceof Date) return `TIMESTAMP '${value.toISOString().replace('T', ' ').replace('Z', '')}'`;
	if (Array.isArray(value)) return `(${value.map(literal).join(', ')})`;
	return `'${String(value).replaceAll("'", "''")}'`;
}

/** `{{name}}` or `{{name.field}}` (e.g. `{{period.start}}` of a date range input). */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w]*)((?:\.[A-Za-z_]\w*)*)\s*\}\}/g;

/** Replace each placeholder with the SQL literal of that input's value (or of its field). */
export function interpolate(sql: string, values: Record<string, unknown>): string {
	return sql.replace(PLACEHOLDER, (whole: string, name: string, path: string) => {
		if (!(name in values)) throw new Error(`${whole} has no value`);
		let value = values[name];
		for (const field of path.split('.').slice(1)) {
			if (value === null || typeof value !== 'object' || !(field in value)) throw new Error(`${whole}: the value of ${name} has no field "${field}"`);
			value = (value as Record<string, unknown>)[field];
		}
		if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
			throw new Error(`${whole} is an object; name one of its fields, e.g. {{${name}.${Object.keys(value)[0] ?? 'field'}}}`);
		}
		return literal(value);
	});
}

/**
 * Names from `candidates` that the SQL reads: `{{name}}` placeholders and bare or quoted
 * identifiers outside strings and comments. Over-matching a column that shares a cell's name
 * only adds an edge, never drops one.
 */
export function referencedNames(sql: string, candidates: ReadonlySet<string>): string[] {
	const found = new Set<string>();
	for (const m of sql.matchAll(PLACEHOLDER)) if (candidates.has(m[1])) found.add(m[1]);
	const code = sql
		.replace(/--[^\n]*/g, ' ')
		.replace(/\/\*[\s\S]*?\*\//g, ' ')
		.replace(/'(?:[^']|'')*'/g, ' ');
	for (const m of code.matchAll(/"((?:[^"]|"")+)"|([A-Za-z_][\w$]*)/g)) {
		const name = m[1] !== undefined ? m[1].replaceAll('""', '"') : m[2];
		if (candidates.has(name)) found.add(name);
	}
	return [...found];
}
