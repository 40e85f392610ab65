/**
 * Browser sync through a server outage: runs made while the server is stopped wait in
 * IndexedDB, and once it is restarted (same data directory, same port, so the same origin) the
 * page sends them by itself; the server ends up with each run exactly once.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp } from '../support/app-server';
import { expect, test } from './fixtures';
import { settled } from './helpers';
import { createNotebook } from './tracked-notebook';

async function stop(server: ChildProcess): Promise<void> {
	if (server.exitCode !== null) return;
	const exited = new Promise((resolve) => server.once('exit', resolve));
	server.kill('SIGTERM');
	await exited;
}

/** Entries in the page's sync outbox (IndexedDB), read directly. */
function outbox(page: import('@playwright/test').Page): Promise<{ key: string; label: string; attempts: number }[]> {
	return page.evaluate(
		() =>
			new Promise((resolve, reject) => {
				const open = indexedDB.open('driftbook-sync', 1);
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const request = open.result.transaction('outbox', 'readonly').objectStore('outbox').getAll();
					request.onsuccess = () => {
						resolve(request.result.map((e: { key: string; label: string; attempts: number }) => ({ key: e.key, label: e.label, attempts: e.attempts })));
						open.result.close();
					};
					request.onerror = () => reject(request.error);
				};
			})
	);
}

test('runs made while the server is down are sent once it is back, each exactly once', async ({ page, request }) => {
	test.setTimeout(90_000);
	const dataDir = mkdtempSync(join(tmpdir(), 'driftbook-sync-e2e-'));
	let { server, base, port } = await startApp(dataDir);
	try {
		const slug = await createNotebook(request, base, 'Sync outage');
		await page.goto(`${base}/notebooks/${slug}`);
		expect(await settled(page, 60_000)).toMatchObject({ scores: 'done', drift: 'done' });
		await page.getByTestId('track-runs').check();

		// One run while the server is up.
		await page.locator('[data-cell="drift"]').getByRole('button', { name: 'Run drift' }).click();
		await settled(page, 30_000);
		await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced');

		await stop(server);

		// Three more while it is down: two drift results and the model cell's result, logged by hand.
		for (let i = 0; i < 2; i++) {
			await page.locator('[data-cell="drift"]').getByRole('button', { name: 'Run drift' }).click();
			await settled(page, 30_000);
		}
		await page.locator('[data-cell="scores"]').getByTestId('log-run').click();
		const status = page.getByTestId('sync-status');
		await expect(status).toHaveAttribute('data-pending', '3');
		await expect(status).toHaveAttribute('data-state', 'waiting');
		await expect(status).toContainText(/3 runs waiting · retry in \d+ s/);
		await status.getByRole('button').first().click();
		await expect(page.getByTestId('sync-error')).toContainText(/fetch/i);
		await page.screenshot({ path: test.info().outputPath('sync-waiting.png') });
		const waiting = await outbox(page);
		expect(waiting).toHaveLength(3);
		expect(new Set(waiting.map((e) => e.key)).size).toBe(3);
		expect(Math.max(...waiting.map((e) => e.attempts))).toBeGreaterThan(0);

		({ server } = await startApp(dataDir, { port }));

		// The page retries on its own (backoff timer), and the outbox empties.
		await expect(status).toHaveAttribute('data-state', 'synced', { timeout: 40_000 });
		expect(await outbox(page)).toEqual([]);

		const experiment = await (await request.get(`${base}/api/2.0/mlflow/experiments/get-by-name`, { params: { experiment_name: slug } })).json();
		const search = await request.post(`${base}/api/2.0/mlflow/runs/search`, { data: { experiment_ids: [experiment.experiment.experiment_id] } });
		const runs = ((await search.json()).runs ?? []) as { data: { tags?: { key: string; value: string }[] } }[];
		const kinds = runs.map((r) => r.data.tags?.find((t) => t.key === 'driftbook.cell_kind')?.value).sort();
		expect(kinds).toEqual(['drift', 'drift', 'drift', 'model']);
	} finally {
		await stop(server);
		rmSync(dataDir, { recursive: true, force: true });
	}
});
