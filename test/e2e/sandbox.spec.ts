import type { Page } from '@playwright/test';
import { expect, sharedPage, test } from './fixtures';
import { editAndRun, settled } from './helpers';

// JavaScript cells run in a worker inside `<iframe sandbox="allow-scripts" srcdoc>`: an opaque
// origin under the page's COOP/COEP. These tests drive the tour notebook's `headline` JS cell.
const TOUR = '/notebooks/notebook-tour';
const CELL = 'headline';

const value = (page: Page) => page.locator(`[data-cell="${CELL}"] [data-testid=js-value]`);
const error = (page: Page) => page.locator(`[data-cell="${CELL}"] [data-testid=cell-error]`);
const status = (page: Page) => page.locator(`[data-cell="${CELL}"]`);

async function run(page: Page, code: string): Promise<void> {
	await editAndRun(page, CELL, code);
	await settled(page);
}

test.describe("the tour notebook's JavaScript cell", () => {
	// One page for these tests: each one runs its own code in the same cell.
	const shared = sharedPage(async (page) => {
		await page.goto(TOUR);
		await settled(page);
		expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
	});

	test('a JavaScript cell reads other cells and returns a value from the sandbox', async () => {
		const page = shared();
		const [{ n }] = await page.evaluate(() => window.driftbook!.query('SELECT count(*)::INTEGER AS n FROM by_plan'));
		await run(page, 'const rows = await Promise.resolve(by_plan);\nreturn `plans=${rows.length * 1000 + min_tenure}`');
		await expect(status(page)).toHaveAttribute('data-status', 'done');
		await expect(value(page)).toContainText(`plans=${(n as number) * 1000}`);

		// One hidden sandboxed iframe, never with allow-same-origin.
		const frames = page.locator('iframe[srcdoc]');
		await expect(frames).toHaveCount(1);
		await expect(frames).toHaveAttribute('sandbox', 'allow-scripts');

		// The bare-expression form, and an object literal.
		await run(page, 'by_plan.map((r) => r.plan).join("+")');
		await expect(value(page)).toContainText('+');
	});

	test("sandboxed code cannot reach the app's storage, cookies or credentialed API", async ({ baseURL }) => {
		const page = shared();
		await page.evaluate(async () => {
			localStorage.setItem('e2e-secret', 'token-s3cret');
			document.cookie = 'e2e_secret=cookie-s3cret; path=/; SameSite=Lax';
			await new Promise<void>((resolve, reject) => {
				const open = indexedDB.open('e2e-app-db', 1);
				open.onupgradeneeded = () => open.result.createObjectStore('s');
				open.onsuccess = () => {
					const tx = open.result.transaction('s', 'readwrite');
					tx.objectStore('s').put('idb-s3cret', 'k');
					tx.oncomplete = () => resolve();
				};
				open.onerror = () => reject(open.error);
			});
		});
		const code = `
	const probe = async (name, read) => {
	  try { return name + '=' + String(await read()); } catch (e) { return name + ':' + e.name; }
	};
	const results = await Promise.all([
	  probe('localStorage', () => localStorage.getItem('e2e-secret')),
	  probe('cookie', () => document.cookie),
	  probe('indexedDB', () => new Promise((ok, fail) => { const r = indexedDB.open('e2e-app-db'); r.onsuccess = () => ok('opened'); r.onerror = () => fail(r.error); })),
	  probe('caches', () => caches.keys()),
	  probe('fetch', async () => (await fetch('${baseURL}/api/health', { credentials: 'include' })).status),
	  probe('fetchNoCors', async () => (await fetch('${baseURL}/api/health', { credentials: 'include', mode: 'no-cors' })).type),
	  probe('relative', async () => (await fetch('/api/health')).status),
	  probe('parent', () => typeof parent + '/' + typeof window),
	  probe('origin', () => self.origin),
	]);
	return results.join(' ');`;
		await run(page, code);
		await expect(status(page)).toHaveAttribute('data-status', 'done');
		const text = (await value(page).textContent()) ?? '';
		expect(text).not.toContain('s3cret');
		for (const expected of [
			'localStorage:ReferenceError',
			'cookie:ReferenceError',
			'indexedDB:SecurityError',
			'caches:ReferenceError',
			'fetch:TypeError',
			'fetchNoCors:TypeError',
			'relative:TypeError',
			'parent=undefined/undefined',
			'origin=null'
		]) {
			expect(text).toContain(expected);
		}
	});

	test('errors name the cell and the line; values that cannot be cloned are refused', async () => {
		const page = shared();
		await run(page, 'const a = 1;\nconst b = 2;\nreturn missing_name + a + b');
		await expect(status(page)).toHaveAttribute('data-status', 'error');
		await expect(error(page)).toContainText(`cell ${CELL}, line 3: ReferenceError: missing_name is not defined`);

		await run(page, 'const a = 1;\nconst b = ;');
		await expect(error(page)).toContainText(`cell ${CELL}, line 2: SyntaxError`);

		await run(page, 'function f(x) {\n  return x.y.z;\n}\nreturn f({})');
		await expect(error(page)).toContainText(`cell ${CELL}, line 2: TypeError`);

		await run(page, '() => 1');
		await expect(error(page)).toContainText('the cell returned a function, which cannot leave the sandbox');

		// And the cell recovers.
		await run(page, '"fine"');
		await expect(status(page)).toHaveAttribute('data-status', 'done');
		await expect(value(page)).toContainText('fine');
	});

	test('an endless loop is stopped by Cancel, and the page stays responsive', async () => {
		const page = shared();
		await editAndRun(page, CELL, 'for (;;) {}');
		await expect(status(page)).toHaveAttribute('data-status', 'running');
		// The page's own thread is free while the loop spins in the worker.
		expect(await page.evaluate(() => 6 * 7)).toBe(42);
		await page.locator(`[data-cell="${CELL}"]`).getByRole('button', { name: 'Cancel' }).click();
		await expect(status(page)).toHaveAttribute('data-status', 'error');
		await expect(error(page)).toContainText('cancelled');

		await run(page, '"after the loop"');
		await expect(value(page)).toContainText('after the loop');
	});
});

test('an endless loop is stopped by the timeout set on its cell', async ({ page, request }) => {
	// The fence option `timeout=<seconds>` replaces the 30 s default; a short one keeps this test quick.
	const source = ['---', 'title: Endless loop', '---', '', '```js name=loop timeout=1.5', 'let i = 0;', 'while (true) i++;', '```', ''].join('\n');
	const created = await request.post('/api/notebooks', { data: { source } });
	expect(created.ok()).toBe(true);
	const { notebook } = (await created.json()) as { notebook: { slug: string } };
	await page.goto(`/notebooks/${notebook.slug}`);
	const cell = page.locator('[data-cell="loop"]');
	await expect(cell).toHaveAttribute('data-status', 'running');
	await expect(cell).toHaveAttribute('data-status', 'error', { timeout: 20_000 });
	await expect(cell.locator('[data-testid=cell-error]')).toContainText('cell loop: timed out after 1.5 s; the code was stopped');
	// The page stayed responsive while the loop ran in the worker.
	expect(await page.evaluate(() => 6 * 7)).toBe(42);
});
