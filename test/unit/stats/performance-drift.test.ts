import { describe, expect, it } from 'vitest';
import {
	accuracy,
	assignWindows,
	columnFromStrings,
	labelRule,
	meanAbsoluteError,
	midranks,
	performanceDrift,
	rocAuc,
	rootMeanSquaredError,
	windowRows
} from '#lib/stats/index.ts';
import { expectClose, loadFixture } from './fixtures';
import { columnsOf, overTime, timesOf } from './over-time-data';

interface Case {
	name: string;
	labels: number[];
	scores: number[];
	auc: number;
	accuracy: number;
	actual: number[];
	predicted: number[];
	mae: number;
	rmse: number;
}
const fx = loadFixture<{
	cases: Case[];
	windows: { period: string; rows: number; auc: number; accuracy: number }[];
	series: Record<
		'auc' | 'accuracy',
		{ reference: number; current: number; threshold: { mean: number; std: number; lower: number | null; upper: number }; windows: number[] }
	>;
}>('performance.json');

describe('metrics against the Python reference (AUC by the rank formula with midranks)', () => {
	for (const c of fx.cases) {
		it(c.name, () => {
			const auc = rocAuc(c.labels, c.scores);
			if (Number.isNaN(c.auc)) expect(auc).toBeNaN();
			else expectClose(auc, c.auc, 'auc', 1e-14);
			expectClose(accuracy(c.labels, c.scores), c.accuracy, 'accuracy', 1e-15);
			expectClose(meanAbsoluteError(c.actual, c.predicted), c.mae, 'mae', 1e-12);
			expectClose(rootMeanSquaredError(c.actual, c.predicted), c.rmse, 'rmse', 1e-12);
		});
	}

	it('midranks average tied ranks', () => {
		expect(Array.from(midranks([0.3, 0.1, 0.3, 0.2, 0.3]))).toEqual([4, 1, 4, 2, 4]);
	});

	it('AUC is 1 for a perfect ranking, 0.5 when every score ties', () => {
		expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
		expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
	});
});

describe('labelRule', () => {
	it('finds the positive class of 0/1, true/false and yes/no targets', () => {
		expect(labelRule([{ type: 'number', values: Float64Array.from([0, 1, NaN]) }])).toEqual({ task: 'classification', positive: '1' });
		expect(labelRule([columnFromStrings(['true', 'false', ''])])).toEqual({ task: 'classification', positive: 'true' });
		expect(labelRule([columnFromStrings(['No', 'Yes'])])).toEqual({ task: 'classification', positive: 'Yes' });
		expect(labelRule([columnFromStrings(['1.0', '0'])])).toEqual({ task: 'classification', positive: '1.0' });
	});
	it('makes a numeric target a regression and asks for the positive class otherwise', () => {
		expect(labelRule([columnFromStrings(['1.5', '2', '7'])])).toEqual({ task: 'regression' });
		expect(() => labelRule([columnFromStrings(['cat', 'dog'])])).toThrow(/set "positive"/);
		expect(labelRule([columnFromStrings(['cat', 'dog'])], 'dog')).toEqual({ task: 'classification', positive: 'dog' });
		expect(() => labelRule([columnFromStrings(['cat', 'dog'])], 'cow')).toThrow(/never occurs/);
	});
});

describe('performanceDrift by week', () => {
	const reference = columnsOf(overTime.reference, ['label', 'score']);
	const current = columnsOf(overTime.current, ['label', 'score']);
	const refRows = windowRows(assignWindows(timesOf(overTime.reference), { unit: 'week' }));
	const curRows = windowRows(assignWindows(timesOf(overTime.current), { unit: 'week' }));

	it('matches the Python reference per window, overall, and for mean ± 3σ thresholds', () => {
		const report = performanceDrift(reference, current, {
			target: 'label',
			prediction: 'score',
			referenceWindows: refRows,
			currentWindows: curRows,
			thresholds: true
		});
		expect(report.task).toBe('classification');
		expect(report.positive).toBe('1');
		expect(report.metrics.map((m) => m.metric)).toEqual(['auc', 'accuracy']);
		for (const m of report.metrics) {
			const e = fx.series[m.metric as 'auc' | 'accuracy'];
			expectClose(m.reference!, e.reference, `${m.metric} reference`, 1e-14);
			expectClose(m.current!, e.current, `${m.metric} current`, 1e-14);
			m.windows.forEach((w, i) => expectClose(w.value!, e.windows[i], `${m.metric} window ${i}`, 1e-14));
			expect(m.windows.map((w) => w.rows)).toEqual(fx.windows.map((w) => w.rows));
			expectClose(m.threshold!.mean, e.threshold.mean, 'mean', 1e-14);
			expectClose(m.threshold!.std, e.threshold.std, 'std', 1e-10);
			expectClose(m.threshold!.upper!, e.threshold.upper, 'upper', 1e-12);
			expectClose(m.threshold!.lower!, e.threshold.lower!, 'lower', 1e-12);
			// The model lost its edge in the current weeks: below the learnt lower bound.
			expect(m.windows.slice(8).map((w) => w.drifted)).toEqual([true, true]);
			expect(m.windows.slice(0, 8).every((w) => w.drifted === false)).toBe(true);
			expect(m.change).toBeLessThan(0);
		}
	});

	it('computes MAE and RMSE for a numeric target, and refuses metrics of the other task', () => {
		const y = { type: 'number' as const, values: Float64Array.from([1, 2, 3, 4, NaN, 6, 7]) };
		const p = { type: 'number' as const, values: Float64Array.from([1.5, 2, 2, 4, 5, NaN, 9]) };
		const report = performanceDrift({ y, p }, { y, p }, { target: 'y', prediction: 'p' });
		expect(report.task).toBe('regression');
		expect(report.reference_rows).toBe(5);
		expect(report.metrics[0].reference).toBeCloseTo((0.5 + 0 + 1 + 0 + 2) / 5, 15);
		expect(() => performanceDrift({ y, p }, { y, p }, { target: 'y', prediction: 'p', metrics: ['auc'] })).toThrow(/needs a classification target/);
		expect(() => performanceDrift({ y, p }, { y }, { target: 'y', prediction: 'p' })).toThrow(/"p" is not in the current data/);
	});
});
