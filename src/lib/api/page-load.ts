/**
 * Loading a page's data from the API: a 401 (team mode, no or a revoked token) sends the user
 * to /login and back here afterwards; other failures become the page's error with the status.
 */
import { error, redirect } from '@sveltejs/kit';
import { ApiRequestError } from './http';

export function loginUrl(next: URL | string): string {
	const target = typeof next === 'string' ? next : `${next.pathname}${next.search}`;
	return `/login?next=${encodeURIComponent(target)}`;
}

export async function loadFromApi<T>(url: URL, what: string, work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (e) {
		if (e instanceof ApiRequestError && e.status === 401) redirect(307, loginUrl(url));
		const status = e instanceof ApiRequestError ? e.status : 500;
		error(status, `${what}: ${(e as Error).message}`);
	}
}
