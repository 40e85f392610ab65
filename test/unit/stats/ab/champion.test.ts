/**
 * Champion / challenger against the Python references of scripts/fixtures/generate_ab_fixtures.py:
 * statsmodels mcnemar(exact=True), a slow pairwise DeLong written from the 1988 definition (its
 * AUCs checked against scikit-learn), and the paired bootstrap re-run in Python on the same
 * xoshiro128** stream with NumPy percentiles.
 */
import { describe, expect, it } from 'vitest';
import { championChallenger, delongTest, pairedBootstrap, Xoshiro128, AbInputError } from '#lib/stats/ab/index.ts';
import { columnFromStrings, columnFromValues } from '#lib/stats/index.ts';
import { expectClose, loadFixture } from '../fixtures';

const REL = 1e-9;

interface DeLongExpected {
	auc1: number;
	auc2: number;
	var1: number;
	var2: number;
	covariance: number;
	difference: number;
	se: number;
	z: number;
	pvalue: number;
	ci_low: number;
	ci_high: number;
}
const fx = loadFixture<{
	delong: { labels: number[]; scores1: number[]; scores2: number[]; expected: DeLongExpected }[];
	xoshiro: { seed42: number[]; seed0: number[]; index7_1000: number[] };
	binary: {
		columns: string[];
		rows: (string | number)[][];
		resamples: number;
		seed: number;
		expected: {
			accuracy: [number, number];
			mcnemar: { b: number; c: number; statistic: number; pvalue: number };
			delong: DeLongExpected;
			brier: [number, number];
			log_loss: [number, number];
			bootstrap: Record<'accuracy' | 'brier' | 'log_loss', [number, number]>;
			slices: { slice: string; n: number; champion: number; challenger: number; pvalue: number; pvalue_adjusted: number }[];
			agree: number;
		};
	};
	regression: {
		label: number[];
		champion: number[];
		challenger: number[];
		resamples: number;
		seed: number;
		expected: { mae: [number, number]; rmse: [number, number]; bootstrap: Record<'mae' | 'rmse', [number, number]>; ttest_rel_abs: number };
	};
}>('ab/champion.json');

describe('DeLong, fast mid-rank form vs the O(m·n) definition', () => {
	for (const [k, c] of fx.delong.entries()) {
		it(`case ${k + 1} (n = ${c.labels.length})`, () => {
			const r = delongTest(c.labels, c.scores1, c.scores2);
			const e = c.expected;
			expectClose(r.auc1, e.auc1, 'auc1', 1e-12);
			expectClose(r.auc2, e.auc2, 'auc2', 1e-12);
			expectClose(r.var1, e.var1, 'var1', REL);
			expectClose(r.var2, e.var2, 'var2', REL);
			expectClose(r.covariance, e.covariance, 'cov', REL);
			expectClose(r.se, e.se, 'se', REL);
			expectClose(r.z, e.z, 'z', REL);
			expectClose(r.pValue, e.pvalue, 'p', REL);
			expectClose(r.ciLow, e.ci_low, 'ci_low', REL);
			expectClose(r.ciHigh, e.ci_high, 'ci_high', REL);
		});
	}

	it('needs both classes', () => {
		expect(() => delongTest([1, 1, 1, 0], [0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3, 0.4])).toThrow(AbInputError);
		expect(() => delongTest([1, 2, 0, 0], [0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3, 0.4])).toThrow(/0 or 1/);
	});
});

describe('the seeded PRNG and the paired bootstrap', () => {
	it('xoshiro128** draws the same stream as the Python reference', () => {
		const a = new Xoshiro128(42);
		expect(fx.xoshiro.seed42.map(() => a.next())).toEqual(fx.xoshiro.seed42);
		const b = new Xoshiro128(0);
		expect(fx.xoshiro.seed0.map(() => b.next())).toEqual(fx.xoshiro.seed0);
		const c = new Xoshiro128(7);
		expect(fx.xoshiro.index7_1000.map(() => c.index(1000))).toEqual(fx.xoshiro.index7_1000);
	});

	it('percentile intervals of a regression comparison (MAE, RMSE)', () => {
		const r = fx.regression;
		const y = r.label;
		const abs = (p: number[]) => Float64Array.from(p, (v, i) => Math.abs(v - y[i]));
		const sq = (p: number[]) => Float64Array.from(p, (v, i) => (v - y[i]) ** 2);
		const ci = pairedBootstrap(
			[
				{ name: 'mae', a: abs(r.champion), b: abs(r.challenger) },
				{ name: 'rmse', a: sq(r.champion), b: sq(r.challenger), finish: Math.sqrt }
			],
			y.length,
			r.resamples,
			r.seed,
			0.05
		);
		for (const name of ['mae', 'rmse'] as const) {
			expectClose(ci.get(name)![0], r.expected.bootstrap[name][0], `${name} low`, REL);
			expectClose(ci.get(name)![1], r.expected.bootstrap[name][1], `${name} high`, REL);
		}
	});
});

describe('championChallenger on a binary shadow-mode sample', () => {
	const b = fx.binary;
	const col = (name: string) => columnFromStrings(b.rows.map((r) => String(r[b.columns.indexOf(name)])));
	const report = championChallenger(
		{ label: col('label'), champion: col('champion'), challenger: col('challenger'), slice: col('segment'), time: col('day') },
		{ bootstrap: b.resamples, seed: b.seed, names: { slice: 'segment' } }
	);
	const e = b.expected;
	const metric = (name: string) => report.metrics.find((m) => m.metric === name)!;

	it('is plain JSON with the task and every metric', () => {
		expect(JSON.parse(JSON.stringify(report))).toEqual(report);
		expect(report.task).toBe('binary');
		expect(report.n).toBe(b.rows.length);
		expect(report.metrics.map((m) => m.metric)).toEqual(['accuracy', 'auc', 'brier', 'log_loss']);
		expect(report.primary).toBe('auc');
	});

	it('accuracy with McNemar exact and its bootstrap interval', () => {
		const m = metric('accuracy');
		expectClose(m.champion, e.accuracy[0], 'champion', 1e-12);
		expectClose(m.challenger, e.accuracy[1], 'challenger', 1e-12);
		expect(report.mcnemar).toMatchObject({ champion_only: e.mcnemar.b, challenger_only: e.mcnemar.c, statistic: e.mcnemar.statistic });
		expectClose(report.mcnemar!.p_value, e.mcnemar.pvalue, 'mcnemar p', REL);
		expectClose(m.p_value!, e.mcnemar.pvalue, 'metric p', REL);
		expectClose(m.ci_low, e.bootstrap.accuracy[0], 'low', REL);
		expectClose(m.ci_high, e.bootstrap.accuracy[1], 'high', REL);
	});

	it('AUC by DeLong', () => {
		const d = report.delong!;
		expectClose(d.auc_champion, e.delong.auc1, 'auc1', 1e-12);
		expectClose(d.auc_challenger, e.delong.auc2, 'auc2', 1e-12);
		expectClose(d.se, e.delong.se, 'se', REL);
		expectClose(d.p_value, e.delong.pvalue, 'p', REL);
		expectClose(metric('auc').ci_low, e.delong.ci_low, 'low', REL);
		expectClose(metric('auc').ci_high, e.delong.ci_high, 'high', REL);
	});

	it('Brier score and log loss with paired bootstrap intervals', () => {
		for (const name of ['brier', 'log_loss'] as const) {
			const m = metric(name);
			expectClose(m.champion, e[name][0], `${name} champion`, 1e-12);
			expectClose(m.challenger, e[name][1], `${name} challenger`, 1e-12);
			expectClose(m.ci_low, e.bootstrap[name][0], `${name} low`, REL);
			expectClose(m.ci_high, e.bootstrap[name][1], `${name} high`, REL);
			expect(m.higher_is_better).toBe(false);
		}
	});

	it('agreement and the disagreeing rows', () => {
		expect(report.agreement.agree).toBe(e.agree);
		expect(report.agreement.disagree).toBe(b.rows.length - e.agree);
		expect(report.disagreements.length).toBe(Math.min(100, b.rows.length - e.agree));
		for (const d of report.disagreements) {
			const row = b.rows[d.row];
			const s1 = Number(row[1]) >= 0.5;
			const s2 = Number(row[2]) >= 0.5;
			expect(s1).not.toBe(s2);
			expect(d.right).toBe(Number(s1) === Number(row[0]) ? 'champion' : 'challenger');
			expect(d.slice).toBe(row[3]);
		}
	});

	it('slices with McNemar per slice, Holm-adjusted', () => {
		expect(report.slices!.column).toBe('segment');
		const bySlice = new Map(report.slices!.rows.map((r) => [r.slice, r]));
		for (const s of e.slices) {
			const r = bySlice.get(s.slice)!;
			expect(r.n).toBe(s.n);
			expectClose(r.champion, s.champion, 'champion', 1e-12);
			expectClose(r.challenger, s.challenger, 'challenger', 1e-12);
			expectClose(r.p_value, s.pvalue, 'p', REL);
			expectClose(r.p_value_adjusted, s.pvalue_adjusted, 'adjusted', REL);
			expect(r.outcome).toBe(s.pvalue_adjusted < 0.05 ? (s.challenger > s.champion ? 'wins' : 'loses') : 'tie');
		}
	});

	it('canary view: metrics and traffic share by day', () => {
		const points = report.canary!.points;
		expect(points.length).toBe(new Set(b.rows.map((r) => r[4])).size);
		expect(points.reduce((s, p) => s + p.n, 0)).toBe(b.rows.length);
		expectClose(
			points.reduce((s, p) => s + p.share, 0),
			1,
			'shares',
			1e-12
		);
		expect(points.map((p) => p.time)).toEqual([...points.map((p) => p.time)].sort((x, y) => x - y));
	});

	it('a verdict that follows the primary metric', () => {
		const auc = metric('auc');
		if (auc.outcome === 'better' && report.metrics.every((m) => m.outcome !== 'worse')) expect(report.verdict.decision).toBe('promote');
		else if (auc.outcome === 'worse') expect(report.verdict.decision).toBe('keep');
		else expect(['review', 'inconclusive']).toContain(report.verdict.decision);
		expect(report.verdict.headline.length).toBeGreaterThan(40);
	});
});

describe('championChallenger on regression and multiclass', () => {
	it('regression: MAE and RMSE, slices by paired t-test', () => {
		const r = fx.regression;
		const report = championChallenger(
			{
				label: columnFromValues(r.label),
				champion: columnFromValues(r.champion),
				challenger: columnFromValues(r.challenger),
				slice: columnFromStrings(r.label.map(() => 'all'))
			},
			{ bootstrap: r.resamples, seed: r.seed }
		);
		expect(report.task).toBe('regression');
		expect(report.primary).toBe('rmse');
		const mae = report.metrics.find((m) => m.metric === 'mae')!;
		const rmse = report.metrics.find((m) => m.metric === 'rmse')!;
		expectClose(mae.champion, r.expected.mae[0], 'mae', 1e-12);
		expectClose(rmse.challenger, r.expected.rmse[1], 'rmse', 1e-12);
		expectClose(rmse.ci_low, r.expected.bootstrap.rmse[0], 'rmse low', REL);
		expectClose(report.slices!.rows[0].p_value, r.expected.ttest_rel_abs, 'ttest_rel', REL);
		expect(report.agreement.tolerance).toBeGreaterThan(0);
	});

	it('multiclass: accuracy by equality of labels', () => {
		const label = ['cat', 'dog', 'cat', 'bird', 'dog', 'cat', 'bird', 'dog'];
		const a = ['cat', 'dog', 'dog', 'bird', 'dog', 'cat', 'cat', 'dog'];
		const b = ['cat', 'dog', 'cat', 'bird', 'cat', 'cat', 'bird', 'dog'];
		const report = championChallenger(
			{ label: columnFromStrings(label), champion: columnFromStrings(a), challenger: columnFromStrings(b) },
			{ bootstrap: 200 }
		);
		expect(report.task).toBe('multiclass');
		expect(report.metrics.map((m) => m.metric)).toEqual(['accuracy']);
		expect(report.mcnemar).toMatchObject({ both_right: 5, champion_only: 1, challenger_only: 2, both_wrong: 0 });
		expect(report.agreement).toMatchObject({ agree: 5, disagree: 3 });
	});

	it('rejects scores outside [0, 1] for a binary label', () => {
		expect(() =>
			championChallenger({ label: columnFromValues([0, 1, 1]), champion: columnFromValues([0.2, 1.4, 0.9]), challenger: columnFromValues([0.1, 0.5, 0.7]) })
		).toThrow(/probabilities/);
	});
});
