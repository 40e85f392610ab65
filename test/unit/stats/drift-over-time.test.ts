import { describe, expect, it } from 'vitest';
import { assignWindows, driftOverTime, driftReport } from '#lib/stats/index.ts';
import { expectClose } from './fixtures';
import { TESTED, columnsOf, overTime, timesOf } from './over-time-data';

const reference = columnsOf(overTime.reference);
const current = columnsOf(overTime.current);
const report = driftReport(reference, current, { columns: TESTED, methods: ['ks', 'chisquare'] });
const week = { unit: 'week' as const };
const refWindows = assignWindows(timesOf(overTime.reference), week);
const curWindows = assignWindows(timesOf(overTime.current), week);
const expected = overTime.over_time;

describe('driftOverTime (each ISO week against the whole reference)', () => {
	it('finds the weeks of both periods', async () => {
		const result = await driftOverTime(reference, current, { report, currentWindows: curWindows, referenceWindows: refWindows });
		expect(result.windows.map((w) => w.start)).toEqual(expected.window_starts);
		expect(result.windows.map((w) => w.rows)).toEqual(expected.window_rows);
		expect(result.windows.map((w) => w.period)).toEqual([...Array(8).fill('reference'), 'current', 'current']);
		expect(result.windows.map((w) => w.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(result.window).toBe('week');
	});

	it('matches SciPy per column and week, with fixed thresholds', async () => {
		const result = await driftOverTime(reference, current, { report, currentWindows: curWindows, referenceWindows: refWindows });
		expect(result.threshold_mode).toBe('fixed');
		for (const col of result.columns) {
			const e = expected.columns[col.column];
			expect(col.kind, col.column).toBe(e.kind);
			expect(col.method, col.column).toBe(e.method);
			expect(col.threshold).toEqual({ mode: 'fixed', value: 0.05 });
			col.values.forEach((v, i) => {
				const label = `${col.column} window ${i}`;
				expectClose(v.statistic!, e.values[i].statistic, `${label} statistic`, 1e-12);
				expectClose(v.p_value!, e.values[i].p_value, `${label} p`, 1e-9, 1e-300);
				expectClose(v.effect_size!, e.values[i].effect_size, `${label} effect`, 1e-12);
				expect(v.drifted, label).toBe(e.values[i].drifted_fixed);
			});
			expect(col.drifted_windows).toBe(e.values.slice(8).filter((v) => v.drifted_fixed).length);
		}
	});

	it('learns mean ± 3σ thresholds from the reference weeks (threshold: reference)', async () => {
		const result = await driftOverTime(reference, current, {
			report,
			currentWindows: curWindows,
			referenceWindows: refWindows,
			threshold: 'reference'
		});
		expect(result.threshold_mode).toBe('reference');
		const flagged: Record<string, boolean[]> = {};
		for (const col of result.columns) {
			const e = expected.columns[col.column];
			const t = col.threshold;
			if (t?.mode !== 'reference') throw new Error('expected a reference threshold');
			expectClose(t.mean, e.threshold.mean, `${col.column} mean`, 1e-12);
			expectClose(t.std, e.threshold.std, `${col.column} std`, 1e-10);
			if (e.threshold.lower === null) expect(t.lower).toBeNull();
			else expectClose(t.lower!, e.threshold.lower, `${col.column} lower`, 1e-9);
			expectClose(t.upper!, e.threshold.upper!, `${col.column} upper`, 1e-12);
			expect(col.values.map((v) => v.drifted)).toEqual(e.values.map((v) => v.drifted_reference));
			flagged[col.column] = col.values.map((v) => v.drifted!);
		}
		// The shift: x (segment east moved) in the first current week, plan in both.
		expect(flagged.plan.slice(8)).toEqual([true, true]);
		expect(flagged.y.some(Boolean)).toBe(false);
	});

	it('needs reference windows for reference thresholds', async () => {
		await expect(driftOverTime(reference, current, { report, currentWindows: curWindows, threshold: 'reference' })).rejects.toThrow(
			/needs windows of the reference/
		);
	});

	it('leaves an empty window without a statistic, and reports progress and abort', async () => {
		const times = timesOf(overTime.current);
		const x = current.x.values as Float64Array;
		// a window where x is all missing
		const holey = { ...current, x: { type: 'number' as const, values: Float64Array.from(x, (v, i) => (times[i] >= times[400] ? NaN : v)) } };
		const windows = assignWindows(times, { unit: 'rows', size: 400 });
		const progress: number[] = [];
		const result = await driftOverTime(reference, holey, {
			report,
			currentWindows: windows,
			onProgress: (done, total) => progress.push(done / total)
		});
		const xs = result.columns.find((c) => c.column === 'x')!;
		expect(xs.values[1]).toMatchObject({ statistic: null, drifted: null, note: 'no values in this window' });
		expect(progress.at(-1)).toBe(1);
		expect(progress).toEqual([...progress].sort((a, b) => a - b));

		const controller = new AbortController();
		controller.abort(new Error('stop'));
		await expect(driftOverTime(reference, current, { report, currentWindows: windows, signal: controller.signal })).rejects.toThrow('stop');
	});
});
