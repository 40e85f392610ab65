/**
 * Client-side inference end to end: every bundled churn model runs in the page on the
 * project's backend (WebGPU under `webgpu`, WASM under `wasm`), its predictions are written to
 * DuckDB, queried back through window.driftbook and compared with onnxruntime-node on the same
 * rows (inputs built here from the CSV, independently of the app's pre-processing); a long run
 * is cancelled; bad models and bad mappings get errors naming the field.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { churnRowsCell, settled } from './helpers';
import { encodeShareFragment } from '#lib/notebook/share.ts';

const SLUG = 'churn-models-in-the-browser';
const MODEL_CELLS = ['gbt_scores', 'mlp_scores', 'mlp_tfjs_scores', 'lr_scores'];
const NUMERIC = ['tenure_months', 'monthly_charges', 'sessions_per_week', 'avg_session_minutes', 'support_tickets', 'days_since_last_login'];
const mlpMeta = JSON.parse(readFileSync('static/models/churn_mlp.json', 'utf8')) as { standardize: Record<string, { mean: number; sd: number }> };

type Row = Record<string, unknown>;

/** The 11 features of a raw churn row, optionally standardized, written out here rather than imported. */
function features(row: Row, standardize: boolean): number[] {
	const numbers = NUMERIC.map((c) => {
		const v = Number(row[c]);
		return standardize ? (v - mlpMeta.standardize[c].mean) / mlpMeta.standardize[c].sd : v;
	});
	const flag = (b: boolean) => (b ? 1 : 0);
	return [
		...numbers,
		flag(row.plan === 'standard'),
		flag(row.plan === 'premium'),
		flag(row.autopay === true),
		flag(row.channel === 'ios'),
		flag(row.channel === 'android')
	];
}

async function native(file: string, rows: number[][]) {
	const session = await ort.InferenceSession.create(`static/models/${file}`, { intraOpNumThreads: 1 });
	try {
		return await session.run({ features: new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, rows[0].length]) });
	} finally {
		await session.release();
	}
}

function worst(actual: number[], expected: ArrayLike<number>): number {
	return Math.max(...actual.map((v, i) => Math.abs(v - Number(expected[i]))));
}

async function openShared(page: Page, text: string) {
	await page.goto(`/view#${await encodeShareFragment(text)}`);
}

/** The bundled notebook's own cells, on every 40th event so a run fits the test budget. */
function bundledOnSample(): string {
	const text = readFileSync(`notebooks/${SLUG}.driftbook.md`, 'utf8');
	const dataCell = '```data name=churn_events\nurl: /samples/churn_events.csv\n```\n';
	expect(text).toContain(dataCell);
	return (
		text
			.replace(dataCell, `${dataCell}\n\`\`\`sql name=sample\nSELECT * FROM churn_events WHERE event_id % 40 = 3\n\`\`\`\n`)
			.replaceAll('input: churn_events', 'input: sample')
			// The review notebook's logistic regression (it standardizes inside), so every bundled churn model runs here.
			.concat(
				'\n```model name=lr_scores\nmodel: /models/churn_lr.onnx\ninput: sample\nid: event_id\n',
				'columns: tenure_months, monthly_charges, sessions_per_week, avg_session_minutes, support_tickets, days_since_last_login, plan=standard, plan=premium, autopay, channel=ios, channel=android\n```\n'
			)
	);
}

test('each bundled churn model matches onnxruntime-node on this backend, from DuckDB @backend', async ({ page }, testInfo) => {
	await openShared(page, bundledOnSample());
	const statuses = await settled(page);
	for (const name of MODEL_CELLS) expect(statuses[name], `${name}: ${(await page.evaluate((n) => window.driftbook!.status(n), name))?.error}`).toBe('done');
	expect(statuses.weekly_models_chart).toBe('done');

	const backend = testInfo.project.name === 'webgpu' ? 'webgpu' : 'wasm';
	for (const name of ['gbt_scores', 'mlp_scores', 'lr_scores']) {
		const cell = page.locator(`[data-cell="${name}"]`);
		await expect(cell.getByTestId('model-backend')).toHaveAttribute('data-backend', backend);
		if (backend === 'wasm') await expect(cell.getByTestId('model-fallback')).toContainText('WebGPU');
		await expect(cell.getByTestId('model-facts')).toHaveAttribute('data-opset', '17');
		// Parity: WASM always runs; WebGPU runs exactly when the project enables it.
		const parity = cell.getByTestId('parity');
		await expect(parity.locator('tr[data-backend="wasm"]')).toHaveAttribute('data-available', 'true');
		await expect(parity.locator('tr[data-backend="webgpu"]')).toHaveAttribute('data-available', String(backend === 'webgpu'));
	}
	// TF.js does not use a software WebGPU adapter (SwiftShader here: minutes of shader compiles), says so, and runs on its WASM backend.
	const tfjs = page.locator('[data-cell="mlp_tfjs_scores"]');
	await expect(tfjs.getByTestId('model-backend')).toHaveAttribute('data-backend', 'wasm');
	await expect(tfjs.getByTestId('model-backend')).toContainText('TensorFlow.js WASM');
	for (const other of ['wasm', 'cpu']) await expect(tfjs.locator(`[data-testid=parity] tr[data-backend="${other}"]`)).toHaveAttribute('data-available', 'true');
	await expect(tfjs.getByTestId('model-fallback')).toContainText(backend === 'webgpu' ? 'software fallback' : 'WebGPU');
	const tfjsGpu = tfjs.locator('[data-testid=parity] tr[data-backend="webgpu"]');
	await expect(tfjsGpu).toHaveAttribute('data-available', 'false');
	await expect(tfjsGpu).toContainText(backend === 'webgpu' ? 'software fallback' : 'no GPU adapter');
	// The tensor preview shows the one-hot and standardized columns the cell defines.
	await expect(page.locator('[data-cell="mlp_scores"] [data-testid=tensor-preview] th').nth(7)).toHaveText('plan=standard');

	// Predictions, written to DuckDB by event_id, queried back with SQL.
	const rows = await page.evaluate(() =>
		window.driftbook!.query(
			`SELECT e.*, g.label AS gbt_label, g.probabilities_0, g.probabilities_1, m.churn_probability AS mlp, t.churn_probability AS tfjs, lr
			 FROM churn_events e JOIN gbt_scores g USING (event_id) JOIN mlp_scores m USING (event_id) JOIN mlp_tfjs_scores t USING (event_id) JOIN (SELECT event_id, churn_probability AS lr FROM lr_scores) USING (event_id)
			 ORDER BY e.event_id`
		)
	);
	expect(rows.length).toBe(5_000);
	const counts = await page.evaluate(() =>
		window.driftbook!.query(
			'SELECT (SELECT count(*) FROM gbt_scores)::INTEGER AS g, (SELECT count(*) FROM mlp_scores)::INTEGER AS m, (SELECT count(DISTINCT event_id) FROM mlp_scores)::INTEGER AS ids'
		)
	);
	expect(counts[0]).toEqual({ g: 5_000, m: 5_000, ids: 5_000 });

	const raw = rows.map((r) => features(r, false));
	const standardized = rows.map((r) => features(r, true));
	const trees = await native('churn_gbt.onnx', raw);
	const probabilities = trees.probabilities.data as Float32Array;
	expect(
		worst(
			rows.map((r) => Number(r.probabilities_1)),
			probabilities.filter((_, i) => i % 2 === 1)
		)
	).toBeLessThan(1e-5);
	expect(
		worst(
			rows.map((r) => Number(r.probabilities_0)),
			probabilities.filter((_, i) => i % 2 === 0)
		)
	).toBeLessThan(1e-5);
	expect(rows.map((r) => Number(r.gbt_label))).toEqual(Array.from(trees.label.data as BigInt64Array, Number));

	const lr = (await native('churn_lr.onnx', raw)).churn_probability.data as Float32Array;
	expect(
		worst(
			rows.map((r) => Number(r.lr)),
			lr
		)
	).toBeLessThan(1e-5);

	const mlp = (await native('churn_mlp.onnx', standardized)).churn_probability.data as Float32Array;
	expect(
		worst(
			rows.map((r) => Number(r.mlp)),
			mlp
		)
	).toBeLessThan(1e-5);
	expect(
		worst(
			rows.map((r) => Number(r.tfjs)),
			mlp
		)
	).toBeLessThan(1e-5);

	// Variants: smaller files, almost the same decisions, accuracy against the label.
	const variants = page.locator('[data-cell="mlp_scores"] [data-testid=variants]');
	const int8 = variants.locator('tr[data-variant="churn_mlp_int8.onnx"]');
	const fp16 = variants.locator('tr[data-variant="churn_mlp_fp16.onnx"]');
	const tfjsVariant = variants.locator('tr[data-variant="model.json"]');
	for (const variant of [int8, fp16, tfjsVariant]) expect(Number(await variant.getAttribute('data-agreement'))).toBeGreaterThan(0.99);
	expect(Number(await tfjsVariant.getAttribute('data-agreement'))).toBe(1);
	expect(Number(await int8.getAttribute('data-size'))).toBeLessThan(Number(await fp16.getAttribute('data-size')));
	const accuracy = Number(await variants.locator('tr[data-variant="churn_mlp.onnx"]').getAttribute('data-accuracy'));
	const labelled = await page.evaluate(() =>
		window.driftbook!.query('SELECT avg(((m.churn_probability > 0.5)::INTEGER = e.churned)::DOUBLE) AS a FROM sample e JOIN mlp_scores m USING (event_id)')
	);
	expect(Math.abs(accuracy - Number(labelled[0].a))).toBeLessThan(1e-9);
});

test('a long model run shows progress and stops on Cancel, writing nothing', async ({ page }) => {
	const columns =
		'tenure_months, monthly_charges, sessions_per_week, avg_session_minutes, support_tickets, days_since_last_login, plan=standard, plan=premium, autopay, channel=ios, channel=android';
	await openShared(
		page,
		`---
title: Long run
---

${churnRowsCell('many', 2_000_000)}

\`\`\`model name=long_scores
model: /models/churn_gbt.onnx
input: many
id: id
columns: ${columns}
\`\`\`
`
	);
	const cell = page.locator('[data-cell="long_scores"]');
	await expect(cell).toHaveAttribute('data-status', 'running', { timeout: 120_000 });
	const bar = cell.locator('header progress');
	await expect.poll(async () => Number(await bar.getAttribute('value')), { timeout: 60_000 }).toBeGreaterThan(0);
	expect(Number(await bar.getAttribute('max'))).toBe(2_000_000);
	await cell.getByRole('button', { name: 'Cancel' }).click();
	await expect(cell).toHaveAttribute('data-status', 'error');
	await expect(cell.getByTestId('cell-error')).toContainText('cancelled');
	const tables = await page.evaluate(() => window.driftbook!.query("SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'long_scores'"));
	expect(tables[0].n).toBe(0);
});

test('bad models and bad mappings get errors naming the model, field and column', async ({ page }) => {
	const cell = (name: string, model: string, columns: string, input = 'churn_events') => `\`\`\`model name=${name}
model: ${model}
input: ${input}
id: event_id
columns: ${columns}
\`\`\`
`;
	await openShared(
		page,
		`---
title: Bad models
---

${churnRowsCell('churn_events', 10)}

${cell('csv_as_model', '/samples/churn_events.csv', 'tenure_months')}
${cell('wrong_width', '/models/digits_mlp.onnx', 'tenure_months, monthly_charges')}
${cell('missing_column', '/models/churn_gbt.onnx', 'tenure_months, monthly_charges, sessions_per_week, avg_session_minutes, support_tickets, days_since_last_login, plan=standard, plan=premium, autopay, channel=ios, loyalty_points')}
${cell('text_as_number', '/models/churn_gbt.onnx', 'tenure_months, monthly_charges, sessions_per_week, avg_session_minutes, support_tickets, days_since_last_login, plan, plan=premium, autopay, channel=ios, channel=android')}
${cell('missing_file', '/models/no_such_model.onnx', 'tenure_months')}
`
	);
	await settled(page);
	const error = (name: string) => page.locator(`[data-cell="${name}"] [data-testid=cell-error]`);
	await expect(error('csv_as_model')).toContainText('cell csv_as_model, field "model": model churn_events.csv: not an ONNX model');
	await expect(error('wrong_width')).toContainText('field "columns": model digits_mlp.onnx input pixels takes 64 features');
	await expect(error('wrong_width')).toContainText('the cell lists 2');
	await expect(error('missing_column')).toContainText('cell missing_column, field "columns": column "loyalty_points" is not in the input table churn_events');
	await expect(error('text_as_number')).toContainText('column "plan" is Utf8, not a number: use column=value');
	await expect(error('missing_file')).toContainText('model no_such_model.onnx: no model file at ');
	expect(await page.evaluate(() => window.driftbook!.status('churn_events')?.status)).toBe('done');
});
