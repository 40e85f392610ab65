/**
 * A data-quality suite as JSON: its types, the one reader of an edited suite (`parseSuite`, used by
 * `driftbook check --suite` and the quality cell) and the one printer (`printSuite`: one check a
 * line, for a person to edit).
 *
 * The reader is written out by hand instead of with zod: the quality cell parses suites in the
 * browser and its stats worker runs them, and zod 4 builds its schemas with `Function('')`, which
 * the app's Content-Security-Policy refuses (no script-src 'unsafe-eval').
 */
import type { ChunkPlan, IncompleteChunk } from '#lib/stats/chunks/index.ts';

interface RateBounds {
	column: string;
	/** Bounds on each chunk's rate; null for none. */
	lower: number | null;
	upper: number | null;
	/** Learnt from the reference's chunks (mean ± 3σ) or fixed. */
	source: 'reference' | 'fixed';
}

export type QualityCheck =
	| { check: 'value_type'; column: string; type: 'number' }
	| ({ check: 'missing_values_rate' } & RateBounds)
	| ({ check: 'unseen_values_rate' } & RateBounds & { categories: string[]; missingSeen: boolean })
	| ({ check: 'out_of_range_values_rate' } & RateBounds & { min: number; max: number });

export interface QualitySuite {
	version: 1;
	/** How data sets are split: NannyML's chunkings, or calendar periods of a time column. */
	chunking: ChunkPlan;
	checks: QualityCheck[];
}

type Json = Record<string, unknown>;

class SuiteError extends Error {}

function fail(path: string, expected: string, got: unknown): never {
	const seen = got === undefined ? 'nothing' : JSON.stringify(got);
	throw new SuiteError(`expected ${expected}, got ${seen} at ${path}`);
}

function object(value: unknown, path: string): Json {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
	return value as Json;
}

function text(o: Json, key: string, path: string): string {
	const v = o[key];
	if (typeof v !== 'string' || v === '') fail(`${path}.${key}`, 'a non-empty string', v);
	return v;
}

function finite(o: Json, key: string, path: string): number {
	const v = o[key];
	if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${path}.${key}`, 'a finite number', v);
	return v;
}

function bound(o: Json, key: string, path: string): number | null {
	const v = o[key];
	if (v === null) return null;
	if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${path}.${key}`, 'a finite number or null', v);
	return v;
}

function oneOf<T extends string>(o: Json, key: string, allowed: readonly T[], path: string): T {
	const v = o[key];
	if (!allowed.includes(v as T)) fail(`${path}.${key}`, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, v);
	return v as T;
}

function chunking(value: unknown): ChunkPlan {
	const path = 'chunking';
	if (value === 'default') return value;
	const o = object(value, path);
	const keys = Object.keys(o);
	const only = (allowed: string[]) => {
		const extra = keys.find((k) => !allowed.includes(k));
		if (extra !== undefined) fail(`${path}.${extra}`, `no other key than ${allowed.join(', ')}`, o[extra]);
	};
	if ('period' in o) {
		only(['period']);
		return { period: oneOf(o, 'period', ['day', 'week'] as const, path) };
	}
	const sizeKey = 'chunkSize' in o ? 'chunkSize' : 'chunkNumber' in o ? 'chunkNumber' : null;
	if (sizeKey === null) fail(path, '"default", {"chunkSize": N}, {"chunkNumber": N} or {"period": "day" | "week"}', value);
	only([sizeKey, 'incomplete']);
	const n = o[sizeKey];
	if (!Number.isSafeInteger(n) || (n as number) <= 0) fail(`${path}.${sizeKey}`, 'a positive whole number', n);
	const incomplete = o.incomplete === undefined ? undefined : oneOf(o, 'incomplete', ['keep', 'append', 'drop'] as const, path);
	const size = n as number;
	const plan = sizeKey === 'chunkSize' ? { chunkSize: size } : { chunkNumber: size };
	return incomplete === undefined ? plan : { ...plan, incomplete: incomplete satisfies IncompleteChunk };
}

function check(value: unknown, path: string): QualityCheck {
	const o = object(value, path);
	const kind = oneOf(o, 'check', ['value_type', 'missing_values_rate', 'unseen_values_rate', 'out_of_range_values_rate'] as const, path);
	const column = text(o, 'column', path);
	if (kind === 'value_type') return { check: kind, column, type: oneOf(o, 'type', ['number'] as const, path) };
	const bounds = { column, lower: bound(o, 'lower', path), upper: bound(o, 'upper', path), source: oneOf(o, 'source', ['reference', 'fixed'] as const, path) };
	if (kind === 'missing_values_rate') return { check: kind, ...bounds };
	if (kind === 'out_of_range_values_rate') return { check: kind, ...bounds, min: finite(o, 'min', path), max: finite(o, 'max', path) };
	const categories = o.categories;
	if (!Array.isArray(categories)) fail(`${path}.categories`, 'an array of strings', categories);
	categories.forEach((c, i) => typeof c === 'string' || fail(`${path}.categories[${i}]`, 'a string', c));
	if (typeof o.missingSeen !== 'boolean') fail(`${path}.missingSeen`, 'true or false', o.missingSeen);
	return { check: kind, ...bounds, categories: categories as string[], missingSeen: o.missingSeen };
}

/** A suite read from JSON, or an Error saying which field is wrong (unknown keys of a check are dropped). */
export function parseSuite(json: unknown): QualitySuite {
	try {
		const o = object(json, 'the suite');
		if (o.version !== 1) fail('version', '1', o.version);
		if (!Array.isArray(o.checks)) fail('checks', 'an array of checks', o.checks);
		return { version: 1, chunking: chunking(o.chunking), checks: o.checks.map((c, i) => check(c, `checks[${i}]`)) };
	} catch (error) {
		if (error instanceof SuiteError) throw new Error(`not a data-quality suite: ${error.message}`, { cause: error });
		throw error;
	}
}

/** A value as JSON on one line, with a space after each comma and colon. */
function line(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(line).join(', ')}]`;
	if (typeof value === 'object' && value !== null) {
		return `{${Object.entries(value)
			.map(([k, v]) => `${JSON.stringify(k)}: ${line(v)}`)
			.join(', ')}}`;
	}
	return JSON.stringify(value);
}

/** The suite as JSON for a person to read and edit: one check a line. `parseSuite` reads it back. */
export function printSuite(suite: QualitySuite): string {
	const checks = suite.checks.map((c) => `    ${line(c)}`).join(',\n');
	return `{\n  "version": ${suite.version},\n  "chunking": ${line(suite.chunking)},\n  "checks": [\n${checks}\n  ]\n}`;
}
