import { describe, expect, it } from 'vitest';
import { resultTable } from '#lib/cells/ab/ab.ts';
import type { AbReport } from '#lib/stats/ab/index.ts';

describe('the ab output table', () => {
	it('holds the test statistic (a Mann–Whitney U) and P(variant > control) in full', () => {
		const report = {
			test: 'mannwhitney',
			variants: [{ variant: 'B', n: 1500, control_n: 2977, statistic: 2232588.5, probability_of_superiority: 0.5001234567, p_value: 3.2e-5, outcome: 'better' }]
		} as unknown as AbReport;
		const table = resultTable(report);
		expect(table.getChild('statistic')!.get(0)).toBe(2232588.5);
		expect(table.getChild('probability_of_superiority')!.get(0)).toBe(0.5001234567);
		expect(table.getChild('p_value')!.get(0)).toBe(3.2e-5);
	});
});
