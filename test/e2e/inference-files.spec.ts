/**
 * Models loaded from files on this computer: a model cell that names a dropped file
 * (`file:<name>#sha256=…`) asks for it in a browser that does not have it, takes it through the
 * cell's file picker (the drop region's input), keeps it in IndexedDB so a reload runs offline,
 * and gives the same predictions as the same model loaded by URL. A TF.js model.json comes with
 * its weight file in one multi-file drop. Wrong and bad files get errors naming the file.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { churnRowsCell, markdownOnlyNotebook, settled } from './helpers';
import { encodeShareFragment } from '#lib/notebook/share.ts';

const MLP = 'static/models/churn_mlp.onnx';
const TFJS_JSON = 'static/models/churn_mlp_tfjs/model.json';
const TFJS_WEIGHTS = 'static/models/churn_mlp_tfjs/churn_mlp.weights.bin';
const sha256 = (...files: string[]) => {
	const hash = createHash('sha256');
	for (const file of files) hash.update(readFileSync(file));
	return hash.digest('hex');
};
const COLUMNS =
	'tenure_months, monthly_charges, sessions_per_week, avg_session_minutes, support_tickets, days_since_last_login, plan=standard, plan=premium, autopay, channel=ios, channel=android';
const STANDARDIZE =
	'tenure_months mean=21.352287 sd=17.334204, monthly_charges mean=51.933907 sd=23.549633, sessions_per_week mean=4.999135 sd=3.388549, avg_session_minutes mean=14.275937 sd=6.461741, support_tickets mean=0.739492 sd=0.870136, days_since_last_login mean=4.545812 sd=5.011873';
const modelCell = (name: string, model: string) => `\`\`\`model name=${name}
model: ${model}
input: events
id: id
columns: ${COLUMNS}
standardize: ${STANDARDIZE}
\`\`\`
`;
const NOTEBOOK = `---
title: Dropped models
---

${churnRowsCell('events', 3000)}

${modelCell('by_url', '/models/churn_mlp.onnx')}
${modelCell('by_file', `file:churn_mlp.onnx#sha256=${sha256(MLP)}`)}
${modelCell('tfjs_by_file', `file:model.json#sha256=${sha256(TFJS_JSON, TFJS_WEIGHTS)}`)}
`;

const cell = (page: Page, name: string) => page.locator(`[data-cell="${name}"]`);
const picker = (page: Page, name: string) => cell(page, name).getByTestId('model-file-input');

/** Largest difference between a file-loaded cell's predictions and the URL-loaded model's, and the row counts. */
async function compared(page: Page, name: string) {
	const [row] = await page.evaluate(
		(table) =>
			window.driftbook!.query(
				`SELECT count(*)::INTEGER AS n, (SELECT count(*) FROM by_url)::INTEGER AS reference,
				        max(abs(f.churn_probability - u.churn_probability))::DOUBLE AS worst
				 FROM ${table} f JOIN by_url u USING (id)`
			),
		name
	);
	return row as { n: number; reference: number; worst: number };
}

test('a dropped model runs like the same model by URL, survives a reload, and bad files are named', async ({ page }) => {
	await page.goto(`/view#${await encodeShareFragment(NOTEBOOK)}`);
	let statuses = await settled(page);
	expect(statuses.by_url).toBe('done');
	// This browser has never seen the files: the cells ask for them.
	for (const name of ['by_file', 'tfjs_by_file']) {
		expect(statuses[name]).toBe('error');
		await expect(cell(page, name).getByTestId('cell-error')).toContainText('is not stored in this browser: drop the file again on this cell');
	}

	// Bad input first: a CSV, then the wrong model, each named; the cell is left as it was.
	await picker(page, 'by_file').setInputFiles('static/samples/churn_events.csv');
	await expect(cell(page, 'by_file').getByTestId('model-drop-error')).toContainText('churn_events.csv: not a model file');
	await picker(page, 'by_file').setInputFiles('static/models/churn_gbt.onnx');
	await expect(cell(page, 'by_file').getByTestId('model-drop-error')).toContainText('churn_gbt.onnx is not the file this notebook names (churn_mlp.onnx');
	await picker(page, 'tfjs_by_file').setInputFiles(TFJS_JSON);
	await expect(cell(page, 'tfjs_by_file').getByTestId('model-drop-error')).toContainText(
		'model.json: its weight file churn_mlp.weights.bin must be dropped with it'
	);

	// The right files: the ONNX model alone, the TF.js model with its weights in one drop.
	await picker(page, 'by_file').setInputFiles(MLP);
	await picker(page, 'tfjs_by_file').setInputFiles([TFJS_JSON, TFJS_WEIGHTS]);
	await expect(cell(page, 'by_file')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
	await expect(cell(page, 'tfjs_by_file')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
	await expect(cell(page, 'by_file').getByTestId('model-origin')).toContainText(`dropped file, sha256 ${sha256(MLP)}`);
	await expect(cell(page, 'tfjs_by_file').getByTestId('model-facts')).toHaveAttribute('data-format', 'tfjs');
	await expect(cell(page, 'by_file').getByTestId('model-drop-error')).toHaveCount(0);
	// Same ONNX bytes, same runtime: identical outputs. TF.js computes the same network its own way.
	expect(await compared(page, 'by_file')).toEqual({ n: 3000, reference: 3000, worst: 0 });
	const tfjs = await compared(page, 'tfjs_by_file');
	expect(tfjs.n).toBe(3000);
	expect(tfjs.worst).toBeLessThan(1e-5);

	// A reload finds the files in this browser: no drop needed.
	await page.reload();
	statuses = await settled(page);
	expect(statuses).toMatchObject({ by_url: 'done', by_file: 'done', tfjs_by_file: 'done' });
	expect((await compared(page, 'by_file')).worst).toBe(0);
});

test('dropping a model on an editable cell points its text at the file and runs it', async ({ page, request }) => {
	const GBT = 'static/models/churn_gbt.onnx';
	const text = NOTEBOOK.replace(/```model name=by_file[\s\S]*$/, '')
		.replace('FROM range(3000)', 'FROM range(200)')
		.replace('standardize: ' + STANDARDIZE + '\n', '')
		.replace('/models/churn_mlp.onnx', '/models/churn_gbt.onnx');
	// Imported from another notebook's page: a new, editable notebook.
	await page.goto(await markdownOnlyNotebook(request, 'Import from here'));
	await expect(page.getByTestId('notebook-title')).toHaveText('Import from here');
	await page.getByTestId('import-file').setInputFiles({ name: 'dropped.driftbook.md', mimeType: 'text/markdown', buffer: Buffer.from(text) });
	await expect(page.getByTestId('notebook-title')).toHaveText('Dropped models');
	expect((await settled(page)).by_url).toBe('done');
	const before = await page.evaluate(() => window.driftbook!.query('SELECT id, probabilities_1 FROM by_url ORDER BY id'));
	const runs = (await page.evaluate(() => window.driftbook!.status('by_url')))!.runs;

	await cell(page, 'by_url').getByTestId('model-file-input').setInputFiles(GBT);
	await expect.poll(async () => (await page.evaluate(() => window.driftbook!.status('by_url')))?.runs).toBeGreaterThan(runs);
	expect((await settled(page)).by_url).toBe('done');
	await expect(cell(page, 'by_url').getByTestId('model-origin')).toContainText(`dropped file, sha256 ${sha256(GBT)}`);
	expect(await page.evaluate(() => window.driftbook!.query('SELECT id, probabilities_1 FROM by_url ORDER BY id'))).toEqual(before);
	// The notebook's text names the file by content; the bytes stayed in this browser.
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Export' }).click();
	const exported = readFileSync(await (await downloading).path(), 'utf8');
	expect(exported).toContain(`model: file:churn_gbt.onnx#sha256=${sha256(GBT)}\ninput: events`);
	expect(exported).not.toContain('/models/churn_gbt.onnx');
});
