import { describe, expect, it } from 'vitest';
import { driftAnalysis, driftReport, PROGRESS_TOTAL } from '#lib/stats/index.ts';
import { TESTED, columnsOf, overTime, timesOf } from './over-time-data';

const all = [...TESTED, 'label', 'score'];
const reference = columnsOf(overTime.reference, all);
const current = columnsOf(overTime.current, all);

describe('driftAnalysis', () => {
	it('gathers the report, distributions, windows, segments, the search and performance', async () => {
		const progress: number[] = [];
		const result = await driftAnalysis(reference, current, {
			columns: [...TESTED, 'score'],
			methods: ['ks', 'chisquare'],
			window: { unit: 'week' },
			referenceTime: timesOf(overTime.reference),
			currentTime: timesOf(overTime.current),
			threshold: 'reference',
			segment: 'region',
			segmentSearch: true,
			target: 'label',
			prediction: 'score',
			onProgress: (done, total) => {
				expect(total).toBe(PROGRESS_TOTAL);
				progress.push(done);
			}
		});
		expect(result.report).toEqual(driftReport(reference, current, { columns: [...TESTED, 'score'], methods: ['ks', 'chisquare'] }));
		expect(result.distributions.map((d) => d.column)).toEqual([...TESTED, 'score']);
		expect(result.over_time!.windows).toHaveLength(10);
		expect(result.over_time!.threshold_mode).toBe('reference');
		expect(result.segments!.segment_column).toBe('region');
		expect(result.segment_search!.hypotheses).toBeGreaterThan(20);
		expect(result.performance!.metrics.map((m) => m.metric)).toEqual(['auc', 'accuracy']);
		expect(result.performance!.metrics[0].threshold).not.toBeNull();
		expect(progress.at(-1)).toBe(PROGRESS_TOTAL);
		expect(progress).toEqual([...progress].sort((a, b) => a - b));
		expect(JSON.parse(JSON.stringify(result))).toEqual(result);
	});

	it('windows by rows without a time column use row order in both samples', async () => {
		const result = await driftAnalysis(reference, current, { columns: ['x', 'plan'], window: { unit: 'rows', size: 600 }, threshold: 'reference' });
		expect(result.over_time!.windows.map((w) => [w.period, w.rows])).toEqual([
			['reference', 600],
			['reference', 600],
			['reference', 600],
			['reference', 600],
			['current', 600],
			['current', 200]
		]);
		expect(result.performance).toBeNull();
		expect(result.segments).toBeNull();
	});

	it('says what is missing for reference thresholds and performance', async () => {
		await expect(driftAnalysis(reference, current, { threshold: 'reference' })).rejects.toThrow(/set a window/);
		await expect(driftAnalysis(reference, current, { target: 'label' })).rejects.toThrow(/both a target/);
	});

	it('stops when aborted', async () => {
		const controller = new AbortController();
		const running = driftAnalysis(reference, current, {
			columns: TESTED,
			segmentSearch: true,
			signal: controller.signal,
			onProgress: (done) => {
				if (done > 0) controller.abort(new Error('cancelled by test'));
			}
		});
		await expect(running).rejects.toThrow('cancelled by test');
	});
});
