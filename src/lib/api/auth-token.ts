/**
 * The team-mode API token of this browser. It lives in this origin's sessionStorage (or
 * localStorage when the user asks to be remembered); JS cells run in an opaque-origin sandbox
 * frame, which cannot read either, and the token is never passed to it.
 */

const KEY = 'driftbook.api-token';

function storage(kind: 'sessionStorage' | 'localStorage'): Storage | undefined {
	try {
		return typeof globalThis[kind] === 'undefined' ? undefined : globalThis[kind];
	} catch {
		// Storage can throw when the browser blocks it: no token then.
		return undefined;
	}
}

function stores(): Storage[] {
	return [storage('sessionStorage'), storage('localStorage')].filter((s): s is Storage => s !== undefined);
}

/** The token set by the login page, if any. */
export function currentToken(): string | undefined {
	for (const store of stores()) {
		const token = store.getItem(KEY);
		if (token) return token;
	}
	return undefined;
}

/** Keeps the token for this tab (default) or across restarts (`remember`). */
export function setToken(token: string, remember = false): void {
	clearToken();
	storage(remember ? 'localStorage' : 'sessionStorage')?.setItem(KEY, token.trim());
}

export function clearToken(): void {
	for (const store of stores()) store.removeItem(KEY);
}

/**
 * The review token of a review link being viewed (`?review=<token>` in the page's address):
 * the server confines it to that one notebook, so it is only used while that page is open.
 */
export function reviewToken(): string | undefined {
	if (typeof location === 'undefined') return undefined;
	return new URLSearchParams(location.search).get('review') ?? undefined;
}
