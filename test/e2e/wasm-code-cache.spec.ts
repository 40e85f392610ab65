import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, CDPSession } from '@playwright/test';
import { expect, isLocal, test } from './fixtures';
import { settled } from './helpers';

const NOTEBOOK = '/notebooks/churn-model-drift-review';

/** Chromium's trace events of the WebAssembly code cache (Blink writes them under devtools.timeline). */
const CACHE_CATEGORIES = ['disabled-by-default-devtools.timeline', 'v8.wasm'];

interface TraceEvent {
	name: string;
	args?: { url?: string };
}

async function traced(cdp: CDPSession, action: () => Promise<void>): Promise<TraceEvent[]> {
	const events: TraceEvent[] = [];
	cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
	const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
	await cdp.send('Tracing.start', { traceConfig: { includedCategories: CACHE_CATEGORIES } });
	await action();
	await cdp.send('Tracing.end');
	await complete;
	return events;
}

/**
 * A notebook opened again finds DuckDB's compiled WebAssembly in the browser's code cache instead
 * of compiling its 34 MB again. duckdb-wasm 1.32 rebuilds the download's Response to count its
 * bytes, which Chromium cannot cache; workers/duckdb-cached.worker.js makes it pass fetch()'s own.
 * A browser with a profile on disk, as a user's: an off-the-record context keeps no compiled code.
 */
test('DuckDB’s compiled WASM is reused from the code cache on the next visit', async ({ playwright, baseURL }, testInfo) => {
	const profile = mkdtempSync(join(tmpdir(), 'driftbook-e2e-code-cache-'));
	let context: BrowserContext | undefined;
	try {
		context = await playwright.chromium.launchPersistentContext(profile, { ...testInfo.project.use.launchOptions, baseURL });
		const requested: string[] = [];
		const violations: string[] = [];
		context.on('request', (request) => void requested.push(request.url()));
		await context.exposeBinding('__codeCacheCspViolation', (_source, text: string) => void violations.push(text));
		await context.addInitScript(() => {
			const report = (window as unknown as { __codeCacheCspViolation(v: string): void }).__codeCacheCspViolation;
			document.addEventListener('securitypolicyviolation', (e) => report(`${e.effectiveDirective} ${e.blockedURI}`));
		});
		const page = context.pages()[0] ?? (await context.newPage());
		const cdp = await context.newCDPSession(page);

		// First visit: compiled (and, once DuckDB's code is tiered up, written to the cache).
		const first = await traced(cdp, async () => {
			await page.goto(NOTEBOOK);
			const states = await settled(page);
			expect(Object.entries(states).filter(([, s]) => s !== 'done')).toEqual([]);
		});
		const duckdb = (e: TraceEvent) => e.args?.url?.includes('/duckdb-eh.') ?? false;
		expect(
			first.filter((e) => e.name === 'v8.wasm.compiledModule' && duckdb(e)),
			'DuckDB compiled from a cacheable response'
		).not.toHaveLength(0);

		// Second visit, after a reload: DuckDB's module comes from the cache.
		const second = await traced(cdp, async () => {
			await page.goto('/');
			await page.goto(NOTEBOOK);
			await expect(page.locator('[data-cell="weekly"]')).toHaveAttribute('data-status', 'done', { timeout: 170_000 });
		});
		expect(
			second.filter((e) => e.name === 'v8.wasm.moduleCacheHit' && duckdb(e)),
			'DuckDB taken from the code cache'
		).not.toHaveLength(0);
		expect(
			requested.filter((url) => !isLocal(url)),
			'requests that left this machine'
		).toEqual([]);
		expect(violations, 'Content-Security-Policy violations').toEqual([]);
	} finally {
		await context?.close();
		rmSync(profile, { recursive: true, force: true });
	}
});
