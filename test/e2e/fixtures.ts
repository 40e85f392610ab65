import { test as base, expect } from '@playwright/test';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLocal(url: string): boolean {
	const { protocol, hostname } = new URL(url);
	if (protocol === 'data:' || protocol === 'blob:') return true;
	return LOCAL_HOSTS.has(hostname);
}

/** A Content-Security-Policy violation seen by a page or one of its frames. */
export interface CspViolation {
	directive: string;
	blocked: string;
	sample: string;
}

/**
 * Every test gets the running server's base URL, and fails if its page requested anything
 * that is not on this machine (the app must work fully offline) or if anything the app did was
 * refused by its Content-Security-Policy. A test that provokes violations on purpose reads
 * `cspViolations`, checks them, and empties the array.
 */
export const test = base.extend<{ requested: string[]; cspViolations: CspViolation[] }>({
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
	],
	cspViolations: [
		async ({ context }, use) => {
			const violations: CspViolation[] = [];
			await context.exposeBinding('__driftbookCspViolation', (_source, violation: CspViolation) => void violations.push(violation));
			await context.addInitScript(() => {
				const report = (window as unknown as { __driftbookCspViolation(v: unknown): void }).__driftbookCspViolation;
				document.addEventListener('securitypolicyviolation', (e) =>
					report({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample })
				);
			});
			await use(violations);
			expect(violations, 'Content-Security-Policy violations').toEqual([]);
		},
		{ auto: true }
	]
});

export { expect };
