import { test as base, expect } from '@playwright/test';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLocal(url: string): boolean {
	const { protocol, hostname } = new URL(url);
	if (protocol === 'data:' || protocol === 'blob:') return true;
	return LOCAL_HOSTS.has(hostname);
}

/**
 * Every test gets the running server's base URL, and fails if its page requested anything
 * that is not on this machine: the app must work fully offline.
 */
export const test = base.extend<{ requested: string[] }>({
	baseURL: async ({}, use) => {
		const url = process.env.DRIFTBOOK_BASE_URL;
		if (!url) throw new Error('DRIFTBOOK_BASE_URL is not set: run through playwright.config.ts (global setup starts the server)');
		await use(url);
	},
	requested: [
		async ({ context }, use) => {
			const requested: string[] = [];
			context.on('request', (request) => requested.push(request.url()));
			await use(requested);
			expect(requested.filter((url) => !isLocal(url)), 'requests that left this machine').toEqual([]);
		},
		{ auto: true }
	]
});

export { expect };
