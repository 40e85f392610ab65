/**
 * A registry model in team mode, end to end: the server requires tokens, the page has the one
 * the login page stored, and a model cell's `models:/churn@champion` is resolved and its file
 * fetched by the inference worker with that token (no 401), giving the same predictions as
 * onnxruntime-node on the same file.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { startApp } from '../support/app-server';
import { runCli } from '../support/cli';
import { expect, test } from './fixtures';
import { churnRowsCell, settled } from './helpers';
import { encodeShareFragment } from '#lib/notebook/share.ts';

const NUMERIC = ['tenure_months', 'monthly_charges', 'sessions_per_week', 'avg_session_minutes', 'support_tickets', 'days_since_last_login'];
const NOTEBOOK = `---
title: Team registry model
---

${churnRowsCell('events', 100)}

\`\`\`model name=champion_scores
model: models:/churn@champion
input: events
id: id
columns: ${NUMERIC.join(', ')}, plan=standard, plan=premium, autopay, channel=ios, channel=android
\`\`\`
`;

async function stop(server: ChildProcess): Promise<void> {
	if (server.exitCode !== null) return;
	const exited = new Promise((resolve) => server.once('exit', resolve));
	server.kill('SIGTERM');
	await exited;
}

test('a models:/ cell loads its model with the login token when the server requires one', async ({ page, request }) => {
	const dataDir = mkdtempSync(join(tmpdir(), 'driftbook-model-team-e2e-'));
	const created = await runCli('token', ['create', '--role', 'write'], false, { ...process.env, DRIFTBOOK_DATA_DIR: dataDir, DATABASE_URL: '' });
	expect(created.code, created.stderr).toBe(0);
	const token = created.stdout.trim();
	const { server, base } = await startApp(dataDir, { env: { DRIFTBOOK_AUTH: 'on' } });
	try {
		const headers = { authorization: `Bearer ${token}` };
		const model = readFileSync('static/models/churn_gbt.onnx');
		const file = `${base}/api/2.0/mlflow-artifacts/artifacts/models/churn/model.onnx`;
		expect((await request.put(file, { headers, data: model })).status()).toBe(200);
		expect((await request.get(file)).status()).toBe(401);
		for (const [endpoint, body] of [
			['registered-models/create', { name: 'churn' }],
			['model-versions/create', { name: 'churn', source: 'mlflow-artifacts:/models/churn/model.onnx' }],
			['registered-models/alias', { name: 'churn', alias: 'champion', version: '1' }]
		] as const) {
			const response = await request.post(`${base}/api/2.0/mlflow/${endpoint}`, { headers, data: body });
			expect(response.status(), `${endpoint}: ${await response.text()}`).toBe(200);
		}

		// The login page stores the token; the shared notebook's model cell then uses it.
		await page.goto(`${base}/login`);
		await page.getByTestId('token-input').fill(token);
		await page.getByRole('button', { name: 'Use this token' }).click();
		await page.waitForURL((url) => url.pathname !== '/login');
		await page.goto(`${base}/view#${await encodeShareFragment(NOTEBOOK)}`);
		const statuses = await settled(page, 120_000);
		expect(statuses.champion_scores, (await page.evaluate(() => window.driftbook!.status('champion_scores')))?.error).toBe('done');
		await expect(page.locator('[data-cell="champion_scores"] [data-testid=model-origin]')).toContainText('registry: churn version 1');

		const rows = await page.evaluate(() =>
			window.driftbook!.query('SELECT e.*, s.probabilities_1 FROM events e JOIN champion_scores s USING (id) ORDER BY id')
		);
		expect(rows.length).toBe(100);
		const features = rows.flatMap((r) => [
			...NUMERIC.map((c) => Number(r[c])),
			r.plan === 'standard' ? 1 : 0,
			r.plan === 'premium' ? 1 : 0,
			r.autopay === true ? 1 : 0,
			r.channel === 'ios' ? 1 : 0,
			r.channel === 'android' ? 1 : 0
		]);
		const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
		const native = await session.run({ features: new ort.Tensor('float32', Float32Array.from(features), [rows.length, 11]) });
		await session.release();
		const probabilities = (native.probabilities.data as Float32Array).filter((_, i) => i % 2 === 1);
		expect(Math.max(...rows.map((r, i) => Math.abs(Number(r.probabilities_1) - probabilities[i])))).toBeLessThan(1e-5);
	} finally {
		await stop(server);
		rmSync(dataDir, { recursive: true, force: true });
	}
});
