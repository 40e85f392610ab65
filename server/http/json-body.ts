/**
 * Reading JSON request bodies safely: a size limit enforced while streaming (not after),
 * a nesting limit (deep JSON parses fine but breaks JSON.stringify, zod and PostgreSQL's jsonb
 * later, far from the request), and the bare NaN / Infinity / -Infinity tokens that Python's
 * json.dumps writes, read as the strings "NaN", "Infinity", "-Infinity" (protobuf JSON's spelling).
 */

import { unstorableField } from './text-check';

/** JSON bodies above this are refused with 413; uploads (datasets, artifacts) have their own limits. */
export const MAX_JSON_BODY_BYTES = 10 * 1024 * 1024;
/** Deeper JSON than this is refused with 400; no API body comes near it. */
export const MAX_JSON_DEPTH = 64;

/** Why a body cannot be read; the caller answers it in its route's error shape. */
export class BodyError extends Error {
	constructor(
		readonly status: 400 | 413,
		message: string
	) {
		super(message);
		this.name = 'BodyError';
	}
}

/** The body as text, refused (413) once it passes `limit` bytes, whatever Content-Length says. */
async function readBodyText(request: Request, limit = MAX_JSON_BODY_BYTES): Promise<string> {
	const length = request.headers.get('content-length');
	const declared = Number(length);
	if (Number.isFinite(declared) && declared > limit) throw tooLarge(declared, limit);
	if (length !== null && Number.isSafeInteger(declared)) {
		// node:http delivers exactly the declared bytes, so the body is read at once, without a web
		// stream (the node adapter reads it straight from the socket: node-http.ts); the size is
		// checked again for requests made in this process, whose header nothing enforces.
		const bytes = Buffer.from(await request.arrayBuffer());
		if (bytes.byteLength > limit) throw tooLarge(bytes.byteLength, limit);
		return bytes.toString('utf8');
	}
	if (!request.body) return '';
	const chunks: Uint8Array[] = [];
	let size = 0;
	for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
		size += chunk.byteLength;
		if (size > limit) {
			await request.body.cancel().catch(() => {});
			throw tooLarge(size, limit);
		}
		chunks.push(chunk);
	}
	return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(size: number, limit: number): BodyError {
	return new BodyError(413, `the request body (${size > limit ? `over ${limit}` : size} bytes) is larger than the limit of ${limit} bytes for JSON`);
}

/**
 * The JSON text with Python's bare non-finite tokens rewritten as strings (strings are left
 * alone), as pieces to join once. Linear: the text between two replacements is one slice, so a
 * text with k tokens is 2k + 1 pieces, never one piece a character.
 */
export function quoteNonFinite(text: string): string[] {
	const parts: string[] = [];
	let copied = 0;
	let i = 0;
	while (i < text.length) {
		const ch = text.charCodeAt(i);
		if (ch === 0x22 /* " */) {
			// Skip the whole string literal, escapes included.
			i++;
			while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c /* \ */ ? 2 : 1;
			i++;
			continue;
		}
		const token = ch === 0x2d /* - */ || ch === 0x49 /* I */ || ch === 0x4e /* N */ ? NON_FINITE.find((t) => text.startsWith(t, i)) : undefined;
		if (token) {
			parts.push(text.slice(copied, i), `"${token}"`);
			i += token.length;
			copied = i;
			continue;
		}
		i++;
	}
	parts.push(text.slice(copied));
	return parts;
}

const NON_FINITE = ['-Infinity', 'Infinity', 'NaN'];

const isContainer = (value: unknown): value is object => typeof value === 'object' && value !== null;

/**
 * Whether a parsed value nests arrays and objects deeper than `limit`. Recursive, but never more
 * than `limit + 1` calls deep (it stops there), so deep input cannot overflow the stack; nothing
 * is allocated per value, and only arrays and objects are visited (not every number and string).
 */
function deeperThan(value: unknown, limit: number): boolean {
	if (!isContainer(value)) return false;
	if (limit === 0) return true;
	if (Array.isArray(value)) {
		for (let i = 0; i < value.length; i++) {
			const item: unknown = value[i];
			if (isContainer(item) && deeperThan(item, limit - 1)) return true;
		}
		return false;
	}
	for (const key in value) {
		const item = (value as Record<string, unknown>)[key];
		if (isContainer(item) && deeperThan(item, limit - 1)) return true;
	}
	return false;
}

/**
 * Parsed JSON holds a NUL or a lone surrogate only through a `\u` escape: the text was decoded
 * from UTF-8 (a bad sequence became U+FFFD) and JSON allows no raw control character in a
 * string. Text without `\u` needs no walk through every string and key.
 */
const mayHoldUnstorable = (text: string) => text.includes('\\u');

/** Parses a body's text: '' is undefined; invalid JSON or too deep nesting is a BodyError (400). */
function parseJsonText(text: string): unknown {
	if (text.trim() === '') return undefined;
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		try {
			if (!/NaN|Infinity/.test(text)) throw error;
			value = JSON.parse(quoteNonFinite(text).join(''));
		} catch {
			throw new BodyError(400, `the request body is not valid JSON (${(error as Error).message})`);
		}
	}
	if (deeperThan(value, MAX_JSON_DEPTH)) throw new BodyError(400, `the request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`);
	const unstorable = mayHoldUnstorable(text) ? unstorableField(value) : undefined;
	if (unstorable) throw new BodyError(400, `field ${unstorable}`);
	return value;
}

/** Reads and parses a JSON body under the limits; an empty body is undefined. */
export async function readJsonBody(request: Request, limit = MAX_JSON_BODY_BYTES): Promise<unknown> {
	return parseJsonText(await readBodyText(request, limit));
}
