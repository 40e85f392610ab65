/**
 * McNemar's exact test for paired classifiers, statsmodels.stats.contingency_tables.mcnemar(table,
 * exact=True): with b = rows only the champion got right and c = rows only the challenger got
 * right, statistic = min(b, c) and p = min(1, 2·P(Bin(b + c, ½) ≤ min(b, c))).
 */
import { bdtr } from '#lib/stats/special.ts';
import type { TestResult } from '#lib/stats/types.ts';

export interface McNemarResult extends TestResult<'exact'> {
	pValue: number;
	/** Discordant pairs: first right / second wrong, and first wrong / second right. */
	b: number;
	c: number;
}

export function mcnemarExact(b: number, c: number): McNemarResult {
	const k = Math.min(b, c);
	const pValue = Math.min(1, bdtr(k, b + c, 0.5) * 2);
	return { statistic: k, pValue, method: 'exact', b, c };
}
