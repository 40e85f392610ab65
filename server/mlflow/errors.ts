import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { MlflowErrorBody as ContractMlflowErrorBody } from '#lib/contracts/errors.ts';

/**
 * MLflow's error codes (databricks.proto ErrorCode names) and the HTTP status its server answers
 * each with. The Python client maps the name back to an exception; an unknown name crashes it.
 */
const STATUS = {
	BAD_REQUEST: 400,
	INVALID_PARAMETER_VALUE: 400,
	RESOURCE_ALREADY_EXISTS: 400,
	RESOURCE_DOES_NOT_EXIST: 404,
	ENDPOINT_NOT_FOUND: 404,
	INTERNAL_ERROR: 500,
	TEMPORARILY_UNAVAILABLE: 503
} as const satisfies Record<string, ContentfulStatusCode>;

export type MlflowErrorCode = keyof typeof STATUS;

/** The body of every MLflow error answer, with one of these codes. */
export type MlflowErrorBody = ContractMlflowErrorBody & { error_code: MlflowErrorCode };

/** An expected failure of an MLflow call; the routes answer it as `{error_code, message}`. */
export class MlflowError extends Error {
	readonly status: ContentfulStatusCode;

	constructor(
		readonly code: MlflowErrorCode,
		message: string,
		/** Only where HTTP says more than the code (413 for a body over the limit). */
		status?: ContentfulStatusCode
	) {
		super(message);
		this.name = 'MlflowError';
		this.status = status ?? STATUS[code];
	}

	toJSON(): MlflowErrorBody {
		return { error_code: this.code, message: this.message };
	}
}

export const invalidParameter = (message: string) => new MlflowError('INVALID_PARAMETER_VALUE', message);
export const doesNotExist = (message: string) => new MlflowError('RESOURCE_DOES_NOT_EXIST', message);
export const alreadyExists = (message: string) => new MlflowError('RESOURCE_ALREADY_EXISTS', message);

/** PostgreSQL's unique_violation, as raised by both pg and PGlite. */
export function isUniqueViolation(error: unknown): boolean {
	return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
