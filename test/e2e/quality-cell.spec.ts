/**
 * The sample notebook's quality cell: it finishes, every verdict and share it shows is the library's
 * own run here, in Node, on the same rows read back from the page's DuckDB (suiteFromReference on
 * weeks 1–8, runSuite on weeks 9–12), its charts carry a title, axes and thresholds, and a suite
 * written into the cell and edited there changes the verdicts as the library says it should.
 */
import type { Page } from '@playwright/test';
import { expect, sharedPage, test } from './fixtures';
import { editAndRun } from './helpers';
import { columnFromStrings, type Column } from '#lib/stats/index.ts';
import { printSuite, runSuite, suiteFromReference, type QualitySuite, type SuiteRun } from '#lib/stats/quality/index.ts';

const SLUG = 'churn-model-drift-review';
const NUMBERS = [
	'tenure_months',
	'monthly_charges',
	'sessions_per_week',
	'avg_session_minutes',
	'support_tickets',
	'days_since_last_login',
	'autopay',
	'churned'
];
const TEXT = ['plan', 'region', 'channel'];
const COLUMNS = [
	'tenure_months',
	'monthly_charges',
	'sessions_per_week',
	'avg_session_minutes',
	'support_tickets',
	'days_since_last_login',
	'plan',
	'region',
	'channel',
	'autopay',
	'churned'
];
const FIELDS = 'reference: scored_reference\nanalysis: scored_analysis\ntime: event_time\n';

interface Rows {
	time: Float64Array;
	columns: Record<string, Column>;
}

/** A scored table as the cell reads it: in time order, ties in the table's row order, booleans as 0/1. */
async function readTable(page: Page, table: string): Promise<Rows> {
	const rows = await page.evaluate(
		async ({ table, numbers, text }) => {
			const select = [
				...numbers.map((c) => `CAST("${c}" AS DOUBLE) AS "${c}"`),
				...text.map((c) => `"${c}"`),
				'epoch_ms(CAST(event_time AS TIMESTAMP))::DOUBLE AS t'
			];
			return window.driftbook!.query(`SELECT ${select.join(', ')} FROM ${table} ORDER BY t, rowid`);
		},
		{ table, numbers: NUMBERS, text: TEXT }
	);
	const columns: Record<string, Column> = {};
	for (const c of NUMBERS) columns[c] = { type: 'number', values: Float64Array.from(rows, (r) => (r[c] === null ? NaN : Number(r[c]))) };
	for (const c of TEXT) columns[c] = columnFromStrings(rows.map((r) => r[c] as string | null));
	return { time: Float64Array.from(rows, (r) => r.t as number), columns };
}

let tables: Promise<{ reference: Rows; analysis: Rows }> | undefined;
const readTables = (page: Page) =>
	(tables ??= Promise.all([readTable(page, 'scored_reference'), readTable(page, 'scored_analysis')]).then(([reference, analysis]) => ({
		reference,
		analysis
	})));

async function settledCell(page: Page, timeout = 170_000) {
	const cell = page.locator('[data-cell="quality"]');
	await expect(cell).toHaveAttribute('data-status', /done|error/, { timeout });
	if ((await cell.getAttribute('data-status')) === 'error')
		throw new Error(`the quality cell failed: ${await cell.locator('[data-testid=cell-error]').textContent()}`);
	return cell;
}

/** The cell shows, check by check, the verdicts and shares of `suite` run on both tables by the library. */
async function expectShows(page: Page, suite: QualitySuite, reference: SuiteRun, analysis: SuiteRun) {
	const cell = page.locator('[data-cell="quality"]');
	const rows = cell.locator('[data-testid=quality-checks] tbody tr');
	await expect(rows).toHaveCount(suite.checks.length);
	// One read of the whole table: a locator assertion per field costs minutes on a busy machine.
	const shown = await rows.evaluateAll((trs) =>
		trs.map((tr) => ({
			check: tr.getAttribute('data-check'),
			column: tr.getAttribute('data-column'),
			passed: tr.getAttribute('data-passed'),
			referencePassed: tr.getAttribute('data-reference-passed'),
			message: tr.querySelector('td.message')?.textContent?.trim()
		}))
	);
	expect(shown).toEqual(
		suite.checks.map((check, i) => ({
			check: check.check,
			column: check.column,
			passed: String(analysis.outcomes[i].passed),
			referencePassed: String(reference.outcomes[i].passed),
			message: analysis.outcomes[i].message
		}))
	);
	const failed = analysis.outcomes.filter((o) => !o.passed);
	await expect(cell.locator('[data-testid=quality-summary]')).toContainText(`${failed.length} of ${suite.checks.length} checks fail on scored_analysis`);
	// A chart for every failing rate check, its shares per week those of the library.
	const charted = failed.filter((o) => o.chunks);
	await expect(cell.locator('[data-testid=chunk-series]')).toHaveCount(charted.length);
	for (const outcome of charted) {
		const i = analysis.outcomes.indexOf(outcome);
		const series = cell.locator(`[data-testid=chunk-series][data-metric="${outcome.check.check}:${outcome.check.column}"]`);
		const points = await series.locator('tr[data-chunk]').evaluateAll((trs) =>
			trs.map((tr) => ({
				key: tr.getAttribute('data-chunk'),
				period: tr.getAttribute('data-period'),
				value: Number(tr.getAttribute('data-value')),
				alert: tr.getAttribute('data-alert')
			}))
		);
		const want = [...reference.outcomes[i].chunks!.map((c) => ({ ...c, period: 'reference' })), ...outcome.chunks!.map((c) => ({ ...c, period: 'analysis' }))];
		expect(points.map(({ key, period, alert }) => ({ key, period, alert }))).toEqual(
			want.map((c) => ({ key: c.key, period: c.period, alert: String(c.alert) }))
		);
		for (const [k, c] of want.entries()) expect(points[k].value).toBeCloseTo(c.value, 12);
	}
}

const shared = sharedPage(async (page) => {
	await page.setViewportSize({ width: 1280, height: 900 });
	// The whole sample runs first (200,000 events loaded and scored by the model): on a busy machine that takes minutes.
	test.setTimeout(420_000);
	await page.goto(`/notebooks/${SLUG}`);
	await settledCell(page, 400_000);
});

test('the quality cell learns its checks from weeks 1–8 and shows the library’s verdicts and weekly shares for weeks 9–12', async () => {
	test.setTimeout(300_000);
	const page = shared();
	const { reference, analysis } = await readTables(page);
	const suite = suiteFromReference(reference.columns, { columns: COLUMNS, chunking: { period: 'week' }, time: reference.time });
	const onReference = runSuite(suite, reference.columns, { time: reference.time });
	const onAnalysis = runSuite(suite, analysis.columns, { time: analysis.time });
	expect(onReference.chunks).toHaveLength(8);
	expect(onAnalysis.chunks).toHaveLength(4);
	// What the sample notebook's text says of them: prices above any of weeks 1–8 and no labels in weeks 11–12.
	const failed = onAnalysis.outcomes.filter((o) => !o.passed).map((o) => `${o.check.check}:${o.check.column}`);
	expect(failed).toEqual(expect.arrayContaining(['out_of_range_values_rate:monthly_charges', 'missing_values_rate:churned']));
	expect(onReference.passed).toBe(true);
	// And of session lengths: a single value in weeks 9–10 shorter than any of weeks 1–8, none in weeks 11–12.
	const minutes = onAnalysis.outcomes.find((o) => o.check.check === 'out_of_range_values_rate' && o.check.column === 'avg_session_minutes')!;
	expect(minutes.chunks!.map((c) => c.alert)).toEqual([expect.any(Boolean), expect.any(Boolean), false, false]);
	expect(minutes.message).toMatch(
		/^avg_session_minutes: [\d.]+% values outside the reference range \[[\d.]+, [\d.]+\] in 2026-03-(02|09)\/\S+ \(rows \[\d+:\d+\]\) \(e\.g\. [\d.]+ in row \d+\); allowed: none$/
	);

	const cell = page.locator('[data-cell="quality"]');
	await expect(cell).toHaveAttribute('data-status', 'done');
	await expectShows(page, suite, onReference, onAnalysis);
	await expect(cell.locator('[data-testid=quality-suite] pre')).toHaveText(printSuite(suite));

	const figure = cell.locator('[data-metric="missing_values_rate:churned"] figure');
	await expect(figure.locator('h2')).toHaveText('Missing values in churned per week');
	await expect(figure.locator('svg [aria-label="y-axis label"]').last()).toHaveText(/Missing values in churned \(share of the chunk's rows\)/);
	await expect(figure.locator('svg [aria-label="x-axis label"]').last()).toHaveText(/Time \(UTC\)/);
	await expect(figure.locator('svg g[aria-label="rule"]')).not.toHaveCount(0);
	await expect(figure.locator('svg g[aria-label="area"]')).toHaveCount(0);
	// The results table in DuckDB: each rate check's share per week, the failing ones as shown.
	const stored = await page.evaluate(() =>
		window.driftbook!.query(`SELECT value FROM quality WHERE metric = 'missing_values_rate:churned' ORDER BY chunk_index`)
	);
	const churned = onAnalysis.outcomes.find((o) => o.check.check === 'missing_values_rate' && o.check.column === 'churned')!;
	expect(stored.slice(8).map((r) => r.value)).toEqual(churned.chunks!.map((c) => c.value));
	// For a person to look at (test-results/, kept by Playwright).
	await cell.screenshot({ path: test.info().outputPath('quality.png') });
});

test('a suite written into the cell and edited there changes the verdicts as the library says', async () => {
	test.setTimeout(300_000);
	const page = shared();
	const { reference, analysis } = await readTables(page);
	const cell = await settledCell(page);
	const before = await page.evaluate(() => window.driftbook!.status('quality')!.runs);
	await cell.locator('[data-testid=quality-suite] summary').click();
	await cell.getByRole('button', { name: 'Write this suite into the cell to edit it' }).click();
	await expect.poll(() => page.evaluate(() => window.driftbook!.status('quality')!.runs)).toBeGreaterThan(before);
	await settledCell(page);
	await expect(cell.locator('[data-testid=quality-summary]')).toContainText('with the suite written in this cell');

	// Allow up to 1% of monthly charges out of the reference's range, and the labels of weeks 11–12 to be missing.
	const learnt = suiteFromReference(reference.columns, { columns: COLUMNS, chunking: { period: 'week' }, time: reference.time });
	const edited: QualitySuite = {
		...learnt,
		checks: learnt.checks.map((c) => {
			if (c.check === 'out_of_range_values_rate' && c.column === 'monthly_charges') return { ...c, upper: 0.01, source: 'fixed' };
			if (c.check === 'missing_values_rate' && c.column === 'churned') return { ...c, upper: 1, source: 'fixed' };
			return c;
		})
	};
	if (!(await cell.locator('.cm-content').isVisible())) await cell.getByRole('button', { name: 'Edit quality' }).click();
	await editAndRun(page, 'quality', `${FIELDS}suite: ${printSuite(edited)}`);
	await expect.poll(() => page.evaluate(() => window.driftbook!.status('quality')!.runs)).toBeGreaterThan(before + 1);
	await settledCell(page);
	const onAnalysis = runSuite(edited, analysis.columns, { time: analysis.time });
	const passing = (run: SuiteRun) => run.outcomes.filter((o) => o.passed).map((o) => `${o.check.check}:${o.check.column}`);
	expect(passing(onAnalysis)).toEqual(expect.arrayContaining(['out_of_range_values_rate:monthly_charges', 'missing_values_rate:churned']));
	await expectShows(page, edited, runSuite(edited, reference.columns, { time: reference.time }), onAnalysis);
	await expect(cell.locator('[data-check="out_of_range_values_rate"][data-column="monthly_charges"]')).toHaveAttribute('data-passed', 'true');

	// A malformed edit is the cell's error, naming the field.
	const broken = printSuite(edited).replace('"upper": 0.01', '"upper": "1%"');
	await editAndRun(page, 'quality', `${FIELDS}suite: ${broken}`);
	await expect(cell).toHaveAttribute('data-status', 'error');
	await expect(cell.locator('[data-testid=cell-error]')).toContainText(
		/field "suite": not a data-quality suite: expected a finite number or null, got "1%" at checks\[\d+\]\.upper/
	);
});
