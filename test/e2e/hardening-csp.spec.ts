import { expect, test } from './fixtures';
import { editAndRun, settled } from './helpers';

// The Content-Security-Policy of every page. Every e2e test fails on any CSP violation (see
// fixtures.ts), so the whole suite — DuckDB-WASM, ONNX Runtime, the workers, charts — proves the
// app runs under it. This spec checks the header and that injected code is refused.

declare global {
	interface Window {
		__injected?: unknown;
	}
}

test('pages carry the strict policy; the app runs under it and injected code does not', async ({ page, request, cspViolations }) => {
	for (const path of ['/', '/notebooks/notebook-tour', '/view', '/no-such-page']) {
		const policy = (await request.get(path)).headers()['content-security-policy'];
		expect(policy, path).toBeDefined();
		const directives = Object.fromEntries(
			policy
				.split(';')
				.map((d) => d.trim().split(/\s+/))
				.map(([name, ...values]) => [name, values])
		);
		expect(directives['default-src']).toEqual(["'self'"]);
		expect(directives['script-src']).toEqual(expect.arrayContaining(["'self'", "'wasm-unsafe-eval'"]));
		expect(directives['script-src']).not.toContain("'unsafe-inline'");
		expect(directives['script-src']).not.toContain("'unsafe-eval'");
		expect(directives['worker-src']).toEqual(["'self'", 'blob:']);
		expect(directives['object-src']).toEqual(["'none'"]);
		expect(directives['base-uri']).toEqual(["'none'"]);
		expect(directives['frame-ancestors']).toEqual(["'self'"]);
		expect(directives['form-action']).toEqual(["'self'"]);
		expect(directives['connect-src']).toEqual(["'self'"]);
	}

	// DuckDB, a chart, and the JS cell sandbox (srcdoc iframe allowed by hash, blob: worker).
	await page.goto('/notebooks/notebook-tour');
	const statuses = await settled(page);
	expect(Object.entries(statuses).filter(([, status]) => status !== 'done')).toEqual([]);
	await expect(page.locator('[data-cell="headline"] [data-testid=js-value]')).not.toBeEmpty();
	expect(cspViolations).toEqual([]);

	await page.evaluate(() => {
		const script = document.createElement('script');
		script.textContent = 'window.__injected = "inline script"';
		document.body.append(script);
		const img = document.createElement('img');
		img.setAttribute('onerror', 'window.__injected = "inline handler"');
		img.src = 'data:image/png;base64,broken';
		document.body.append(img);
	});
	// Run from a timer, outside Playwright's own evaluation (which the browser exempts from CSP).
	const fromPage = (code: string) =>
		page.evaluate(
			(text) =>
				new Promise<string>((resolve) =>
					setTimeout(() => {
						try {
							resolve(String(text === 'Function' ? new Function('return "Function constructor"')() : eval(text)));
						} catch (error) {
							resolve((error as Error).name);
						}
					})
				),
			code
		);
	expect(await fromPage('window.__injected = "eval"')).toBe('EvalError');
	expect(await fromPage('Function')).toBe('EvalError');
	await expect.poll(() => cspViolations.map((v) => v.directive).sort()).toEqual(['script-src', 'script-src', 'script-src-attr', 'script-src-elem']);
	expect(await page.evaluate(() => window.__injected)).toBeUndefined();

	// JS cells run in blob: workers that inherit the policy: no eval there either.
	cspViolations.length = 0;
	await editAndRun(page, 'headline', 'return eval("6 * 7")');
	await expect(page.locator('[data-cell="headline"]')).toHaveAttribute('data-status', 'error');
	await expect(page.locator('[data-cell="headline"] [data-testid=cell-error]')).toContainText('EvalError');
	// Reported by the worker's own global scope, not a document: nothing reaches the page's listener.
	cspViolations.length = 0;
});
