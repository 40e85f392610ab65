/**
 * The drift cell beyond the two-table report: one table split by a condition and windowed by
 * its time column (heatmap, thresholds learnt from the reference weeks), distribution overlays,
 * a sortable summary, performance by week, segments and the segment search, results written to
 * DuckDB and queried by a later cell, progress and cancel. Every number the page shows is
 * checked against the statistics library run here in Node on the sample CSV's own strings.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { settled } from './helpers';
import { encodeShareFragment } from '#lib/notebook/share.ts';
import {
	assignWindows,
	columnFromStrings,
	driftColumn,
	driftReport,
	driftThreshold,
	rocAuc,
	searchSegments,
	segmentDrift,
	windowRows,
	selectColumns,
	type Column
} from '#lib/stats/index.ts';

const SPLIT = "event_time < TIMESTAMP '2026-03-02'";
const WHERE = "event_time < TIMESTAMP '2026-03-02' OR event_time >= TIMESTAMP '2026-03-16'";
const UNITS = 'monthly_charges=USD per month, sessions_per_week=sessions per week';

const NOTEBOOK = `---
title: Drift over time
---

\`\`\`data name=events
url: /samples/churn_events.csv
\`\`\`

A stand-in model score: monotone in support_tickets, so its AUC is support_tickets' AUC.

\`\`\`sql name=scored
SELECT *, 1 / (1 + exp(-(0.8 * support_tickets - 2))) AS churn_score FROM events
\`\`\`

\`\`\`drift name=weekly_drift
table: scored
split: ${SPLIT}
where: ${WHERE}
exclude: event_id, customer_id
time: event_time
window: week
threshold: reference
method: ks, chisquare
target: churned
prediction: churn_score
units: ${UNITS}
\`\`\`

\`\`\`sql name=alerts
SELECT "column", count(*)::INTEGER AS windows
FROM weekly_drift
WHERE scope = 'window' AND period = 'current' AND drifted
GROUP BY ALL
ORDER BY "column"
\`\`\`

\`\`\`drift name=by_plan
table: scored
split: ${SPLIT}
where: ${WHERE}
exclude: event_id, customer_id, event_time, churn_score
method: ks, chisquare
segment: plan
\`\`\`

\`\`\`drift name=search
table: scored
split: ${SPLIT}
where: ${WHERE}
exclude: event_id, customer_id, event_time, churn_score
segment: auto
fdr: 0.05
\`\`\`
`;

const HEAVY = `---
title: A long drift run
---

\`\`\`data name=events
url: /samples/churn_events.csv
\`\`\`

\`\`\`drift name=daily
table: events
split: ${SPLIT}
exclude: event_id, customer_id
time: event_time
window: day
threshold: reference
segment: auto
\`\`\`
`;

/** The sample CSV read independently of the app. */
function readSample() {
	const [header, ...lines] = readFileSync('static/samples/churn_events.csv', 'utf8').trimEnd().split('\n');
	const names = header.split(',');
	const columns: Record<string, string[]> = Object.fromEntries(names.map((n) => [n, []]));
	for (const line of lines) line.split(',').forEach((v, i) => columns[names[i]].push(v));
	return { names, columns };
}

const sample = readSample();
const times = sample.columns.event_time.map((t) => Date.parse(t.replace(' ', 'T') + 'Z'));
const isReference = sample.columns.event_time.map((t) => t < '2026-03-02');
const isCurrent = sample.columns.event_time.map((t) => t >= '2026-03-16');
const rowsOf = (mask: boolean[]) => mask.flatMap((m, i) => (m ? [i] : []));
const referenceRows = rowsOf(isReference);
const currentRows = rowsOf(isCurrent);
const FEATURES = sample.names.filter((n) => !['event_id', 'customer_id', 'event_time'].includes(n));

function score(tickets: string): string {
	return String(1 / (1 + Math.exp(-(0.8 * Number(tickets) - 2))));
}

function columns(rows: number[], names: string[]): Record<string, Column> {
	const out: Record<string, Column> = {};
	for (const n of names) {
		out[n] = columnFromStrings(n === 'churn_score' ? rows.map((i) => score(sample.columns.support_tickets[i])) : rows.map((i) => sample.columns[n][i]));
	}
	return out;
}

async function openShared(page: Page, text: string, wait = true) {
	const fragment = await encodeShareFragment(text);
	await page.goto(`/view#${fragment}`);
	if (wait) await settled(page);
}

function close(actual: number, expected: number, what: string, rel = 1e-9) {
	const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
	expect(err <= rel || Math.abs(actual - expected) < 1e-300, `${what}: ${actual} vs ${expected}`).toBe(true);
}

test('one table split by time: weekly heatmap, learnt thresholds, overlays, performance, results in DuckDB', async ({ page }) => {
	await openShared(page, NOTEBOOK);
	for (const name of ['events', 'scored', 'weekly_drift', 'alerts', 'by_plan', 'search']) {
		const state = await page.evaluate((n) => window.driftbook!.status(n), name);
		expect(state?.status, `${name}: ${state?.error}`).toBe('done');
	}
	const cell = page.locator('[data-cell="weekly_drift"]');
	const tested = [...FEATURES, 'churn_score'];
	const reference = columns(referenceRows, tested);
	const current = columns(currentRows, tested);

	// The summary: the library's report of the same rows, same methods.
	const expected = driftReport(reference, current, { methods: ['ks', 'chisquare'] });
	await expect(cell.getByTestId('drift-summary')).toHaveAttribute('data-drifted-columns', String(expected.drifted_columns));
	for (const c of expected.columns) {
		await expect(cell.locator(`tr[data-column="${c.column}"]`)).toHaveAttribute('data-drifted', String(c.drifted));
	}
	await expect(cell.locator('tr[data-column="churn_score"] [data-role=prediction]')).toHaveText('prediction');
	await expect(cell.locator('tr[data-column="churned"] [data-role=target]')).toHaveText('target');

	// Sorting: by p-value (smallest first), then again for largest first.
	await cell.locator('button[data-sort="p_value"]').click();
	const byP = [...expected.columns]
		.sort((a, b) => (a.tests[0].p_value ?? 1) - (b.tests[0].p_value ?? 1) || a.column.localeCompare(b.column))
		.map((c) => c.column);
	expect(await cell.locator('[data-testid=drift-table] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-column')))).toEqual(byP);
	await expect(cell.locator('th[aria-sort="ascending"]')).toContainText('p-value');
	await cell.locator('button[data-sort="column"]').click();
	await cell.locator('button[data-sort="column"]').click();
	expect(await cell.locator('[data-testid=drift-table] tbody tr').first().getAttribute('data-column')).toBe([...tested].sort().reverse()[0]);

	// Over time: 8 reference weeks and 2 current weeks, a heatmap with a title and labelled axes.
	const heatmap = cell.getByTestId('drift-heatmap');
	await expect(heatmap).toHaveAttribute('data-windows', '10');
	await expect(heatmap).toHaveAttribute('data-threshold-mode', 'reference');
	await expect(heatmap.locator('figure .plot-title')).toContainText('Drift over time');
	await expect(cell.locator('figure h2')).toHaveText(/^Drift by column/);
	await expect(heatmap.locator('svg').last()).toContainText('window: ISO week, by its Monday (UTC)');
	await expect(heatmap.locator('svg').last()).toContainText('column (method)');
	await expect(heatmap.locator('svg').last()).toContainText('monthly_charges (ks)');

	// Window statistics and learnt thresholds equal the library's, read back from the DuckDB table.
	const refWeeks = windowRows(
		assignWindows(
			Float64Array.from(referenceRows, (i) => times[i]),
			{ unit: 'week' }
		)
	);
	const curWeeks = windowRows(
		assignWindows(
			Float64Array.from(currentRows, (i) => times[i]),
			{ unit: 'week' }
		)
	);
	expect([refWeeks.length, curWeeks.length]).toEqual([8, 2]);
	const windowed = (await page.evaluate(() =>
		window.driftbook!.query(`SELECT "column", "window", period, statistic, p_value, threshold, lower_threshold, drifted, epoch_ms(window_start)::DOUBLE AS start
			FROM weekly_drift WHERE scope = 'window' ORDER BY "column", period DESC, start`)
	)) as {
		column: string;
		window: string;
		period: string;
		statistic: number | null;
		p_value: number | null;
		threshold: number | null;
		lower_threshold: number | null;
		drifted: boolean | null;
		start: number;
	}[];
	expect(windowed.length).toBe(10 * expected.columns.filter((c) => c.tests.length > 0).length);
	let alerts = 0;
	const alertsByColumn: Record<string, number> = {};
	for (const c of expected.columns) {
		const method = c.tests[0].method;
		const refColumn = reference[c.column];
		const stats = [
			...refWeeks.map((rows) => selectColumns(reference, rows, [c.column])),
			...curWeeks.map((rows) => selectColumns(current, rows, [c.column]))
		].map((w) => driftColumn(c.column, refColumn, w[c.column], { methods: [method] }).tests[0]);
		const learnt = driftThreshold(
			method,
			stats.slice(0, 8).map((t) => t.statistic)
		);
		const got = windowed.filter((r) => r.column === c.column);
		expect(got.map((r) => r.period)).toEqual([...Array(8).fill('reference'), 'current', 'current']);
		got.forEach((r, i) => {
			close(r.statistic!, stats[i].statistic, `${c.column} week ${i}`);
			close(r.threshold!, learnt.upper!, `${c.column} upper`);
			const flagged = stats[i].statistic > learnt.upper! || (learnt.lower !== null && stats[i].statistic < learnt.lower);
			expect(r.drifted, `${c.column} week ${i}`).toBe(flagged);
			if (flagged && r.period === 'current') {
				alerts++;
				alertsByColumn[c.column] = (alertsByColumn[c.column] ?? 0) + 1;
			}
		});
	}
	expect(alertsByColumn.monthly_charges).toBe(2);
	expect(alertsByColumn.tenure_months).toBeUndefined();
	// the cell reading the results table ran after it, with the same alerts
	const later = await page.evaluate(() => window.driftbook!.query('SELECT * FROM alerts'));
	expect(Object.fromEntries(later.map((r) => [r.column as string, r.windows as number]))).toEqual(alertsByColumn);
	const overall = await page.evaluate(() => window.driftbook!.query(`SELECT "column", statistic, drifted FROM weekly_drift WHERE scope = 'overall'`));
	expect(overall.map((r) => r.column)).toEqual(expected.columns.map((c) => c.column));
	overall.forEach((r, i) => {
		close(r.statistic as number, expected.columns[i].tests[0].statistic, `overall ${r.column}`);
		expect(r.drifted).toBe(expected.columns[i].drifted);
	});
	await expect(cell.getByTestId('drift-output-table')).toHaveAttribute('data-table', 'weekly_drift');
	expect(alerts).toBeGreaterThan(0);

	// Distribution overlays: one per column, units on the axis, shares of rows on the other.
	await expect(cell.getByTestId('drift-overlay')).toHaveCount(tested.length);
	const charges = cell.locator('[data-testid=drift-overlay][data-column="monthly_charges"]');
	await expect(charges).toHaveAttribute('data-kind', 'numerical');
	await expect(charges.locator('figure .plot-title')).toHaveText('monthly_charges: reference vs current (drifted)');
	await expect(charges.locator('svg').last()).toContainText('monthly_charges (USD per month)');
	await expect(charges.locator('svg').last()).toContainText('share of rows (%)');
	expect(await charges.locator('svg rect').count()).toBeGreaterThan(10);
	const channel = cell.locator('[data-testid=drift-overlay][data-column="channel"]');
	await expect(channel).toHaveAttribute('data-kind', 'categorical');
	await expect(channel.locator('svg').last()).toContainText('android');

	// Performance: AUC and accuracy by week against the library's.
	const perf = cell.getByTestId('drift-performance');
	await expect(perf).toHaveAttribute('data-task', 'classification');
	const labels = (rows: number[]) => rows.map((i) => Number(sample.columns.churned[i]));
	const tickets = (rows: number[]) => rows.map((i) => Number(sample.columns.support_tickets[i]));
	const auc = perf.locator('tr[data-metric="auc"]');
	close(Number(await auc.getAttribute('data-reference')), rocAuc(labels(referenceRows), tickets(referenceRows)), 'reference AUC', 1e-12);
	close(Number(await auc.getAttribute('data-current')), rocAuc(labels(currentRows), tickets(currentRows)), 'current AUC', 1e-12);
	const weeklyAuc = (await page.evaluate(() =>
		window.driftbook!.query(
			`SELECT statistic FROM weekly_drift WHERE scope = 'performance' AND method = 'auc' AND "window" IS NOT NULL ORDER BY period DESC, window_start`
		)
	)) as { statistic: number }[];
	const weeks = [...refWeeks.map((w) => Array.from(w, (k) => referenceRows[k])), ...curWeeks.map((w) => Array.from(w, (k) => currentRows[k]))];
	expect(weeklyAuc.length).toBe(10);
	weeklyAuc.forEach((r, i) => close(r.statistic, rocAuc(labels(weeks[i]), tickets(weeks[i])), `AUC week ${i}`, 1e-12));
	await expect(perf.locator('figure .plot-title').first()).toContainText('ROC AUC by window');

	// Segments of plan: the report within each plan.
	const names = FEATURES.filter((n) => n !== 'plan');
	const perPlan = await segmentDrift(columns(referenceRows, FEATURES), columns(currentRows, FEATURES), 'plan', {
		methods: ['ks', 'chisquare'],
		columns: FEATURES
	});
	const segments = page.locator('[data-cell="by_plan"] [data-testid=drift-segments]');
	await expect(segments.locator('tr[data-segment]')).toHaveCount(perPlan.segments.length);
	for (const s of perPlan.segments) {
		await expect(segments.locator(`tr[data-segment="${s.value}"]`)).toHaveAttribute('data-drifted-columns', String(s.report!.drifted_columns));
		expect(s.report!.columns.map((c) => c.column)).toEqual(names);
	}

	// The segment search: same number of tests and discoveries as the library's, ranked.
	const found = await searchSegments(columns(referenceRows, FEATURES), columns(currentRows, FEATURES), { columns: FEATURES, fdr: 0.05 });
	const search = page.locator('[data-cell="search"] [data-testid=drift-segment-search]');
	await expect(search).toHaveAttribute('data-hypotheses', String(found.hypotheses));
	await expect(search).toHaveAttribute('data-discoveries', String(found.findings.filter((f) => f.drifted).length));
	const top = found.findings[0];
	await expect(search.locator('tbody tr').first()).toHaveAttribute('data-finding-column', top.column);
	const stored = await page.evaluate(() =>
		window.driftbook!.query(`SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE drifted)::INTEGER AS d FROM search WHERE scope = 'segment_search'`)
	);
	expect(stored[0]).toEqual({ n: found.hypotheses, d: found.findings.filter((f) => f.drifted).length });
});

test('a long drift run shows progress and stops on Cancel', async ({ page }) => {
	await openShared(page, HEAVY, false);
	const cell = page.locator('[data-cell="daily"]');
	await expect(cell).toHaveAttribute('data-status', 'running', { timeout: 120_000 });
	const bar = cell.locator('header progress');
	await expect(bar).toBeVisible({ timeout: 60_000 });
	await expect.poll(async () => Number(await bar.getAttribute('value')), { timeout: 60_000 }).toBeGreaterThan(0);
	await cell.getByRole('button', { name: 'Cancel' }).click();
	await expect(cell).toHaveAttribute('data-status', 'error');
	await expect(cell.getByTestId('cell-error')).toContainText('was cancelled');
	expect(await page.evaluate(() => window.driftbook!.status('events')?.status)).toBe('done');
});

test('the drift cell runs mannwhitney, ttest, cramer_von_mises and energy, equal to the library', async ({ page }) => {
	const methods = ['mannwhitney', 'ttest', 'cramer_von_mises', 'energy'];
	const numerical = ['monthly_charges', 'sessions_per_week', 'avg_session_minutes'];
	await openShared(
		page,
		`---
title: More drift methods
---

\`\`\`data name=events
url: /samples/churn_events.csv
\`\`\`

\`\`\`drift name=methods
table: events
split: ${SPLIT}
where: ${WHERE}
columns: ${numerical.join(', ')}
method: ${methods.join(', ')}
\`\`\`
`
	);
	const cell = page.locator('[data-cell="methods"]');
	await expect(cell).toHaveAttribute('data-status', 'done');
	const expected = driftReport(columns(referenceRows, numerical), columns(currentRows, numerical), { methods });
	await expect(cell.getByTestId('drift-summary')).toHaveAttribute('data-drifted-columns', String(expected.drifted_columns));
	for (const c of expected.columns) {
		await expect(cell.locator(`tr[data-column="${c.column}"]`)).toHaveAttribute('data-drifted', String(c.drifted));
		await expect(cell.locator(`tr[data-column="${c.column}"]`)).toContainText(`mannwhitney (${c.tests[0].method_detail})`);
	}
	const stored = await page.evaluate(() =>
		window.driftbook!.query(`SELECT "column", method, statistic, p_value, drifted FROM methods WHERE scope = 'overall' ORDER BY "column", method`)
	);
	const want = expected.columns
		.flatMap((c) => c.tests.map((t) => ({ column: c.column, method: t.method, statistic: t.statistic, p_value: t.p_value, drifted: t.drifted })))
		.sort((a, b) => a.column.localeCompare(b.column) || a.method.localeCompare(b.method));
	expect(stored).toHaveLength(numerical.length * methods.length);
	stored.forEach((row, i) => {
		const w = want[i];
		expect([row.column, row.method, row.drifted]).toEqual([w.column, w.method, w.drifted]);
		close(row.statistic as number, w.statistic, `${w.column} ${w.method} statistic`, 1e-12);
		if (w.p_value === null) expect(row.p_value).toBeNull();
		else close(row.p_value as number, w.p_value, `${w.column} ${w.method} p`, 1e-12);
	});
});

test('a drift cell names the field that is wrong', async ({ page }) => {
	const broken = `---
title: Broken
---

\`\`\`data name=events
url: /samples/churn_events.csv
\`\`\`

\`\`\`drift name=bad_window
table: events
split: ${SPLIT}
time: event_time
window: month
\`\`\`

\`\`\`drift name=bad_column
table: events
split: ${SPLIT}
columns: plan, nope
\`\`\`

\`\`\`drift name=bad_threshold
reference: events
current: events
threshold: reference
\`\`\`

\`\`\`drift name=empty_current
table: events
split: event_time < TIMESTAMP '2100-01-01'
\`\`\`
`;
	await openShared(page, broken);
	await expect(page.locator('[data-cell="bad_window"] [data-testid=cell-error]')).toContainText(
		'field "window": window "month" is not one of: day, week, <N> rows'
	);
	await expect(page.locator('[data-cell="bad_column"] [data-testid=cell-error]')).toContainText('column "nope" is not in events');
	await expect(page.locator('[data-cell="bad_threshold"] [data-testid=cell-error]')).toContainText('set "time" and "window"');
	await expect(page.locator('[data-cell="empty_current"] [data-testid=cell-error]')).toContainText(
		"cell empty_current: the current sample (events where not (event_time < TIMESTAMP '2100-01-01')) has no rows"
	);
});
