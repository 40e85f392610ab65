/**
 * ADWIN's window statistics, after River's test_adwin_regression.py
 * (TestStatistics, TestParameters, TestEdgeCases).
 */
import { describe, expect, it } from 'vitest';
import { ADWIN, PythonRandom } from '#lib/stats/detectors/index.ts';
import { runDetector, stream } from './streams';

function gaussians(seed: number, n: number, mu = 0, sigma = 1): number[] {
	const r = new PythonRandom(seed);
	return Array.from({ length: n }, () => mu + sigma * Math.sqrt(-2 * Math.log(1 - r.random())) * Math.cos(2 * Math.PI * r.random()));
}

describe('ADWIN window statistics', () => {
	it('width grows by one per update before any drift', () => {
		const a = new ADWIN();
		for (let i = 1; i <= 100; i++) expect(a.update(1.0).width).toBe(i);
	});

	it('total, estimation, and variance as the sum of squared deviations', () => {
		const a = new ADWIN();
		expect(a.estimation).toBe(0);
		for (const v of [1, 2, 3, 4, 5]) a.update(v);
		expect([a.width, a.total, a.estimation, a.variance]).toEqual([5, 15, 3, 10]);

		const xs = gaussians(999, 500, 5, 2);
		const b = new ADWIN();
		for (const x of xs) b.update(x);
		expect(b.width).toBe(500);
		const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
		const ssd = xs.reduce((s, x) => s + (x - mean) ** 2, 0);
		expect(Math.abs(b.variance - ssd) / ssd).toBeLessThan(1e-9);
	});

	it('no drift on a constant or alternating stream', () => {
		expect(runDetector(new ADWIN(), new Array(5000).fill(1.0)).drifts).toEqual([]);
		expect(
			runDetector(
				new ADWIN(),
				Array.from({ length: 2000 }, (_, i) => i % 2)
			).drifts
		).toEqual([]);
	});

	it('grace period: no detection while width <= gracePeriod', () => {
		const a = new ADWIN({ gracePeriod: 100, clock: 1 });
		const values = [...new Array(50).fill(0), ...new Array(50).fill(1000)];
		expect(runDetector(a, values).drifts).toEqual([]);
	});

	it('a smaller clock detects earlier', () => {
		const values = stream('river_doc_12345').values;
		expect(runDetector(new ADWIN({ clock: 1 }), values).drifts).toEqual([1002]);
		expect(runDetector(new ADWIN(), values).drifts).toEqual([1023]);
		expect(runDetector(new ADWIN({ clock: 1 }), stream('abrupt_normal').values).drifts).toEqual([1037]);
	});

	it('on detection the oldest buckets were dropped and the estimate moved to the new mean', () => {
		const a = new ADWIN({ delta: 0.01 });
		for (let i = 0; i < 1000; i++) a.update(0);
		let at = -1;
		for (let i = 0; i < 1000 && at < 0; i++) if (a.update(10).driftDetected) at = i;
		expect(at).toBeGreaterThanOrEqual(0);
		expect(a.estimation).toBeGreaterThan(5);
	});

	it('handles a long stream (exponential histogram stays small)', () => {
		const r = new PythonRandom(42);
		const a = new ADWIN();
		for (let i = 0; i < 100_000; i++) a.update(r.random());
		expect(a.width).toBeGreaterThan(0);
		expect(a.estimation).toBeGreaterThan(0.45);
		expect(a.estimation).toBeLessThan(0.55);
	});
});
