/**
 * The webhooks page against its own real server (which allows http receivers) and a real local
 * receiver: add a subscription, press the test button, and see a registry change delivered in
 * the delivery log.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { startApp } from '../support/app-server';
import { startReceiver } from '../support/webhook-receiver';

test('add a webhook, send a test, and read registry deliveries in the log', async ({ page, request }) => {
	const dataDir = mkdtempSync(join(tmpdir(), 'driftbook-webhooks-e2e-'));
	const receiver = await startReceiver();
	const { server, base } = await startApp(dataDir, { env: { DRIFTBOOK_WEBHOOK_ALLOWED_SCHEMES: 'http' } });
	try {
		await page.goto(`${base}/webhooks`);
		const form = page.getByTestId('new-webhook');
		await form.getByLabel('Name').fill('retrain-pipeline');
		await form.getByLabel('URL').fill(receiver.url);
		await form.getByLabel('Secret').fill('e2e-secret');
		await form.getByLabel('registered_model.created').check();
		await form.getByRole('button', { name: 'Add webhook' }).click();

		const hook = page.locator('[data-webhook="retrain-pipeline"]');
		await expect(hook).toContainText('monitor.alerted, registered_model.created');
		await hook.getByTestId('test-webhook').click();
		await expect(hook.getByTestId('test-result')).toHaveText('Test delivered: HTTP 200');
		expect(receiver.received[0].headers['x-mlflow-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
		await expect(hook.getByTestId('deliveries').locator('tr[data-status="delivered"]')).toHaveCount(1);

		// A registry change is queued with the change and sent by the server's background sender.
		expect((await request.post(`${base}/api/2.0/mlflow/registered-models/create`, { data: { name: 'e2e-hooked' } })).status()).toBe(200);
		await expect.poll(() => receiver.received.length, { timeout: 30_000 }).toBe(2);
		expect(JSON.parse(receiver.received[1].body)).toMatchObject({ entity: 'registered_model', action: 'created', data: { name: 'e2e-hooked' } });
		await page.reload();
		const log = hook.getByTestId('deliveries');
		await expect(log.locator('tr').filter({ hasText: 'registered_model.created' }).filter({ hasNotText: 'test' })).toContainText('HTTP 200');
		await page.screenshot({ path: test.info().outputPath('webhooks-page.png'), fullPage: true });
	} finally {
		server.kill('SIGTERM');
		await new Promise((r) => server.once('exit', r));
		await receiver.close();
		rmSync(dataDir, { recursive: true, force: true });
	}
});
