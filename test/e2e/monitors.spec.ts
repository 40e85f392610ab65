/**
 * A model's monitors page against the real server: a monitor over a server dataset, evaluated
 * with the button, charted over time, and "Open in notebook" opening a notebook that loads the
 * alerted window and runs the same drift report in the browser; and a monitor over the
 * prediction log of a served model, its evaluation opened in a notebook on the log.
 */
import { readFileSync } from 'node:fs';
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures';
import { settled } from './helpers';
import { mulberry32 } from '../support/mulberry32';
import { preprocessingTags } from '#lib/cells/model/register.ts';
import { parseNotebook } from '#lib/notebook/format.ts';

const HOUR = 3_600_000;

/** Uploads `text` as a CSV server dataset named `name`; its id. */
async function uploadCsv(request: APIRequestContext, name: string, text: string): Promise<string> {
	const res = await request.post(`/api/datasets?name=${name}&format=csv`, { data: Buffer.from(text) });
	expect(res.status()).toBe(201);
	return (await res.json()).dataset.id as string;
}

/** CSV of `n` rows an hour apart ending now: x standard normal plus `shift`, plan tilted to premium by `premium`. */
function csv(seed: number, n: number, end: number, shift: number, premium: number): string {
	const random = mulberry32(seed);
	const lines = ['time,x,plan'];
	for (let i = 0; i < n; i++) {
		const x = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()) + shift;
		const u = random();
		lines.push(`${new Date(end - (n - i) * (HOUR / 20)).toISOString()},${x.toFixed(6)},${u < premium ? 'premium' : u < 0.7 ? 'standard' : 'basic'}`);
	}
	return lines.join('\n') + '\n';
}

test('a monitor alerts on shifted data, is charted over time, and opens its window in a notebook', async ({ page, request }) => {
	const model = `e2e_monitored_${Date.now()}`;
	const upload = (name: string, text: string) => uploadCsv(request, name, text);
	const now = Date.now();
	const reference = await upload(`${model}_train`, csv(1, 400, now - 30 * 24 * HOUR, 0, 0.2));
	const current = await upload(`${model}_predictions`, csv(2, 400, now, 1, 0.5)); // the last 20 hours, shifted
	expect((await request.post('/api/2.0/mlflow/registered-models/create', { data: { name: model } })).status()).toBe(200);
	const created = await request.post('/api/monitors', {
		data: { name: 'daily-drift', model_name: model, reference_dataset_id: reference, current_dataset_id: current, time_column: 'time', window_seconds: 86_400 }
	});
	expect(created.status()).toBe(201);

	await page.goto(`/models/${model}`);
	await page.getByTestId('monitors-link').click();
	const monitor = page.locator('[data-monitor="daily-drift"]');
	await expect(monitor).toContainText('Not evaluated yet.');
	await monitor.getByRole('button', { name: 'Evaluate now' }).click();
	const row = monitor.getByTestId('evaluations').locator('tr[data-evaluation]');
	await expect(row).toHaveCount(1);
	await expect(row).toContainText('2 / 2');
	await expect(row).toContainText('alert');
	// The chart: its title, both axes' labels with units.
	const figure = monitor.locator('figure');
	await expect(figure).toContainText('daily-drift: share of columns drifted per evaluation');
	await expect(figure).toContainText('window end (local time)');
	await expect(figure).toContainText('drifted columns (share of tested, 0–1)');
	// one evaluation still gets local-time ticks, not a UTC ISO timestamp
	await expect(figure.locator('[aria-label="x-axis tick label"]').first()).not.toHaveText(/\d{4}-\d{2}-\d{2}T/);
	await page.screenshot({ path: test.info().outputPath('monitors-page.png'), fullPage: true });

	await row.getByRole('button', { name: 'Open in notebook' }).click();
	await page.waitForURL(/\/notebooks\//);
	expect(await settled(page, 120_000)).toMatchObject({ reference: 'done', current_data: 'done', current: 'done', drift: 'done' });
	const drift = page.locator('[data-cell="drift"]');
	await expect(drift.getByTestId('drift-summary')).toHaveAttribute('data-drifted-columns', '2');
	await expect(drift.locator('tr[data-column="x"]')).toHaveAttribute('data-drifted', 'true');
	await expect(drift.locator('tr[data-column="plan"]')).toHaveAttribute('data-drifted', 'true');
	await page.screenshot({ path: test.info().outputPath('monitor-notebook.png'), fullPage: false });
});

test('a monitor over the prediction log opens the log in a notebook whose drift cell runs to done', async ({ page, request }) => {
	const model = `e2e_served_${Date.now()}`;
	const numeric = ['tenure_months', 'monthly_charges', 'sessions_per_week', 'avg_session_minutes', 'support_tickets', 'days_since_last_login'];
	const [header, ...lines] = readFileSync('static/samples/churn_events.csv', 'utf8').trim().split('\n');
	const names = header.split(',');
	const rows = lines.slice(0, 600).map((line) => {
		const cells = line.split(',');
		return Object.fromEntries(names.map((n, j) => [n, numeric.includes(n) ? Number(cells[j]) : n === 'autopay' ? cells[j] === 'true' : cells[j]]));
	});
	const mlflow = async (endpoint: string, data: unknown) => {
		const res = await request.post(`/api/2.0/mlflow/${endpoint}`, { data });
		expect(res.status(), await res.text()).toBe(200);
		return res.json();
	};
	await mlflow('registered-models/create', { name: model });
	const put = await request.put(`/api/2.0/mlflow-artifacts/artifacts/${model}/churn_mlp.onnx`, { data: readFileSync('static/models/churn_mlp.onnx') });
	expect(put.status()).toBe(200);
	const notebook = parseNotebook(readFileSync('notebooks/churn-models-in-the-browser.driftbook.md', 'utf8'));
	const tags = preprocessingTags({ cellName: 'mlp_scores', cellSource: notebook.cells.find((c) => c.name === 'mlp_scores')!.source });
	await mlflow('model-versions/create', { name: model, source: `mlflow-artifacts:/${model}`, tags });
	await mlflow('registered-models/alias', { name: model, alias: 'champion', version: '1' });

	// The reference: the first 300 rows; served: 300 more as they are, then 300 with dearer, longer-held plans.
	const reference = [numeric.join(','), ...rows.slice(0, 300).map((r) => numeric.map((c) => r[c]).join(','))].join('\n');
	const uploaded = await request.post(`/api/datasets?name=${model}_train&format=csv`, { data: Buffer.from(reference) });
	expect(uploaded.status()).toBe(201);
	const shifted = rows
		.slice(300, 600)
		.map((r) => ({ ...r, monthly_charges: (r.monthly_charges as number) * 1.6 + 25, tenure_months: (r.tenure_months as number) + 36 }));
	for (const batch of [rows.slice(300, 600), shifted]) {
		const scored = await request.post(`/api/serve/models/${model}@champion/invocations`, { data: { dataframe_records: batch } });
		expect(scored.status(), await scored.text()).toBe(200);
	}
	const created = await request.post('/api/monitors', {
		data: {
			name: 'log-drift',
			model_name: model,
			alias: 'champion',
			reference_dataset_id: (await uploaded.json()).dataset.id,
			current_dataset_name: `predictions/${model}`,
			columns: numeric
		}
	});
	expect(created.status(), await created.text()).toBe(201);

	await page.goto(`/models/${model}/monitors`);
	const monitor = page.locator('[data-monitor="log-drift"]');
	await monitor.getByRole('button', { name: 'Evaluate now' }).click();
	const row = monitor.getByTestId('evaluations').locator('tr[data-evaluation]');
	await expect(row).toHaveCount(1);
	await row.getByRole('button', { name: 'Open in notebook' }).click();
	await page.waitForURL(/\/notebooks\//);
	expect(await settled(page, 120_000)).toMatchObject({ reference: 'done', current_data: 'done', current: 'done', drift: 'done' });
	const drift = page.locator('[data-cell="drift"]');
	await expect(drift.locator('tr[data-column="monthly_charges"]')).toHaveAttribute('data-drifted', 'true');
	await expect(drift.locator('tr[data-column="tenure_months"]')).toHaveAttribute('data-drifted', 'true');
	await page.screenshot({ path: test.info().outputPath('prediction-log-notebook.png'), fullPage: false });
});

/**
 * The wide table of the cancel test: 20 columns of 20,000 rows, each tested by the energy distance
 * and Cramér–von Mises — several seconds of evaluation (0.3 s a column and method on a quiet
 * 2-core machine), ten times what the page needs to show its progress and take the click.
 */
const ROWS = 20_000;
const COLUMNS = 20;

/** CSV of `n` rows of `columns` standard normal columns (shifted by `shift`): a wide table whose drift report takes a while. */
function wideCsv(seed: number, n: number, columns: number, shift: number): string {
	const random = mulberry32(seed);
	const names = Array.from({ length: columns }, (_, j) => `f${j}`);
	const lines = [names.join(',')];
	for (let i = 0; i < n; i++)
		lines.push(names.map(() => (Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()) + shift).toFixed(4)).join(','));
	return lines.join('\n') + '\n';
}

test('a monitor is edited with the form: a bad value is refused naming the field, a good one saved and shown', async ({ page, request }) => {
	const model = `e2e_edited_${Date.now()}`;
	const upload = (name: string, text: string) => uploadCsv(request, name, text);
	const now = Date.now();
	const reference = await upload(`${model}_train`, csv(1, 400, now - 30 * 24 * HOUR, 0, 0.2));
	const current = await upload(`${model}_predictions`, csv(2, 400, now, 1, 0.5));
	expect((await request.post('/api/2.0/mlflow/registered-models/create', { data: { name: model } })).status()).toBe(200);
	const created = await request.post('/api/monitors', {
		data: { name: 'editable', model_name: model, reference_dataset_id: reference, current_dataset_id: current }
	});
	expect(created.status()).toBe(201);

	await page.goto(`/models/${model}/monitors`);
	const monitor = page.locator('[data-monitor="editable"]');
	await expect(monitor).toContainText('alert at 0.5 of columns drifted');
	await monitor.getByRole('button', { name: 'Edit' }).click();
	const form = monitor.getByTestId('monitor-form');
	await form.locator('input[name="alert_share"]').fill('3');
	await form.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('alert')).toContainText('alert_share');
	await form.locator('input[name="alert_share"]').fill('0.25');
	await form.locator('input[name="name"]').fill('edited');
	await form.locator('input[name="schedule_seconds"]').fill('3600');
	await form.getByRole('button', { name: 'Save' }).click();
	const edited = page.locator('[data-monitor="edited"]');
	await expect(edited).toContainText('alert at 0.25 of columns drifted');
	await expect(edited).toContainText('every 3600 s');
	await expect(edited.getByTestId('monitor-form')).toHaveCount(0);
	const [saved] = (await (await request.get(`/api/monitors?model=${model}`)).json()).monitors;
	expect(saved).toMatchObject({ name: 'edited', alert_share: 0.25, schedule_seconds: 3600 });

	// The kind changes in the same form: a multivariate monitor's chart has its own title.
	await edited.getByRole('button', { name: 'Edit' }).click();
	await edited.getByTestId('monitor-form').locator('select[name="kind"]').selectOption('multivariate');
	await edited.getByTestId('monitor-form').locator('input[name="columns"]').fill('x');
	await edited.getByTestId('monitor-form').getByRole('button', { name: 'Save' }).click();
	await expect(edited).toHaveAttribute('data-kind', 'multivariate');
	await page.screenshot({ path: test.info().outputPath('monitor-edited.png'), fullPage: true });
});

test("a monitor's current dataset is changed with the form: a bad id is refused naming the field, another version or the prediction log saved", async ({
	page,
	request
}) => {
	const model = `e2e_current_${Date.now()}`;
	const upload = (name: string, text: string) => uploadCsv(request, name, text);
	const now = Date.now();
	const reference = await upload(`${model}_train`, csv(1, 400, now - 30 * 24 * HOUR, 0, 0.2));
	const shifted = await upload(`${model}_shifted`, csv(2, 400, now, 1, 0.5));
	const steady = await upload(`${model}_steady`, csv(3, 400, now, 0, 0.2));
	expect((await request.post('/api/2.0/mlflow/registered-models/create', { data: { name: model } })).status()).toBe(200);
	const created = await request.post('/api/monitors', {
		data: { name: 'watched', model_name: model, reference_dataset_id: reference, current_dataset_id: shifted }
	});
	expect(created.status()).toBe(201);

	await page.goto(`/models/${model}/monitors`);
	const monitor = page.locator('[data-monitor="watched"]');
	await expect(monitor).toContainText(`current: dataset ${shifted}`);
	await monitor.getByRole('button', { name: 'Edit' }).click();
	const form = monitor.getByTestId('monitor-form');
	await expect(form.locator('input[name="current_dataset_id"]')).toHaveValue(shifted);
	await form.locator('input[name="current_dataset_id"]').fill('last-week');
	await form.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('alert')).toContainText('current_dataset_id');
	await form.locator('input[name="current_dataset_id"]').fill(steady);
	await form.getByRole('button', { name: 'Save' }).click();
	await expect(monitor).toContainText(`current: dataset ${steady}`);
	await expect(monitor.getByTestId('monitor-form')).toHaveCount(0);
	// The evaluation reads the new current dataset: the steady rows do not drift.
	await monitor.getByRole('button', { name: 'Evaluate now' }).click();
	const row = monitor.getByTestId('evaluations').locator('tr[data-evaluation]');
	await expect(row).toHaveCount(1);
	await expect(row).not.toContainText('alert');

	// The prediction log by name, the canary's rows only.
	await monitor.getByRole('button', { name: 'Edit' }).click();
	await form.locator('input[name="current_from_log"]').check();
	await expect(form.locator('input[name="current_dataset_name"]')).toHaveValue(`predictions/${model}`);
	await form.locator('input[name="current_routes"]').fill('canary');
	await form.getByRole('button', { name: 'Save' }).click();
	await expect(monitor).toContainText(`current: predictions/${model} (canary rows)`);
	const [saved] = (await (await request.get(`/api/monitors?model=${model}`)).json()).monitors;
	expect(saved).toMatchObject({ current_dataset_id: null, current_dataset_name: `predictions/${model}`, current_routes: ['canary'] });
	await page.screenshot({ path: test.info().outputPath('monitor-current-edited.png'), fullPage: true });
});

test('a multiclass performance monitor shows its class mapping, keeps it through the form and is evaluated', async ({ page, request }) => {
	const model = `e2e_multiclass_${Date.now()}`;
	const classes = ['cat', 'dog', 'emu'];
	const scoredCsv = (seed: number, n: number) => {
		const random = mulberry32(seed);
		const lines = ['p_cat,p_dog,p_emu,pred,label'];
		for (let i = 0; i < n; i++) {
			const z = classes.map(() => 3 * random());
			const total = z.reduce((a, b) => a + Math.exp(b), 0);
			const p = z.map((v) => Math.exp(v) / total);
			const pred = p.indexOf(Math.max(...p));
			lines.push(`${p.map((x) => x.toFixed(6)).join(',')},${classes[pred]},${random() < 0.8 ? classes[pred] : classes[(pred + 1) % 3]}`);
		}
		return lines.join('\n') + '\n';
	};
	const upload = (name: string, text: string) => uploadCsv(request, name, text);
	const reference = await upload(`${model}_reference`, scoredCsv(1, 400));
	const current = await upload(`${model}_current`, scoredCsv(2, 100));
	expect((await request.post('/api/2.0/mlflow/registered-models/create', { data: { name: model } })).status()).toBe(200);
	const performance = { probability: { dog: 'p_dog', cat: 'p_cat', emu: 'p_emu' }, prediction: 'pred', target: 'label', metric: 'f1' };
	const created = await request.post('/api/monitors', {
		data: { name: 'classes', kind: 'performance', model_name: model, reference_dataset_id: reference, current_dataset_id: current, performance }
	});
	expect(created.status()).toBe(201);

	await page.goto(`/models/${model}/monitors`);
	const monitor = page.locator('[data-monitor="classes"]');
	await expect(monitor).toContainText('estimated f1 (CBPE) of multiclass (3 classes): cat=p_cat, dog=p_dog, emu=p_emu, predicted pred');
	await monitor.getByRole('button', { name: 'Evaluate now' }).click();
	await expect(monitor.getByTestId('evaluations').locator('tr[data-evaluation]')).toHaveCount(1);

	await monitor.getByRole('button', { name: 'Edit' }).click();
	const form = monitor.getByTestId('monitor-form');
	await expect(form.locator('input[name="probability"]')).toHaveValue('cat=p_cat, dog=p_dog, emu=p_emu');
	await form.locator('input[name="probability"]').fill('cat=p_cat');
	await form.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('alert')).toContainText('performance.probability');
	await form.locator('input[name="probability"]').fill('cat=p_cat, dog=p_dog, emu=p_emu');
	await form.locator('select[name="metric"]').selectOption('accuracy');
	await form.getByRole('button', { name: 'Save' }).click();
	await expect(monitor).toContainText('estimated accuracy (CBPE) of multiclass (3 classes)');
	const [saved] = (await (await request.get(`/api/monitors?model=${model}`)).json()).monitors;
	expect(saved.performance).toEqual({ ...performance, metric: 'accuracy' });
});

test('a long evaluation shows its progress and is cancelled with the button, leaving nothing saved', async ({ page, request }) => {
	const model = `e2e_cancelled_${Date.now()}`;
	const upload = (name: string, text: string) => uploadCsv(request, name, text);
	const reference = await upload(`${model}_train`, wideCsv(1, ROWS, COLUMNS, 0));
	const current = await upload(`${model}_current`, wideCsv(2, ROWS, COLUMNS, 0.5));
	expect((await request.post('/api/2.0/mlflow/registered-models/create', { data: { name: model } })).status()).toBe(200);
	const created = await request.post('/api/monitors', {
		data: { name: 'wide', model_name: model, reference_dataset_id: reference, current_dataset_id: current, methods: ['energy', 'cramer_von_mises'] }
	});
	expect(created.status()).toBe(201);
	const monitorId = (await created.json()).monitor.id as string;

	await page.goto(`/models/${model}/monitors`);
	const monitor = page.locator('[data-monitor="wide"]');
	await monitor.getByRole('button', { name: 'Evaluate now' }).click();
	await expect(monitor.getByTestId('evaluation-progress')).toBeVisible();
	await monitor.getByRole('button', { name: 'Cancel evaluation' }).click();
	await expect(page.getByTestId('notice')).toHaveText('the evaluation of monitor wide was cancelled; nothing was saved');
	await expect(monitor.getByTestId('evaluation-progress')).toHaveCount(0);
	await expect(monitor).toContainText('Not evaluated yet.');
	await page.screenshot({ path: test.info().outputPath('monitor-cancelled.png'), fullPage: true });
	expect((await (await request.get(`/api/monitors/${monitorId}/evaluations`)).json()).evaluations).toEqual([]);
	expect((await (await request.get(`/api/monitors/${monitorId}/progress`)).json()).progress).toBeNull();
	// The run's experiment is made in the evaluation's saving transaction: a cancelled one leaves none.
	const experiment = await request.get(`/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(`monitors/${model}`)}`);
	expect(experiment.status()).toBe(404);
});
