import { invalidParameter } from './errors';

/**
 * MLflow's JSON is protobuf JSON: snake_case names, int64 as numbers, enums by name, unset
 * fields and empty repeated fields left out, and doubles that JSON cannot hold spelled
 * "NaN", "Infinity" and "-Infinity".
 */

/** A double as protobuf JSON writes it. */
export function encodeDouble(value: number): number | string {
	if (Number.isNaN(value)) return 'NaN';
	if (value === Infinity) return 'Infinity';
	if (value === -Infinity) return '-Infinity';
	return value;
}

/** A double as protobuf JSON reads it: a number, or a string holding one (incl. NaN, ±Infinity). */
export function decodeDouble(value: unknown): number | undefined {
	if (typeof value === 'number') return value;
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (text === 'NaN') return NaN;
	if (text === 'Infinity' || text === '+Infinity' || text === 'inf') return Infinity;
	if (text === '-Infinity' || text === '-inf') return -Infinity;
	if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
	return Number(text);
}

/**
 * Drops what protobuf JSON leaves out: undefined and null fields, and empty arrays (repeated
 * fields). Empty objects (set sub-messages such as a run's `inputs`) stay.
 */
export function compact<T extends Record<string, unknown>>(message: T): T {
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(message)) {
		if (value === undefined || value === null) continue;
		if (Array.isArray(value) && value.length === 0) continue;
		out[key] = value;
	}
	return out as T;
}

// Page tokens: base64 of {"offset": n}, the shape MLflow's own stores use. Clients treat them
// as opaque and hand them back unchanged.
export function encodePageToken(offset: number): string {
	return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

/** The offset a page token holds; 0 without one. A token not made here is a 400. */
export function decodePageToken(token: string | undefined): number {
	if (token === undefined || token === '') return 0;
	let offset: unknown;
	try {
		offset = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown }).offset;
	} catch {
		offset = undefined;
	}
	if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
		throw invalidParameter(`Invalid page token, could not decode: ${JSON.stringify(token)}`);
	}
	return offset;
}

/** A search's max_results must be between 1 and the endpoint's `threshold`. */
export function checkMaxResults(maxResults: number, threshold: number): void {
	if (maxResults < 1 || maxResults > threshold) {
		throw invalidParameter(`Invalid value ${maxResults} for parameter 'max_results' supplied. It must be between 1 and ${threshold}.`);
	}
}

/** A page of `rows` fetched with one extra row: the rows to answer and the next token, if any. */
export function page<T>(rows: T[], offset: number, maxResults: number): { items: T[]; next_page_token?: string } {
	if (rows.length > maxResults) return { items: rows.slice(0, maxResults), next_page_token: encodePageToken(offset + maxResults) };
	return { items: rows };
}

export function now(): number {
	return Date.now();
}
