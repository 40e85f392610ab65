import type { Context } from 'hono';
import { z } from 'zod';
import { ApiError } from './errors';
import { BodyError, readJsonBody } from './json-body';

/** Checks request input (params, query, body) at the edge; a mismatch is a 400, never a 500. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
	const result = schema.safeParse(value);
	if (!result.success) throw new ApiError(400, 'invalid_request', `invalid ${what}: ${z.prettifyError(result.error)}`);
	return result.data;
}

/** The request's JSON body (size- and depth-limited, see json-body.ts); an empty body is `empty`. */
export async function readBody(c: Context, empty?: unknown): Promise<unknown> {
	try {
		return (await readJsonBody(c.req.raw)) ?? empty;
	} catch (error) {
		if (error instanceof BodyError) throw new ApiError(error.status, error.status === 413 ? 'too_large' : 'invalid_request', error.message);
		throw error;
	}
}

/** Reads the JSON body and checks it against `schema`. `empty` stands in for an empty body (optional bodies). */
export async function validBody<S extends z.ZodType>(c: Context, schema: S, what: string, empty?: unknown): Promise<z.output<S>> {
	return validate(schema, await readBody(c, empty), what);
}

/** Whether `text` is a uuid: ids of uuid columns are checked before they reach SQL (a bad one would be a 500). */
export function isUuid(text: string): boolean {
	return z.uuid().safeParse(text).success;
}
