/** The A/B plots' options: a title, labelled axes with units, the zero line, one mark per variant. */
import { describe, expect, it } from 'vitest';
import { forestPlot, timelinePlot, differenceScale } from '#lib/cells/ab/plot.ts';
import { abTest } from '#lib/stats/ab/index.ts';
import { columnFromStrings, columnFromValues } from '#lib/stats/index.ts';

const group = columnFromStrings(Array.from({ length: 600 }, (_, i) => 'ABC'[i % 3]));
const converted = columnFromValues(Array.from({ length: 600 }, (_, i) => (i % 7 === 0 || (i % 3 === 1 && i % 5 === 0) ? 1 : 0)));
const revenue = columnFromValues(Array.from({ length: 600 }, (_, i) => 10 + (i % 11) + (i % 3 === 2 ? 1 : 0)));
const day = columnFromStrings(Array.from({ length: 600 }, (_, i) => `2026-03-${String(1 + Math.floor(i / 60)).padStart(2, '0')}`));

describe('forest plot', () => {
	it('shows rate differences in percentage points with a zero line', () => {
		const report = abTest({ group, metric: converted }, { control: 'A' });
		const options = forestPlot(report, 'converted');
		expect(options.title).toBe('Difference from A with 95% confidence intervals');
		expect((options.x as { label: string }).label).toBe('difference in converted rate vs A (percentage points)');
		expect((options.y as { domain: string[] }).domain).toEqual(['B', 'C']);
		expect(options.marks).toHaveLength(3);
		expect(differenceScale(report, 'converted').factor).toBe(100);
	});

	it('labels a continuous metric with its unit, and Mann–Whitney against 0.5', () => {
		const welch = abTest({ group, metric: revenue }, { control: 'A' });
		expect((forestPlot(welch, 'revenue', 'USD').x as { label: string }).label).toBe('difference in mean revenue vs A (USD)');
		expect((forestPlot(welch, 'revenue').x as { label: string }).label).toBe('difference in mean revenue vs A (revenue units)');
		const mw = abTest({ group, metric: revenue }, { control: 'A', test: 'mannwhitney' });
		const options = forestPlot(mw, 'revenue');
		expect(options.title).toMatch(/^Probability that a revenue value/);
		expect((options.x as { label: string }).label).toMatch(/0\.5 = no difference/);
		expect(options.marks).toHaveLength(2);
	});
});

describe('timeline plot', () => {
	it('has a dated x axis, a labelled y axis and the always-valid band', () => {
		const report = abTest({ group, metric: revenue, time: day }, { control: 'A' });
		const options = timelinePlot(report, 'revenue', 'USD');
		expect(options.title).toBe('Cumulative difference from A over time, with the always-valid 95% band');
		expect((options.x as { type: string; label: string }).type).toBe('utc');
		expect((options.y as { label: string }).label).toBe('cumulative difference in mean revenue vs A (USD)');
		expect(options.marks).toHaveLength(3);
	});
});
