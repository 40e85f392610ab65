/**
 * A multiclass performance cell on a small model-output fixture (test/fixtures/datasets/
 * multiclass_*.csv, stored on the server and loaded by `server:` data cells): it finishes, shows
 * the macro-averaged metrics per chunk with the shared chart and the estimated confusion matrix,
 * and every number shown is the library's own run here, in Node, on the rows read back from the
 * page's DuckDB.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { settled } from './helpers';
import { splitChunks } from '#lib/stats/chunks/index.ts';
import { cbpe, confusionCellName, type CbpeData } from '#lib/stats/performance/index.ts';

const CLASSES = ['cat', 'dog', 'fox'];
const METRICS = ['roc_auc', 'accuracy', 'f1'] as const;

/** A table as the cell reads it (no time column: the table's row order), labels as class indices. */
async function readOutputs(page: Page, table: string): Promise<CbpeData<Float64Array[]>> {
	const rows = await page.evaluate(
		(t) => window.driftbook!.query(`SELECT p_cat::DOUBLE AS a, p_dog::DOUBLE AS b, p_fox::DOUBLE AS c, predicted, label FROM "${t}" ORDER BY rowid`),
		table
	);
	const index = (label: unknown) => (label === null ? NaN : CLASSES.indexOf(label as string));
	return {
		yPredProba: ['a', 'b', 'c'].map((k) => Float64Array.from(rows, (r) => r[k] as number)),
		yPred: Float64Array.from(rows, (r) => index(r.predicted)),
		yTrue: Float64Array.from(rows, (r) => index(r.label))
	};
}

test('a multiclass performance cell estimates macro metrics per chunk and the confusion matrix, as the library does on its rows', async ({ page, request }) => {
	test.setTimeout(240_000);
	const suffix = randomUUID().slice(0, 8);
	const stored: Record<string, string> = {};
	for (const side of ['reference', 'analysis']) {
		stored[side] = `multiclass_${side}_${suffix}`;
		const upload = await request.post(`/api/datasets?name=${stored[side]}&format=csv`, { data: readFileSync(`test/fixtures/datasets/multiclass_${side}.csv`) });
		expect(upload.status(), await upload.text()).toBe(201);
	}
	const source = `---
title: Multiclass performance ${suffix}
---

\`\`\`data name=mc_reference
url: server:${stored.reference}
\`\`\`

\`\`\`data name=mc_analysis
url: server:${stored.analysis}
\`\`\`

\`\`\`performance name=estimate
reference: mc_reference
analysis: mc_analysis
probability: cat=p_cat, dog=p_dog, fox=p_fox
prediction: predicted
target: label
chunk: 150 rows
metrics: ${METRICS.join(', ')}, confusion_matrix
\`\`\`
`;
	const created = await request.post('/api/notebooks', { data: { source } });
	expect(created.status(), await created.text()).toBe(201);
	const slug = ((await created.json()) as { notebook: { slug: string } }).notebook.slug;

	await page.setViewportSize({ width: 1280, height: 900 });
	await page.goto(`/notebooks/${slug}`);
	const statuses = await settled(page);
	const cell = page.locator('[data-cell="estimate"]');
	expect(statuses.estimate, await page.evaluate(() => window.driftbook!.status('estimate')?.error ?? '')).toBe('done');

	const [reference, analysis] = [await readOutputs(page, 'mc_reference'), await readOutputs(page, 'mc_analysis')];
	const chunks = { reference: splitChunks(600, { chunkSize: 150 }), analysis: splitChunks(600, { chunkSize: 150 }) };
	const expected = cbpe(reference, analysis, { metrics: [...METRICS, 'confusion_matrix'], chunks, classNames: CLASSES });
	expect(expected.class_calibration).toEqual([true, true, true]);

	await expect(cell.getByTestId('performance-summary')).toContainText('3 classes (cat, dog, fox); metrics are macro averages over them.');
	await expect(cell.getByTestId('performance-summary')).toContainText('Probabilities of cat, dog, fox calibrated on the reference');
	for (const metric of METRICS) {
		const series = cell.locator(`[data-testid=chunk-series][data-metric="${metric}"]`);
		const rows = series.locator('tr[data-chunk]');
		await expect(rows).toHaveCount(8);
		for (const [i, want] of expected.metrics[metric].entries()) {
			const row = rows.nth(i);
			await expect(row).toHaveAttribute('data-chunk', want.key);
			await expect(row).toHaveAttribute('data-period', want.period);
			expect(Number(await row.getAttribute('data-value'))).toBeCloseTo(want.value, 12);
			await expect(row).toHaveAttribute('data-alert', String(want.alert));
			const realized = await row.getAttribute('data-realized');
			if (Number.isNaN(want.realized)) expect(realized).toBe('');
			else expect(Number(realized)).toBeCloseTo(want.realized, 12);
		}
		await expect(series.locator('figure h2')).toHaveText(/per chunk: estimated \(CBPE\) and realized/);
	}
	// The confusion matrix: no chart per cell, one matrix for a chosen chunk (the latest first).
	await expect(cell.locator('[data-testid=chunk-series][data-metric^="true_"]')).toHaveCount(0);
	const matrix = cell.getByTestId('confusion-matrix');
	await expect(matrix.locator('h3')).toHaveText('Estimated confusion matrix: analysis chunk [450:599]');
	await expect(matrix).toContainText('Expected number of rows (CBPE) of each true class (rows) predicted as each class (columns)');
	const expectMatrix = async (chunk: number, labelled: boolean) => {
		for (const truth of CLASSES) {
			for (const predicted of CLASSES) {
				const want = expected.metrics[confusionCellName(truth, predicted)][chunk];
				const shown = matrix.locator(`td[data-true="${truth}"][data-pred="${predicted}"]`);
				expect(Number(await shown.getAttribute('data-value'))).toBeCloseTo(want.value, 10);
				await expect(shown).toHaveAttribute('data-alert', String(want.alert));
				const realized = await shown.getAttribute('data-realized');
				expect(Number.isNaN(want.realized)).toBe(!labelled);
				if (labelled) expect(Number(realized)).toBe(want.realized);
				else expect(realized).toBe('');
			}
		}
	};
	await expectMatrix(7, false);
	// Some cell alerts in the latest chunk (the analysis drifts towards fox): the matrix marks it.
	expect(CLASSES.some((t) => CLASSES.some((p) => expected.metrics[confusionCellName(t, p)][7].alert))).toBe(true);
	// An analysis chunk whose labels have arrived shows the realized counts.
	await matrix.getByLabel('Chunk of the confusion matrix').selectOption({ label: 'analysis [0:149]' });
	await expect(matrix.locator('h3')).toHaveText('Estimated confusion matrix: analysis chunk [0:149]');
	await expectMatrix(4, true);

	// For a person to look at (test-results/, kept by Playwright).
	await cell.screenshot({ path: test.info().outputPath('performance-multiclass.png') });
});
