/**
 * The bundled A/B notebook, end to end: it opens, every cell runs, and what the page shows is
 * what the statistics library computes in Node on the same CSV files; its power cells plan the
 * next test.
 */
import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { expect, sharedPage, test } from './fixtures';
import { settled } from './helpers';
import { readCsvColumns } from '#lib/ingest/csv/columns.ts';
import { columnFromStrings, type Column } from '#lib/stats/index.ts';
import { abTest, championChallenger, type AbReport } from '#lib/stats/ab/index.ts';
import { proportionMde, proportionSampleSize } from '#lib/stats/ab/index.ts';

const SLUG = 'ab-test-review';
const CELLS = ['experiment', 'conversion', 'revenue', 'shadow', 'models'];

function readCsv(path: string): (name: string) => Column {
	const t = readCsvColumns(readFileSync(path, 'utf8'));
	return (name) => columnFromStrings(t.columns[t.names.indexOf(name)]);
}

async function openNotebook(page: Page) {
	await page.goto(`/notebooks/${SLUG}`);
	for (const name of CELLS) {
		await expect(page.locator(`[data-cell="${name}"]`)).toHaveAttribute('data-status', /done|error/, { timeout: 170_000 });
	}
	for (const name of CELLS) {
		const cell = page.locator(`[data-cell="${name}"]`);
		if ((await cell.getAttribute('data-status')) === 'error') {
			throw new Error(`cell ${name} failed: ${await cell.locator('[data-testid=cell-error]').textContent()}`);
		}
	}
}

/** A data attribute as a number, equal to `expected` to 1e-9 relative (absolute near 0). */
async function expectNumber(locator: Locator, attribute: string, expected: number | null | undefined, label: string) {
	const text = await locator.getAttribute(attribute);
	if (expected === null || expected === undefined) {
		expect(text, label).toBeNull();
		return;
	}
	const got = Number(text);
	const err = Math.abs(got - expected) / Math.max(Math.abs(expected), 1e-12);
	expect(err, `${label}: page ${got}, library ${expected}`).toBeLessThanOrEqual(1e-9);
}

async function expectReport(page: Page, cell: string, expected: AbReport) {
	const root = page.locator(`[data-cell="${cell}"]`);
	const srm = root.getByTestId('ab-srm');
	await expect(srm).toHaveAttribute('data-mismatch', String(expected.srm.mismatch));
	await expect(srm).toContainText(expected.srm.mismatch ? 'Sample ratio mismatch' : 'Sample ratio OK');
	await expect(srm).toContainText(expected.srm.groups.map((g, i) => `${g} ${expected.srm.observed[i].toLocaleString('en-US')}`).join(', '));
	await expectNumber(srm, 'data-statistic', expected.srm.statistic, `${cell} SRM statistic`);
	await expectNumber(srm, 'data-p-value', expected.srm.p_value, `${cell} SRM p`);
	// The sample-ratio line comes before the results.
	const srmBox = await srm.boundingBox();
	const tableBox = await root.getByTestId('ab-results').boundingBox();
	expect(srmBox!.y).toBeLessThan(tableBox!.y);

	const rows = root.locator('[data-testid=ab-results] tbody tr');
	await expect(rows).toHaveCount(expected.variants.length);
	for (const [i, v] of expected.variants.entries()) {
		const row = rows.nth(i);
		await expect(row).toHaveAttribute('data-variant', v.variant);
		await expect(row).toHaveAttribute('data-n', String(v.n));
		await expect(row).toHaveAttribute('data-control-n', String(v.control_n));
		await expect(row).toHaveAttribute('data-outcome', v.outcome);
		for (const [attribute, value] of [
			['data-mean', v.mean],
			['data-control-mean', v.control_mean],
			['data-difference', v.difference],
			['data-ci-low', v.ci_low],
			['data-ci-high', v.ci_high],
			['data-relative-lift', v.relative_lift],
			['data-p-value', v.p_value],
			['data-p-value-adjusted', v.p_value_adjusted],
			['data-prob-to-beat', v.prob_to_beat]
		] as const) {
			await expectNumber(row, attribute, value, `${cell} ${v.variant} ${attribute}`);
		}
	}

	const verdict = root.getByTestId('ab-verdict');
	await expect(verdict).toHaveAttribute('data-decision', expected.verdict.decision);
	await expect(verdict).toHaveAttribute('data-variant', expected.verdict.variant ?? '');
	await expect(verdict).toHaveText(expected.verdict.headline);

	// The forest plot: an SVG with its title, a labelled x axis and one dot per variant.
	const forest = root.getByTestId('ab-forest');
	await expect(forest.locator('svg').first()).toBeVisible();
	await expect(forest.locator('figure h2')).toContainText(`Difference from ${expected.control}`);
	await expect(forest.locator('svg [aria-label="x-axis label"]')).toContainText('difference');
	await expect(forest.locator('svg [aria-label="dot"] circle')).toHaveCount(expected.variants.length);
}

// Both tests read the same notebook: one page, opened once.
const shared = sharedPage(openNotebook);

test('the A/B notebook shows the SRM check, the library’s numbers, a forest plot and an honest verdict', async () => {
	const page = shared();
	const experiment = readCsv('static/samples/ab_experiment.csv');

	// Conversion: three arms, proportion test, Holm-adjusted, with the result over time.
	const conversion = abTest(
		{ group: experiment('variant'), metric: experiment('converted'), time: experiment('assigned_at') },
		{ control: 'A', names: { metric: 'converted' } }
	);
	expect(conversion.test).toBe('proportion');
	expect(conversion.srm.mismatch).toBe(false);
	expect(conversion.verdict).toMatchObject({ decision: 'ship', variant: 'B' });
	await expectReport(page, 'conversion', conversion);
	const timeline = page.locator('[data-cell="conversion"] [data-testid=ab-timeline]');
	await expect(timeline.locator('svg').first()).toBeVisible();
	await expect(timeline.locator('figure h3')).toContainText('Cumulative difference from A over time');

	// Revenue: CUPED on the pre-period covariate.
	const revenue = abTest(
		{ group: experiment('variant'), metric: experiment('revenue'), covariate: experiment('pre_revenue'), time: experiment('assigned_at') },
		{ control: 'A', test: 'cuped', names: { metric: 'revenue' } }
	);
	await expectReport(page, 'revenue', revenue);
	await expect(page.locator('[data-cell="revenue"]')).toContainText('variance reduced by');

	// Champion / challenger.
	const shadow = readCsv('static/samples/model_shadow.csv');
	const models = championChallenger(
		{ label: shadow('churned'), champion: shadow('model_v1'), challenger: shadow('model_v2'), slice: shadow('plan'), time: shadow('scored_at') },
		{ names: { label: 'churned', champion: 'model_v1', challenger: 'model_v2', slice: 'plan', time: 'scored_at' } }
	);
	const cc = page.locator('[data-cell="models"]');
	await expect(cc.getByTestId('champion-verdict')).toHaveAttribute('data-decision', models.verdict.decision);
	for (const m of models.metrics) {
		const row = cc.locator(`[data-testid=champion-metrics] tr[data-metric="${m.metric}"]`);
		await expectNumber(row, 'data-champion', m.champion, `${m.metric} champion`);
		await expectNumber(row, 'data-challenger', m.challenger, `${m.metric} challenger`);
		await expectNumber(row, 'data-ci-low', m.ci_low, `${m.metric} ci_low`);
		await expectNumber(row, 'data-ci-high', m.ci_high, `${m.metric} ci_high`);
		await expect(row).toHaveAttribute('data-outcome', m.outcome);
	}
	await expectNumber(cc.getByTestId('champion-mcnemar'), 'data-p-value', models.mcnemar!.p_value, 'McNemar p');
	await expectNumber(cc.getByTestId('champion-agreement'), 'data-rate', models.agreement.rate, 'agreement');
	await expect(cc.locator('[data-testid=champion-disagreements] tbody tr')).toHaveCount(models.disagreements.length);
	await expect(cc.locator('[data-testid=champion-slices] tbody tr')).toHaveCount(models.slices!.rows.length);
	await expect(cc.getByTestId('champion-canary').locator('svg').first()).toBeVisible();
});

test('power cells plan a test: sample size for an effect, and the effect a size can detect', async () => {
	const page = shared();
	await settled(page);
	const size = proportionSampleSize(0.1, 0.01, { alpha: 0.05, power: 0.8 });
	const next = page.locator('[data-cell="next_test"] [data-testid=power-answer]');
	await expect(next).toHaveAttribute('data-n', String(size.n));
	await expect(next).toContainText(`${size.n.toLocaleString('en-US')}`);
	await expect(page.locator('[data-cell="next_test"] figure h2')).toContainText('Power to detect');

	const mde = proportionMde(0.1, 5000, { alpha: 0.05, power: 0.8 });
	const detectable = page.locator('[data-cell="this_test"] [data-testid=power-answer]');
	expect(Number(await detectable.getAttribute('data-mde'))).toBeCloseTo(mde.mde, 12);
});
