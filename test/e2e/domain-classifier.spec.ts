/**
 * The multivariate cell with `method: domain_classifier` on small tables made by DuckDB: the AUROC
 * of every chunk and the feature shares it shows are the library's own run here, in Node, on the
 * same rows read back from the page; the chart has its title, axes and constant thresholds and no
 * band; a long run shows progress and stops on Cancel.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { settled } from './helpers';
import { encodeShareFragment } from '#lib/notebook/share.ts';
import { domainClassifierDrift, type FeatureTable } from '#lib/stats/multivariate/index.ts';

const FEATURES = ['a', 'b', 'colour'];

/** A table of `rows` rows; `shift` moves a and flips b's relation to a (drift that no marginal of b shows). */
const tableCell = (name: string, rows: number, seed: number, shift: number) => `\`\`\`sql name=${name}
SELECT (hash(range + ${seed}) % 1000) / 1000.0 + ${shift} AS a,
       ${shift > 0 ? '-' : ''}((hash(range + ${seed}) % 1000) / 1000.0) + (hash(range + ${seed + 7}) % 300) / 1000.0 AS b,
       CASE hash(range + ${seed + 13}) % 3 WHEN 0 THEN 'red' WHEN 1 THEN 'green' ELSE 'blue' END AS colour
FROM range(${rows})
\`\`\``;

const notebook = (referenceRows: number, analysisRows: number, chunk: string) => `---
title: Domain classifier
---

${tableCell('ref', referenceRows, 0, 0)}

${tableCell('ana', analysisRows, 5000, 0.3)}

\`\`\`multivariate name=mv
reference: ref
analysis: ana
features: ${FEATURES.join(', ')}
method: domain_classifier
chunk: ${chunk}
\`\`\`
`;

async function open(page: Page, text: string) {
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.goto(`/view#${await encodeShareFragment(text)}`);
}

/** A table's features as the cell reads them (no time column: the table's own order). */
async function features(page: Page, table: string): Promise<FeatureTable> {
	const rows = await page.evaluate((sql) => window.driftbook!.query(sql), `SELECT a::DOUBLE AS a, b::DOUBLE AS b, colour FROM ${table}`);
	return {
		a: Float64Array.from(rows, (r) => r.a as number),
		b: Float64Array.from(rows, (r) => r.b as number),
		colour: rows.map((r) => r.colour as string)
	};
}

test('the multivariate cell runs the domain classifier: AUROC per chunk and feature shares as the library’s', async ({ page }) => {
	await open(page, notebook(300, 200, '100 rows'));
	expect(await settled(page)).toMatchObject({ ref: 'done', ana: 'done', mv: 'done' });
	const expected = await domainClassifierDrift(await features(page, 'ref'), await features(page, 'ana'), {
		features: FEATURES,
		chunking: { chunkSize: 100 }
	});
	const cell = page.locator('[data-cell="mv"]');
	await expect(cell.getByTestId('multivariate-summary')).toHaveAttribute('data-method', 'domain_classifier');
	const rows = cell.locator('[data-testid=chunk-series][data-metric="domain_classifier_auroc"] tr[data-chunk]');
	await expect(rows).toHaveCount(5);
	for (const [i, want] of expected.chunks.entries()) {
		await expect(rows.nth(i)).toHaveAttribute('data-chunk', want.key);
		await expect(rows.nth(i)).toHaveAttribute('data-period', want.period);
		expect(Number(await rows.nth(i).getAttribute('data-value'))).toBeCloseTo(want.value, 12);
		await expect(rows.nth(i)).toHaveAttribute('data-alert', String(want.alert));
	}
	// The analysis moved: both its chunks alert.
	expect(expected.chunks.filter((c) => c.period === 'analysis').map((c) => c.alert)).toEqual([true, true]);

	const shares = cell.locator('[data-testid=multivariate-importance] tbody tr');
	const ranked = Object.entries(expected.feature_importance).sort((x, y) => y[1] - x[1]);
	await expect(shares).toHaveCount(FEATURES.length);
	for (const [i, [feature, share]] of ranked.entries()) {
		await expect(shares.nth(i)).toHaveAttribute('data-feature', feature);
		expect(Number(await shares.nth(i).getAttribute('data-share'))).toBeCloseTo(share, 12);
	}

	const figure = cell.locator('figure');
	await expect(figure.locator('h2')).toHaveText('Domain classifier AUROC per chunk');
	await expect(figure.locator('svg [aria-label="y-axis label"]').last()).toHaveText(/Domain classifier AUROC \(0–1\)/);
	await expect(figure.locator('svg [aria-label="x-axis label"]').last()).toHaveText(/Chunk \(100 rows each\)/);
	await expect(figure.locator('svg g[aria-label="rule"]')).toHaveCount(2);
	await expect(figure.locator('svg g[aria-label="area"]')).toHaveCount(0);
	const stored = await page.evaluate(() => window.driftbook!.query(`SELECT count(*)::INTEGER AS n FROM mv WHERE metric = 'domain_classifier_auroc'`));
	expect(stored[0]).toEqual({ n: 5 });
	// For a person to look at (test-results/, kept by Playwright).
	await cell.screenshot({ path: test.info().outputPath('domain-classifier.png') });
});

test('a long domain-classifier run shows progress and stops on Cancel', async ({ page }) => {
	// 200 chunks of 5 folds of 100 trees on 20,000 rows: far longer than the test.
	await open(page, notebook(20_000, 200, '100 rows'));
	const cell = page.locator('[data-cell="mv"]');
	await expect(cell).toHaveAttribute('data-status', 'running', { timeout: 120_000 });
	const bar = cell.locator('header progress');
	await expect(bar).toBeVisible({ timeout: 60_000 });
	await expect.poll(async () => Number(await bar.getAttribute('value')), { timeout: 60_000 }).toBeGreaterThan(0);
	await cell.getByRole('button', { name: 'Cancel' }).click();
	await expect(cell).toHaveAttribute('data-status', 'error');
	await expect(cell.getByTestId('cell-error')).toContainText('was cancelled');
	expect(await page.evaluate(() => window.driftbook!.status('ref')?.status)).toBe('done');
});
