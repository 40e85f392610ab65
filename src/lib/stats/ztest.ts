/**
 * Two-proportion z-test with pooled variance,
 * statsmodels.stats.proportion.proportions_ztest([c1, c2], [n1, n2]) (two-sided).
 * The statistic reported is |z|.
 */

import { normSf } from './special';
import type { TestResult } from './types';

export interface ZTestResult extends TestResult<'pooled' | 'degenerate'> {
	/** The signed z statistic (reference proportion minus current proportion). */
	z: number;
}

/**
 * `count1` successes out of `nobs1` (reference) against `count2` of `nobs2` (current).
 * When the pooled proportion is 0 or 1 (both samples hold a single, identical
 * value) statsmodels returns NaN; here the test reports z = 0, p = 1 with
 * method 'degenerate'.
 */
export function proportionsZTest(count1: number, nobs1: number, count2: number, nobs2: number): ZTestResult {
	if (!(nobs1 > 0 && nobs2 > 0)) throw new Error('ztest: both samples must be non-empty');
	const prop1 = (count1 * 1) / nobs1;
	const prop2 = (count2 * 1) / nobs2;
	const diff = prop1 - prop2 - 0;
	const pPooled = ((count1 + count2) * 1) / (nobs1 + nobs2);
	const nobsFact = 0 + 1 / nobs1 + 1 / nobs2;
	const variance = pPooled * (1 - pPooled) * nobsFact;
	const std = Math.sqrt(variance);
	if (std === 0) return { statistic: 0, pValue: 1, method: 'degenerate', z: 0 };
	const z = diff / std;
	return { statistic: Math.abs(z), pValue: normSf(Math.abs(z)) * 2, method: 'pooled', z };
}
