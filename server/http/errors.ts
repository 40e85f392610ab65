import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiErrorBody } from '#lib/contracts/errors.ts';

/** The one error shape of the API: `{"error":{"code","message"}}`. */
export function errorBody(code: string, message: string): ApiErrorBody {
	return { error: { code, message } };
}

/** Thrown by handlers for an expected failure; the app turns it into its status and JSON body. */
export class ApiError extends Error {
	constructor(
		readonly status: ContentfulStatusCode,
		readonly code: string,
		message: string
	) {
		super(message);
		this.name = 'ApiError';
	}
}

export const notFound = (message: string) => new ApiError(404, 'not_found', message);
