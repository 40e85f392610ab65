/**
 * From a notebook to the registry, in a real browser against the real server: log a run of the
 * model cell, register two model versions (ONNX uploaded, input table hashed, the drift
 * report linked), move @champion to the second, roll it back, and read the history and the
 * lineage on the models pages.
 */
import { expect, test } from './fixtures';
import { settled } from './helpers';
import { createNotebook } from './tracked-notebook';

test('log a run, register two versions, move @champion, roll it back, see history and lineage', async ({ page, request, baseURL }) => {
	const slug = await createNotebook(request, baseURL!, `Registry e2e ${Date.now()}`);
	await page.goto(`/notebooks/${slug}`);
	expect(await settled(page, 60_000)).toMatchObject({ features: 'done', scores: 'done', drift: 'done' });

	// Private by default: tracking is off and nothing was logged.
	await expect(page.getByTestId('track-runs')).not.toBeChecked();
	const experimentRuns = async () => {
		const found = await request.get(`${baseURL}/api/2.0/mlflow/experiments/get-by-name`, { params: { experiment_name: slug } });
		if (found.status() === 404) return [];
		const id = (await found.json()).experiment.experiment_id;
		const runs = await request.post(`${baseURL}/api/2.0/mlflow/runs/search`, { data: { experiment_ids: [id] } });
		return ((await runs.json()).runs ?? []) as {
			info: { run_id: string; run_name: string };
			data: { params?: { key: string; value: string }[]; tags?: { key: string; value: string }[] };
		}[];
	};
	expect(await experimentRuns()).toEqual([]);

	const model = page.locator('[data-cell="scores"]');
	await model.getByTestId('log-run').click();
	await expect(model.getByTestId('log-run')).toHaveText('Run logged ✓');
	await expect.poll(async () => (await experimentRuns()).length, { timeout: 15_000 }).toBe(1);
	const [logged] = await experimentRuns();
	const params = Object.fromEntries((logged.data.params ?? []).map((p) => [p.key, p.value]));
	expect(params).toMatchObject({ model: 'churn_lr.onnx', rows: '2000', input_table: 'features' });
	expect(['webgpu', 'wasm']).toContain(params.backend);

	// Register version 1, then version 2.
	for (const expected of ['1', '2']) {
		if (expected === '2') {
			await page.locator('[data-cell="scores"]').getByRole('button', { name: 'Run scores' }).click();
			await settled(page, 60_000);
		}
		await model.getByTestId('register-open').click();
		const form = model.getByTestId('register-form');
		await form.getByLabel('Registered model name').fill('e2e_churn');
		await form.getByRole('button', { name: 'Register version' }).click();
		await expect(model.getByTestId('registered')).toContainText(`e2e_churn version ${expected}`, { timeout: 30_000 });
		if (expected === '1') await model.getByTestId('register-open').click(); // close the form
	}
	await expect(model.getByTestId('run-actions-error')).toHaveCount(0);
	await page.screenshot({ path: test.info().outputPath('notebook-registered.png'), fullPage: false });
	// The log-run run, plus one run per registered version's re-run result (v1 reused the logged run's key), plus the drift report run.
	const runs = await experimentRuns();
	expect(runs.filter((r) => r.data.tags?.some((t) => t.key === 'driftbook.cell_kind' && t.value === 'model'))).toHaveLength(2);
	expect(runs.filter((r) => r.data.tags?.some((t) => t.key === 'driftbook.cell_kind' && t.value === 'drift'))).toHaveLength(1);

	// The models pages: @champion to v1, then v2, roll back to v1.
	await page.goto('/models');
	await expect(page.locator('[data-model="e2e_churn"]')).toContainText('v2');
	await page.screenshot({ path: test.info().outputPath('models.png') });
	await page.locator('[data-model="e2e_churn"] a').click();
	await expect(page.getByTestId('model-versions').locator('tbody tr')).toHaveCount(2);
	const aliases = page.getByTestId('aliases');
	await aliases.getByLabel('Alias name').fill('champion');
	await aliases.getByLabel('Version for the alias').selectOption('1');
	await aliases.getByTestId('set-alias').click();
	await expect(page.getByTestId('alias-message')).toHaveText('@champion now points at version 1.');
	await aliases.getByLabel('Version for the alias').selectOption('2');
	await aliases.getByTestId('set-alias').click();
	await expect(page.getByTestId('alias-message')).toHaveText('@champion now points at version 2.');
	const champion = page.locator('[data-alias="champion"]');
	await expect(champion.getByTestId('alias-version')).toHaveText('v2');
	await champion.getByTestId('rollback').click();
	await expect(page.getByTestId('alias-message')).toHaveText('@champion rolled back to version 1.');
	await expect(champion.getByTestId('alias-version')).toHaveText('v1');
	const history = champion.getByTestId('alias-history').locator('tbody tr');
	await expect(history).toHaveCount(3);
	await expect(history.nth(0)).toContainText('v2 → v1');
	await expect(history.nth(0)).toContainText('rollback from version 2');
	await expect(history.nth(1)).toContainText('v1 → v2');
	await expect(history.nth(2)).toContainText('— → v1');
	await page.screenshot({ path: test.info().outputPath('model-aliases.png'), fullPage: true });

	// Lineage of version 1: its run, the input table's hash, the drift report.
	await page.goto('/models/e2e_churn/versions/1');
	const graph = page.getByTestId('lineage-graph');
	await expect(graph.locator('[data-node-type="model_version"]')).toHaveCount(1);
	await expect(graph.locator('[data-node-type="dataset"]')).toHaveCount(1);
	await expect(graph.locator('[data-node-type="report"]')).toHaveCount(1);
	await expect(graph.locator('[data-node-type="run"]')).toHaveCount(2);
	await expect(page.getByTestId('lineage-datasets')).toContainText(/sha256 [0-9a-f]{64}/);
	await expect(page.getByTestId('lineage-datasets')).toContainText('2,000');
	await expect(page.getByTestId('lineage-reports')).toContainText(/drift: \d of 2 columns drifted/);
	await expect(page.getByTestId('lineage-params')).toContainText('churn_lr.onnx');
	await page.screenshot({ path: test.info().outputPath('lineage.png'), fullPage: true });

	// The ONNX file is the version's artifact, byte for byte.
	const original = await (await request.get(`${baseURL}/models/churn_lr.onnx`)).body();
	const version = (await (await request.get(`${baseURL}/api/2.0/mlflow/model-versions/get`, { params: { name: 'e2e_churn', version: '1' } })).json())
		.model_version;
	const stored = await request.get(`${baseURL}/api/2.0/mlflow-artifacts/artifacts/${version.source.replace(/^mlflow-artifacts:\//, '')}/churn_lr.onnx`);
	expect(Buffer.compare(await stored.body(), original)).toBe(0);

	// Experiments: the runs table and a side-by-side comparison.
	await page.goto('/experiments');
	await expect(page.locator(`[data-experiment="${slug}"]`)).toBeVisible();
	await page.screenshot({ path: test.info().outputPath('experiments.png') });
	await page.locator(`[data-experiment="${slug}"] a`).click();
	const table = page.getByTestId('runs-table');
	await expect(table.locator('tbody tr')).toHaveCount(3);
	const modelRows = table.locator('tbody tr', { hasText: 'scores' });
	await modelRows.nth(0).getByRole('checkbox').check();
	await modelRows.nth(1).getByRole('checkbox').check();
	await expect(page.getByTestId('runs-compare').locator('[data-key="rows_per_second"] td')).toHaveCount(2);
	await expect(page.getByTestId('metric-chart').locator('svg').first()).toBeVisible();
	await page.screenshot({ path: test.info().outputPath('experiment.png'), fullPage: true });

	// A run page: the drift report artifact, readable in place.
	await table.locator('tbody tr', { hasText: 'drift' }).getByRole('link').click();
	await expect(page.getByTestId('run-metrics').locator('[data-metric="drift_share"]')).toBeVisible();
	await page.getByTestId('run-artifacts').getByRole('button', { name: 'View' }).click();
	await expect(page.getByTestId('artifact-text')).toContainText('"drifted_columns"');
	await page.screenshot({ path: test.info().outputPath('run.png'), fullPage: true });
});
