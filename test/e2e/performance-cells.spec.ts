/**
 * The sample notebook's performance and multivariate cells: they finish, their charts carry a
 * title, axes and the estimated and realized series, and every number shown is the library's own
 * run here, in Node, on the same rows read back from the page's DuckDB.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, sharedPage, test } from './fixtures';
import { chunkDrift, periodChunks } from '#lib/stats/chunks/index.ts';
import { cbpe, rankByCorrelation } from '#lib/stats/performance/index.ts';
import { featureColumn, reconstructionDrift } from '#lib/stats/multivariate/index.ts';
import { columnFromStrings, type Column } from '#lib/stats/index.ts';

const SLUG = 'churn-model-drift-review';
const FEATURES = [
	'tenure_months',
	'monthly_charges',
	'sessions_per_week',
	'avg_session_minutes',
	'support_tickets',
	'days_since_last_login',
	'plan',
	'region',
	'channel',
	'autopay'
];
const NUMERIC = new Set(FEATURES.slice(0, 6));

interface Rows {
	time: number[];
	p: number[];
	y: (number | null)[];
	features: Record<string, (number | string | null)[]>;
}

/**
 * A scored table as the cells read it: in time order, ties in the table's row order (as
 * cells/core/chunked.ts orders a table's rows), booleans as 0/1.
 */
const scored = new Map<string, Promise<Rows>>();
function readScored(page: Page, table: string): Promise<Rows> {
	// Both tests read the same tables of the one shared page: once.
	if (!scored.has(table)) scored.set(table, queryScored(page, table));
	return scored.get(table)!;
}

async function queryScored(page: Page, table: string): Promise<Rows> {
	return page.evaluate(
		async ({ table, features, numeric }) => {
			const cols = features.map((f) =>
				numeric.includes(f) ? `"${f}"::DOUBLE AS "${f}"` : f === 'autopay' ? `CAST("${f}" AS INTEGER)::DOUBLE AS "${f}"` : `"${f}"`
			);
			const p = 'churn_probability';
			const sql =
				`SELECT epoch_ms(CAST(event_time AS TIMESTAMP))::DOUBLE AS t, ${p}::DOUBLE AS p, CAST(${p} >= 0.5 AS INTEGER) AS yp, CAST(churned AS INTEGER)::DOUBLE AS y, ${cols.join(', ')} ` +
				`FROM ${table} ORDER BY t, rowid`;
			const rows = await window.driftbook!.query(sql);
			return {
				time: rows.map((r) => r.t as number),
				p: rows.map((r) => r.p as number),
				y: rows.map((r) => r.y as number | null),
				features: Object.fromEntries(features.map((f) => [f, rows.map((r) => r[f] as number | string | null)]))
			};
		},
		{ table, features: FEATURES, numeric: [...NUMERIC] }
	);
}

function columns(rows: Rows): Record<string, Column> {
	return Object.fromEntries(
		FEATURES.map((f) => {
			const values = rows.features[f];
			return [
				f,
				NUMERIC.has(f) || f === 'autopay'
					? { type: 'number', values: Float64Array.from(values, (v) => (v === null ? NaN : Number(v))) }
					: columnFromStrings(values as (string | null)[])
			];
		})
	);
}

function cbpeData(rows: Rows) {
	const yPredProba = Float64Array.from(rows.p);
	return { yPredProba, yPred: yPredProba.map((p) => (p >= 0.5 ? 1 : 0)), yTrue: Float64Array.from(rows.y, (y) => (y === null ? NaN : y)) };
}

async function expectChart(figure: Locator, title: string, yLabel: RegExp, xLabel: RegExp) {
	await expect(figure.locator('h2')).toHaveText(title);
	await expect(figure.locator('svg [aria-label="y-axis label"]').last()).toHaveText(yLabel);
	await expect(figure.locator('svg [aria-label="x-axis label"]').last()).toHaveText(xLabel);
}

const shared = sharedPage(async (page) => {
	// The whole sample runs first (200,000 events loaded and scored, then the per-chunk cells, the
	// quality cell among them, share the stats worker): on a busy machine that takes minutes.
	test.setTimeout(420_000);
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.goto(`/notebooks/${SLUG}`);
	for (const name of ['performance', 'multivariate']) {
		const cell = page.locator(`[data-cell="${name}"]`);
		await expect(cell).toHaveAttribute('data-status', /done|error/, { timeout: 400_000 });
		if ((await cell.getAttribute('data-status')) === 'error') {
			throw new Error(`cell ${name} failed: ${await cell.locator('[data-testid=cell-error]').textContent()}`);
		}
	}
});

test('the performance cell estimates weeks 9–12 before their labels and shows the realized values of weeks 9–10', async () => {
	test.setTimeout(300_000);
	const page = shared();
	const [reference, analysis] = [await readScored(page, 'scored_reference'), await readScored(page, 'scored_analysis')];
	const chunks = { reference: periodChunks(reference.time, 'week'), analysis: periodChunks(analysis.time, 'week') };
	const expected = cbpe(cbpeData(reference), cbpeData(analysis), { metrics: ['roc_auc', 'accuracy'], chunks });
	expect(chunks.reference).toHaveLength(8);
	expect(chunks.analysis).toHaveLength(4);

	const cell = page.locator('[data-cell="performance"]');
	for (const metric of ['roc_auc', 'accuracy'] as const) {
		const series = cell.locator(`[data-testid=chunk-series][data-metric="${metric}"]`);
		const rows = series.locator('tr[data-chunk]');
		await expect(rows).toHaveCount(12);
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
		// Weeks 9–10 have labels, 11–12 not yet.
		const analysed = expected.metrics[metric].filter((c) => c.period === 'analysis');
		expect(analysed.map((c) => !Number.isNaN(c.realized))).toEqual([true, true, false, false]);

		const label = metric === 'roc_auc' ? 'ROC AUC' : 'Accuracy';
		const figure = series.locator('figure');
		await expectChart(figure, `${label} per week: estimated (CBPE) and realized`, new RegExp(`${label} \\(0–1\\)`), /Time \(UTC\)/);
		// Both series in the legend, and drawn: a line each.
		await expect(figure.locator('[class*="-swatches"] >> text=estimated ' + label)).toBeVisible();
		await expect(figure.locator('[class*="-swatches"] >> text=realized ' + label)).toBeVisible();
		await expect(figure.locator('svg g[aria-label="line"]')).toHaveCount(2);
		await expect(figure.locator('svg g[aria-label="area"]')).toHaveCount(1);
	}

	// The ranking: each feature's Jensen–Shannon distance per analysis week against the reference,
	// correlated with the change in estimated accuracy.
	const drift = await chunkDrift(columns(reference), columns(analysis), chunks.analysis, FEATURES, 'jensenshannon');
	const accuracy = expected.metrics.accuracy;
	const ranked = rankByCorrelation(
		drift,
		accuracy.filter((c) => c.period === 'reference').map((c) => c.value),
		accuracy.filter((c) => c.period === 'analysis').map((c) => c.value)
	);
	const shown = cell.locator('[data-testid=performance-ranking] tbody tr');
	await expect(shown).toHaveCount(FEATURES.length);
	for (const [i, want] of ranked.entries()) {
		await expect(shown.nth(i)).toHaveAttribute('data-column', want.column);
		expect(Number(await shown.nth(i).getAttribute('data-correlation'))).toBeCloseTo(want.correlation, 12);
	}

	// For a person to look at (test-results/, kept by Playwright): the chart's reading is not asserted pixel by pixel.
	await cell.screenshot({ path: test.info().outputPath('performance.png') });
});

test('the multivariate cell shows the PCA reconstruction error per week with its thresholds', async () => {
	const page = shared();
	const [reference, analysis] = [await readScored(page, 'scored_reference'), await readScored(page, 'scored_analysis')];
	const table = (rows: Rows) => Object.fromEntries(Object.entries(columns(rows)).map(([f, c]) => [f, featureColumn(c)]));
	const expected = reconstructionDrift(table(reference), table(analysis), {
		features: FEATURES,
		chunks: { reference: periodChunks(reference.time, 'week'), analysis: periodChunks(analysis.time, 'week') }
	});
	const cell = page.locator('[data-cell="multivariate"]');
	const rows = cell.locator('tr[data-chunk]');
	await expect(rows).toHaveCount(expected.chunks.length);
	for (const [i, want] of expected.chunks.entries()) {
		await expect(rows.nth(i)).toHaveAttribute('data-chunk', want.key);
		expect(Number(await rows.nth(i).getAttribute('data-value'))).toBeCloseTo(want.value, 12);
		await expect(rows.nth(i)).toHaveAttribute('data-alert', String(want.alert));
	}
	const figure = cell.locator('figure');
	await expectChart(figure, 'PCA reconstruction error per week', /PCA reconstruction error \(mean distance, standardised units\)/, /Time \(UTC\)/);
	await expect(figure.locator('svg g[aria-label="rule"]')).not.toHaveCount(0);
	await cell.screenshot({ path: test.info().outputPath('multivariate.png') });
});
