import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** Waits until every cell has settled (cells waiting for a file the user has not picked count as settled) and returns each cell's status. */
export async function settled(page: Page, timeout = 170_000): Promise<Record<string, string>> {
	await expect(page.locator('[data-cell]').first()).toBeAttached({ timeout });
	// Short poll intervals (the default backs off to 1 s): tests call this after every run.
	await expect
		.poll(async () => page.locator('[data-cell][data-status="queued"]:not([data-waiting]), [data-cell][data-status="running"]').count(), {
			timeout,
			intervals: [50, 100, 250]
		})
		.toBe(0);
	await page.evaluate(() => window.driftbook?.idle());
	return page.evaluate(() =>
		Object.fromEntries([...document.querySelectorAll('[data-cell]')].map((e) => [e.getAttribute('data-cell'), e.getAttribute('data-status')]))
	);
}

/** How many times each named cell has run so far. */
export function runCounts(page: Page, names: string[]): Promise<Record<string, number | undefined>> {
	return page.evaluate((list) => Object.fromEntries(list.map((n) => [n, window.driftbook!.status(n)?.runs])), names);
}

/** Replaces the text of a cell's CodeMirror editor and runs it with Shift+Enter. */
export async function editAndRun(page: Page, cell: string, text: string) {
	const editor = page.locator(`[data-cell="${cell}"] .cm-content`);
	await editor.click();
	await page.keyboard.press('ControlOrMeta+a');
	await page.keyboard.insertText(text);
	await page.keyboard.press('Shift+Enter');
}

/** A SQL cell of rows shaped like the churn sample, made by DuckDB (no CSV to load); `event_id` repeats `id`. */
export const churnRowsCell = (name: string, rows: number) => `\`\`\`sql name=${name}
SELECT range AS id, range AS event_id, (range % 72)::DOUBLE AS tenure_months, 20 + (range % 100)::DOUBLE AS monthly_charges,
       (range % 13)::DOUBLE AS sessions_per_week, (range % 30)::DOUBLE AS avg_session_minutes,
       (range % 4)::DOUBLE AS support_tickets, (range % 20)::DOUBLE AS days_since_last_login,
       CASE range % 3 WHEN 0 THEN 'basic' WHEN 1 THEN 'standard' ELSE 'premium' END AS plan,
       range % 2 = 0 AS autopay, CASE range % 3 WHEN 0 THEN 'web' WHEN 1 THEN 'ios' ELSE 'android' END AS channel
FROM range(${rows})
\`\`\``;

let localFiles = 0;

/**
 * `bytes` as a file named `name` in the test's output folder, for setInputFiles: the browser reads
 * it from disk, where a buffer goes through the protocol and costs seconds a few megabytes.
 */
export function localFile(name: string, bytes: Buffer | string): string {
	// A folder per file: the page may read a chosen file again later, and a File whose disk copy changed cannot be read.
	const dir = test.info().outputPath(`file-${++localFiles}`);
	mkdirSync(dir, { recursive: true });
	const path = join(dir, name);
	writeFileSync(path, bytes);
	return path;
}

/**
 * A new notebook holding one markdown cell, for tests that only need a notebook page to import
 * into or replace: it starts no engine, where opening a bundled notebook would load its data and
 * models on the CPU the test needs. Resolves to its address.
 */
export async function markdownOnlyNotebook(request: APIRequestContext, title: string): Promise<string> {
	const response = await request.post('/api/notebooks', { data: { source: `---\ntitle: ${title}\n---\n\nNothing to run here.\n` } });
	expect(response.status(), await response.text()).toBe(201);
	return `/notebooks/${((await response.json()) as { notebook: { slug: string } }).notebook.slug}`;
}
