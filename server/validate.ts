import { z } from 'zod';
import { ApiError } from './errors';

/** Checks request input (params, query, body) at the edge; a mismatch is a 400, never a 500. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
	const result = schema.safeParse(value);
	if (!result.success) throw new ApiError(400, 'invalid_request', `invalid ${what}: ${z.prettifyError(result.error)}`);
	return result.data;
}
