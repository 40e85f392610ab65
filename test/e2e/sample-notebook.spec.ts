import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import type { Page } from '@playwright/test';
import { expect, isLocal, sharedPage, test } from './fixtures';
import { editAndRun, runCounts } from './helpers';
import { driftReport, columnFromStrings } from '#lib/stats/index.ts';

const SLUG = 'churn-model-drift-review';
const CELLS = ['churn_events', 'weekly', 'weekly_churn', 'reference', 'current', 'drift', 'features', 'scores', 'calibration', 'calibration_chart'];
const FEATURES = [
	'tenure_months',
	'monthly_charges',
	'sessions_per_week',
	'avg_session_minutes',
	'support_tickets',
	'days_since_last_login',
	'plan_standard',
	'plan_premium',
	'autopay',
	'channel_ios',
	'channel_android'
];

/** The sample CSV read independently of the app, to compute what the page must show. */
function readSample() {
	const [header, ...lines] = readFileSync('static/samples/churn_events.csv', 'utf8').trimEnd().split('\n');
	const names = header.split(',');
	const columns: Record<string, string[]> = Object.fromEntries(names.map((n) => [n, []]));
	for (const line of lines) line.split(',').forEach((v, i) => columns[names[i]].push(v));
	return { names, columns, rows: lines.length };
}

/**
 * Opens the notebook as a user does, from its link on the home page: DuckDB starts as the
 * navigation begins (routes/+layout.svelte), and the notebook must use that instance, not
 * start a second one beside it.
 */
async function openNotebook(page: Page) {
	const duckdbWorkers: string[] = [];
	page.on('worker', (worker) => {
		if (worker.url().includes('duckdb-browser-eh.worker')) duckdbWorkers.push(worker.url());
	});
	await page.goto('/');
	await page.locator(`[data-notebook="${SLUG}"] a`).click();
	await expect(page).toHaveURL(new RegExp(`/notebooks/${SLUG}$`));
	for (const name of CELLS) {
		await expect(page.locator(`[data-cell="${name}"]`)).toHaveAttribute('data-status', /done|error/, { timeout: 170_000 });
	}
	expect(duckdbWorkers, 'DuckDB workers started for the notebook').toHaveLength(1);
	for (const name of CELLS) {
		const cell = page.locator(`[data-cell="${name}"]`);
		if ((await cell.getAttribute('data-status')) === 'error') {
			throw new Error(`cell ${name} failed: ${await cell.locator('[data-testid=cell-error]').textContent()}`);
		}
	}
}

test('the home page lists the bundled sample notebook and opens it', async ({ page }) => {
	await page.goto('/');
	const link = page.locator(`[data-notebook="${SLUG}"] a`);
	await expect(link).toHaveText('Churn model drift review');
	await link.click();
	await expect(page).toHaveURL(new RegExp(`/notebooks/${SLUG}$`));
	await expect(page.getByTestId('notebook-title')).toHaveText('Churn model drift review');
});

// The next two tests read the same opened notebook: it is loaded (DuckDB, ORT, the model) once.
const shared = sharedPage();

// Not tagged @backend: this notebook's SQL, charts and drift do not depend on the inference
// backend, and a model cell on the WASM fallback (backend, the WebGPU message, parity with
// onnxruntime-node) is covered by inference.spec.ts and inference-demo.spec.ts in the `wasm`
// project. Loading this notebook a second time there cost a full run of its model and drift.
test('the sample notebook runs offline with real outputs', async ({ requested }, testInfo) => {
	const page = shared();
	await openNotebook(page);
	expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
	const sample = readSample();

	// SQL: row counts computed here from the CSV itself.
	const weeks = new Set(sample.columns.event_time.map((t) => Math.floor((Date.parse(t.replace(' ', 'T') + 'Z') - Date.UTC(2026, 0, 5)) / 604_800_000)));
	await expect(page.locator('[data-cell="churn_events"] [data-testid=row-count]')).toHaveAttribute('data-rows', String(sample.rows));
	await expect(page.locator('[data-cell="weekly"] [data-testid=row-count]')).toHaveAttribute('data-rows', String(weeks.size));
	const isReference = sample.columns.event_time.map((t) => t < '2026-03-02');
	const isCurrent = sample.columns.event_time.map((t) => t >= '2026-03-16');
	const count = (mask: boolean[]) => mask.filter(Boolean).length;
	await expect(page.locator('[data-cell="reference"] [data-testid=row-count]')).toHaveAttribute('data-rows', String(count(isReference)));
	await expect(page.locator('[data-cell="current"] [data-testid=row-count]')).toHaveAttribute('data-rows', String(count(isCurrent)));

	// Chart: an SVG with a title.
	await expect(page.locator('[data-cell="weekly_churn"] svg').first()).toBeVisible();
	await expect(page.locator('[data-cell="weekly_churn"] figure h2')).toHaveText('Weekly churn rate');

	// Drift: the shifted columns are flagged, the stationary ones are not, and the numbers are the
	// library's own run in Node on the CSV's strings.
	const tested = sample.names.filter((n) => !['event_id', 'customer_id', 'event_time'].includes(n));
	const pick = (mask: boolean[]) => Object.fromEntries(tested.map((n) => [n, columnFromStrings(sample.columns[n].filter((_, i) => mask[i]))]));
	const expected = driftReport(pick(isReference), pick(isCurrent), { methods: ['ks', 'chisquare'] });
	const flagged = expected.columns
		.filter((c) => c.drifted)
		.map((c) => c.column)
		.sort();
	expect(flagged).toEqual(['channel', 'churned', 'monthly_charges', 'sessions_per_week']);
	for (const column of expected.columns) {
		const row = page.locator(`[data-cell="drift"] tr[data-column="${column.column}"]`);
		await expect(row).toHaveAttribute('data-drifted', String(column.drifted));
	}
	await expect(page.locator('[data-cell="drift"] [data-testid=drift-summary]')).toHaveAttribute('data-drifted-columns', String(flagged.length));
	await expect(page.locator('[data-cell="drift"] figure h2')).toContainText('Drift by column');

	// Model: the backend that ran, and predictions equal to onnxruntime-node's on the same rows.
	const backend = testInfo.project.name === 'webgpu' ? 'webgpu' : 'wasm';
	await expect(page.locator('[data-cell="scores"] [data-testid=model-backend]')).toHaveAttribute('data-backend', backend);
	if (backend === 'wasm') await expect(page.locator('[data-cell="scores"] [data-testid=model-fallback]')).toContainText('WebGPU');
	const rowsPerSecond = Number(await page.locator('[data-cell="scores"] [data-testid=model-rows-per-second]').getAttribute('data-value'));
	expect(rowsPerSecond).toBeGreaterThan(0);
	testInfo.annotations.push({ type: 'rows/s', description: `${backend}: ${Math.round(rowsPerSecond)}` });

	const rows = await page.evaluate(async (features) => {
		const list = features.map((f) => `f."${f}"`).join(', ');
		return window.driftbook!.query(
			`SELECT f.event_id, ${list}, s.churn_probability FROM features f JOIN scores s USING (event_id) WHERE f.event_id % 40 = 1 OR f.event_id <= 100 ORDER BY f.event_id`
		);
	}, FEATURES);
	expect(rows.length).toBe(5_097);
	const input = new Float32Array(rows.length * FEATURES.length);
	rows.forEach((row, r) => FEATURES.forEach((f, c) => (input[r * FEATURES.length + c] = Number(row[f]))));
	const session = await ort.InferenceSession.create('static/models/churn_lr.onnx');
	const native = await session.run({ features: new ort.Tensor('float32', input, [rows.length, FEATURES.length]) });
	const reference = native.churn_probability.data as Float32Array;
	const worst = Math.max(...rows.map((row, r) => Math.abs(Number(row.churn_probability) - reference[r])));
	expect(worst).toBeLessThan(1e-5);
	await session.release();

	// Everything came from this server: the page, DuckDB's and ORT's wasm, the data (as Parquet) and the model.
	expect(requested.some((url) => url.endsWith('.wasm'))).toBe(true);
	expect(requested.some((url) => url.includes('/samples/churn_events.parquet'))).toBe(true);
	expect(requested.every(isLocal)).toBe(true);
});

test('editing the first SQL cell re-runs exactly its dependents', async () => {
	const page = shared();
	// Opened by the test before unless that one failed (a new worker, a new page).
	if (!page.url().endsWith(`/notebooks/${SLUG}`)) await openNotebook(page);
	const runs = () => runCounts(page, CELLS);
	const before = await runs();
	expect(Object.values(before).every((r) => r === 1)).toBe(true);

	const sql = await page.locator('[data-cell="weekly"] .cm-content').innerText();
	await editAndRun(page, 'weekly', sql.replace('FROM churn_events', "FROM churn_events\nWHERE event_time < TIMESTAMP '2026-03-02'"));
	await expect(page.locator('[data-cell="weekly"] [data-testid=row-count]')).toHaveAttribute('data-rows', '8');
	await expect(page.locator('[data-cell="weekly_churn"]')).toHaveAttribute('data-status', 'done');
	await page.evaluate(() => window.driftbook!.idle());
	const after = await runs();
	const reran = CELLS.filter((n) => after[n] !== before[n]).sort();
	expect(reran).toEqual(['weekly', 'weekly_churn']);
});
