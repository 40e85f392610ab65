/**
 * Text the store cannot hold as sent: PostgreSQL text refuses NUL (U+0000), and a lone UTF-16
 * surrogate (`"\ud800"` in JSON) has no UTF-8 form, so the driver would silently replace it. Both
 * are refused at the edge with a 400 naming the field, on every route, rather than failing in the
 * database (a 500, which MLflow clients retry) or being stored changed.
 */

// A NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
// eslint-disable-next-line no-control-regex -- NUL is what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with this text, or undefined when it can be stored as is. */
export function unstorable(text: string): string | undefined {
	const found = UNSTORABLE.exec(text)?.[0];
	if (found === undefined) return undefined;
	return found === '\u0000' ? 'contains a NUL character (\\u0000)' : 'contains a lone UTF-16 surrogate (not valid Unicode)';
}

/**
 * The first string (or object key) in a parsed JSON value that cannot be stored, as
 * "field.path problem"; undefined when there is none. Iterative: deep input must not overflow.
 */
export function unstorableField(value: unknown): string | undefined {
	const stack: [unknown, string][] = [[value, '']];
	while (stack.length > 0) {
		const [v, path] = stack.pop()!;
		if (typeof v === 'string') {
			const problem = unstorable(v);
			if (problem) return `${path || '(body)'} ${problem}`;
			continue;
		}
		if (typeof v !== 'object' || v === null) continue;
		const entries: [string, unknown][] = Array.isArray(v) ? v.map((item, i) => [String(i), item]) : Object.entries(v);
		for (const [key, child] of entries) {
			const childPath = path ? `${path}.${key}` : key;
			const problem = unstorable(key);
			if (problem) return `the key of ${JSON.stringify(childPath)} ${problem}`;
			stack.push([child, childPath]);
		}
	}
	return undefined;
}

/**
 * Why a request's URL cannot be taken (a path segment that is not valid percent-encoded UTF-8,
 * or a path segment or query value that cannot be stored), or undefined.
 */
export function urlRefusal(url: URL): string | undefined {
	for (const segment of url.pathname.split('/')) {
		let decoded: string;
		try {
			decoded = decodeURIComponent(segment);
		} catch {
			return `the path segment ${JSON.stringify(segment)} is not valid percent-encoded UTF-8`;
		}
		const problem = unstorable(decoded);
		if (problem) return `the path segment ${JSON.stringify(segment)} ${problem}`;
	}
	for (const [key, value] of url.searchParams) {
		const problem = unstorable(key) ?? unstorable(value);
		if (problem) return `the query parameter ${JSON.stringify(key)} ${problem}`;
	}
	return undefined;
}
