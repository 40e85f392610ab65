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
import { runCli } from '../support/cli';
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
	const dataDir = mkdtempSync(join(tmpdir(), 'driftbook-sync-e2e-'));
	const app = await startApp(dataDir);
	const { base, port } = app;
	let { server } = app;
	try {
		const slug = await createNotebook(request, base, 'Sync outage', { withModel: false });
		// Retries every 0.25–2 s instead of up to 30 s: the same timer-driven retry, without
		// waiting out the production backoff (unit-tested in test/unit/api).
		await page.addInitScript(() => {
			(window as unknown as { __driftbookSyncBackoff: object }).__driftbookSyncBackoff = { baseDelayMs: 250, maxDelayMs: 2000 };
		});
		await page.goto(`${base}/notebooks/${slug}`);
		expect(await settled(page, 60_000)).toMatchObject({ features: 'done', drift: 'done' });
		await page.getByTestId('track-runs').check();

		// One run while the server is up.
		await page.locator('[data-cell="drift"]').getByRole('button', { name: 'Run drift' }).click();
		await settled(page, 30_000);
		await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced');

		await stop(server);

		// Three more while it is down.
		for (let i = 0; i < 3; i++) {
			await page.locator('[data-cell="drift"]').getByRole('button', { name: 'Run drift' }).click();
			await settled(page, 30_000);
		}
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
		await expect(status).toHaveAttribute('data-state', 'synced', { timeout: 20_000 });
		expect(await outbox(page)).toEqual([]);

		const experiment = await (await request.get(`${base}/api/2.0/mlflow/experiments/get-by-name`, { params: { experiment_name: slug } })).json();
		const search = await request.post(`${base}/api/2.0/mlflow/runs/search`, { data: { experiment_ids: [experiment.experiment.experiment_id] } });
		const runs = ((await search.json()).runs ?? []) as { data: { tags?: { key: string; value: string }[] } }[];
		const kinds = runs.map((r) => r.data.tags?.find((t) => t.key === 'driftbook.cell_kind')?.value).sort();
		expect(kinds).toEqual(['drift', 'drift', 'drift', 'drift']);
	} finally {
		await stop(server);
		rmSync(dataDir, { recursive: true, force: true });
	}
});

const PROBE = `
\`\`\`js name=probe
const probe = async (name, read) => {
  try { return name + '=' + String(await read()); } catch (e) { return name + ':' + e.name; }
};
return (await Promise.all([
  probe('sessionStorage', () => sessionStorage.getItem('driftbook.api-token')),
  probe('api', async () => (await fetch('/api/notebooks')).status),
])).join(' ');
\`\`\`
`;

test('team mode: pages ask for a token, runs sync with it, and JS cells never see it', async ({ page, request }) => {
	const dataDir = mkdtempSync(join(tmpdir(), 'driftbook-team-e2e-'));
	const env = { ...process.env, DRIFTBOOK_DATA_DIR: dataDir, DATABASE_URL: '' };
	const created = await runCli('token', ['create', '--role', 'write'], false, env);
	expect(created.code, created.stderr).toBe(0);
	const token = created.stdout.trim();
	const { server, base } = await startApp(dataDir, { env: { DRIFTBOOK_AUTH: 'on' } });
	try {
		expect((await request.get(`${base}/api/notebooks`)).status()).toBe(401);
		const slug = await createNotebook(request, base, 'Team notebook', { token, extraCells: PROBE, withModel: false });

		// A page's 401 leads to /login, and back after a good token.
		await page.goto(`${base}/experiments`);
		await expect(page).toHaveURL(/\/login\?next=%2Fexperiments$/);
		await expect(page.getByTestId('login-needed')).toBeVisible();
		await page.getByTestId('token-input').fill('dbk_not-a-real-token');
		await page.getByRole('button', { name: 'Use this token' }).click();
		await expect(page.getByTestId('login-message')).toContainText('refused');
		await page.screenshot({ path: test.info().outputPath('login.png') });
		await page.getByTestId('token-input').fill(token);
		await page.getByRole('button', { name: 'Use this token' }).click();
		await expect(page).toHaveURL(`${base}/experiments`);
		await expect(page.getByRole('heading', { name: 'Experiments' })).toBeVisible();

		await page.goto(`${base}/notebooks/${slug}`);
		expect(await settled(page, 60_000)).toMatchObject({ drift: 'done', probe: 'done' });
		const probe = (await page.locator('[data-cell="probe"] .output').textContent()) ?? '';
		expect(probe).not.toContain(token);
		expect(probe).toContain('sessionStorage:ReferenceError');
		expect(probe).toContain('api:TypeError');
		for (const frame of await page.locator('iframe').all()) expect((await frame.getAttribute('srcdoc')) ?? '').not.toContain(token);

		await page.locator('[data-cell="drift"]').getByTestId('log-run').click();
		await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced');
		const auth = { authorization: `Bearer ${token}` };
		const experiment = await (await request.get(`${base}/api/2.0/mlflow/experiments/get-by-name`, { params: { experiment_name: slug }, headers: auth })).json();
		const search = await request.post(`${base}/api/2.0/mlflow/runs/search`, { data: { experiment_ids: [experiment.experiment.experiment_id] }, headers: auth });
		expect(((await search.json()).runs ?? []).length).toBe(1);
	} finally {
		await stop(server);
		rmSync(dataDir, { recursive: true, force: true });
	}
});
