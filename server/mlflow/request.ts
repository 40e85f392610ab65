import type { Context } from 'hono';
import { z } from 'zod';
import { invalidParameter, MlflowError } from './errors';
import { decodeDouble } from './wire';
import { BodyError, readJsonBody } from '#server/http/json-body.ts';

/**
 * MLflow request input: GET (and DELETE without a body) sends its fields as the query string,
 * everything else as a JSON body. Both are read into one object, the body winning, so a field
 * can arrive either way; query values are strings, repeated keys become lists.
 */
export async function readInput(c: Context): Promise<Record<string, unknown>> {
	const input: Record<string, unknown> = {};
	const query = new URL(c.req.url).searchParams;
	for (const key of new Set(query.keys())) {
		const values = query.getAll(key);
		input[key] = values.length === 1 ? values[0] : values;
	}
	if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
		let body: unknown;
		try {
			body = await readJsonBody(c.req.raw);
		} catch (error) {
			if (error instanceof BodyError) throw new MlflowError('BAD_REQUEST', `Malformed request: ${error.message}.`, error.status);
			throw error;
		}
		if (body !== undefined) {
			if (typeof body !== 'object' || body === null || Array.isArray(body)) {
				throw new MlflowError('BAD_REQUEST', 'Malformed request: the body must be a JSON object.');
			}
			Object.assign(input, body);
		}
	}
	return input;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
	let value = input;
	for (const key of path) {
		if (typeof value !== 'object' || value === null) return undefined;
		value = (value as Record<PropertyKey, unknown>)[key];
	}
	return value;
}

/**
 * The issue a person needs: a repeated field is "a list or one item" (a union), and zod reports
 * a bad list entry as the whole union failing; the branch that got furthest names the entry.
 */
function deepest(issue: z.core.$ZodIssue): z.core.$ZodIssue {
	if (issue.code !== 'invalid_union' || issue.errors.length === 0) return issue;
	let best: z.core.$ZodIssue | undefined;
	for (const branch of issue.errors) {
		for (const inner of branch) {
			const candidate = deepest(inner);
			if (!best || candidate.path.length > best.path.length) best = candidate;
		}
	}
	return best && best.path.length > 0 ? { ...best, path: [...issue.path, ...best.path] } : issue;
}

function describeIssues(error: z.ZodError, input: unknown): string {
	return error.issues
		.map(deepest)
		.map((issue) => {
			const path = issue.path.map(String).join('.');
			if (issue.path.length > 0 && valueAt(input, issue.path) === undefined) {
				return `Missing value for required parameter '${path}'. See the API docs for more information about request parameters.`;
			}
			return `Invalid value ${JSON.stringify(valueAt(input, issue.path)) ?? ''} for parameter '${path || '(body)'}' supplied: ${issue.message}`;
		})
		.join(' ');
}

/** Checks input against a schema; a mismatch is MLflow's 400 INVALID_PARAMETER_VALUE. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
	const result = schema.safeParse(input);
	if (!result.success) throw invalidParameter(describeIssues(result.error, input));
	return result.data;
}

/** Reads and checks a request's input in one go. */
export async function input<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
	return parse(schema, await readInput(c));
}

// --- field types, accepting both the JSON body's and the query string's spelling ---

/** A string; numbers are taken as their decimal text (experiment ids arrive either way). */
export const text = z.union([z.string(), z.number().transform(String)]);

/** A string that must not be empty. */
export const required = text.refine((s) => s.trim() !== '', { message: 'must not be empty' });

/** int64: a JSON number or a string of digits. */
export const int64 = z.union([
	z.number().int(),
	z
		.string()
		.trim()
		.regex(/^[+-]?\d+$/, 'expected an integer')
		.transform(Number)
		// Digits past 2^53 lose their value (and past 2^63 overflow the column): refused, not a 500.
		.pipe(z.number().int())
]);

/** A double as protobuf JSON has it: number, numeric string, "NaN", "Infinity", "-Infinity". */
export const double = z.unknown().transform((value, ctx) => {
	const decoded = decodeDouble(value);
	if (decoded === undefined) {
		ctx.addIssue({ code: 'custom', message: `expected a number, got ${JSON.stringify(value) ?? String(value)}` });
		return z.NEVER;
	}
	return decoded;
});

export const bool = z.union([z.boolean(), z.enum(['true', 'false', 'True', 'False', '1', '0']).transform((v) => v === 'true' || v === 'True' || v === '1')]);

/** A repeated field: a list, or one value (a query string with the key once). */
export function list<T extends z.ZodType>(item: T) {
	return z.union([z.array(item), item.transform((value) => [value])]);
}

/** Tags and params: {key, value}; a value may arrive as a number or boolean and is kept as text. */
export const keyValue = z.object({
	key: text,
	value: z.union([z.string(), z.number().transform(String), z.boolean().transform(String)])
});

/** ViewType by name (or its proto number). */
export const viewType = z.union([
	z.enum(['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL']),
	z
		.union([z.literal(1), z.literal(2), z.literal(3), z.enum(['1', '2', '3'])])
		.transform((n) => (['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const)[Number(n) - 1])
]);

/** An enum by name or by its proto number (names listed in number order from `first`). */
export function protoEnum<const T extends readonly [string, ...string[]]>(names: T, first = 1) {
	return z.union([
		z.enum(names),
		z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform((n, ctx) => {
			const name = names[Number(n) - first];
			if (name === undefined) {
				ctx.addIssue({ code: 'custom', message: `expected one of ${names.join(', ')}` });
				return z.NEVER;
			}
			return name as T[number];
		})
	]);
}

/** The run a request is about: `run_id`, or the deprecated `run_uuid`. */
export function runIdOf(input: { run_id?: string; run_uuid?: string }): string {
	const id = input.run_id || input.run_uuid;
	if (!id) throw invalidParameter("Missing value for required parameter 'run_id'. See the API docs for more information about request parameters.");
	return id;
}
