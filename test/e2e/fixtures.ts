import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';

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

/** What the pages of a context requested and what their Content-Security-Policy refused. */
interface Recording {
	requested: string[];
	violations: CspViolation[];
}

/**
 * Shared pages (see `sharedPage`) outlive a test: while a test runs, what they record goes into
 * that test's own arrays, so the test fails on it; what they record between tests (the
 * `beforeAll` page load) is held here and handed to the next test of the file.
 */
const live: Partial<Recording> = {};
const pending: Recording = { requested: [], violations: [] };

function baseUrl(): string {
	const url = process.env.DRIFTBOOK_BASE_URL;
	if (!url) throw new Error('DRIFTBOOK_BASE_URL is not set: run through playwright.config.ts (global setup starts the server)');
	return url;
}

/** Records every request of `context` and every CSP violation of its pages into `into()`. */
async function watch(context: BrowserContext, into: () => Recording): Promise<void> {
	context.on('request', (request) => void into().requested.push(request.url()));
	await context.exposeBinding('__driftbookCspViolation', (_source, violation: CspViolation) => void into().violations.push(violation));
	await context.addInitScript(() => {
		const report = (window as unknown as { __driftbookCspViolation(v: unknown): void }).__driftbookCspViolation;
		document.addEventListener('securitypolicyviolation', (e) => report({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample }));
	});
}

/**
 * Every test gets the running server's base URL, and fails if its page requested anything
 * that is not on this machine (the app must work fully offline) or if anything the app did was
 * refused by its Content-Security-Policy. A test that provokes violations on purpose reads
 * `cspViolations`, checks them, and empties the array. Both checks cover the spec file's shared
 * page too.
 */
export const test = base.extend<{ recorded: Recording; requested: string[]; cspViolations: CspViolation[] }>({
	// eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern; an empty one means none
	baseURL: async ({}, use) => {
		await use(baseUrl());
	},
	recorded: async ({ context }, use) => {
		const recorded: Recording = { requested: pending.requested.splice(0), violations: pending.violations.splice(0) };
		await watch(context, () => recorded);
		live.requested = recorded.requested;
		live.violations = recorded.violations;
		try {
			await use(recorded);
		} finally {
			delete live.requested;
			delete live.violations;
		}
	},
	requested: [
		async ({ recorded }, use) => {
			await use(recorded.requested);
			expect(
				recorded.requested.filter((url) => !isLocal(url)),
				'requests that left this machine'
			).toEqual([]);
		},
		{ auto: true }
	],
	cspViolations: [
		async ({ recorded }, use) => {
			await use(recorded.violations);
			expect(recorded.violations, 'Content-Security-Policy violations').toEqual([]);
		},
		{ auto: true }
	]
});

/**
 * One page for all the tests of a spec file: one page load and one DuckDB start instead of one
 * per test. Call it at the top level of the file; each test gets the page with `page()`. Tests
 * of a file run in order in one worker; after a failure Playwright starts a new worker, which
 * opens a new page, so a test must not rely on what an earlier test left on the page unless it
 * checks for it. `open` runs once per page (e.g. go to the notebook and wait for it to settle).
 */
export function sharedPage(open?: (page: Page) => Promise<void>): () => Page {
	let context: BrowserContext | undefined;
	let page: Page | undefined;
	test.beforeAll(async ({ browser }: { browser: Browser }) => {
		context = await browser.newContext({ baseURL: baseUrl() });
		await watch(context, () => ({
			requested: live.requested ?? pending.requested,
			violations: live.violations ?? pending.violations
		}));
		page = await context.newPage();
		await open?.(page);
	});
	test.afterAll(async () => {
		await context?.close();
		const left = { requested: pending.requested.splice(0), violations: pending.violations.splice(0) };
		expect(
			left.requested.filter((url) => !isLocal(url)),
			'requests that left this machine'
		).toEqual([]);
		expect(left.violations, 'Content-Security-Policy violations').toEqual([]);
	});
	return () => {
		if (!page) throw new Error('the shared page is not open (sharedPage() must be called at the top level of the spec file)');
		return page;
	};
}

export { expect };
