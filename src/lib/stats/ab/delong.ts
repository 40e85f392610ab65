/**
 * DeLong's test for two correlated ROC AUCs (DeLong, DeLong & Clarke-Pearson 1988) in the
 * O(n log n) form of Sun & Xu (IEEE Signal Processing Letters, 2014): the structural components
 * come from mid-ranks within positives, within negatives and overall, instead of all
 * positive × negative pairs. Ties count ½ (the Mann–Whitney AUC).
 */
import { midranks } from '#lib/stats/performance-drift.ts';
import { ndtri, normSf } from '#lib/stats/special.ts';
import type { TestResult } from '#lib/stats/types.ts';
import { AbInputError } from './errors';

interface Components {
	auc: number;
	/** V10 over positives and V01 over negatives. */
	v10: Float64Array;
	v01: Float64Array;
}

function components(scores: ArrayLike<number>, positives: number[], negatives: number[]): Components {
	const m = positives.length;
	const n = negatives.length;
	const pos = Float64Array.from(positives, (i) => scores[i]);
	const neg = Float64Array.from(negatives, (i) => scores[i]);
	const all = new Float64Array(m + n);
	all.set(pos, 0);
	all.set(neg, m);
	const tx = midranks(pos);
	const ty = midranks(neg);
	const tz = midranks(all);
	let sum = 0;
	for (let i = 0; i < m; i++) sum += tz[i];
	const auc = sum / m / n - (m + 1) / 2 / n;
	const v10 = new Float64Array(m);
	for (let i = 0; i < m; i++) v10[i] = (tz[i] - tx[i]) / n;
	const v01 = new Float64Array(n);
	for (let j = 0; j < n; j++) v01[j] = 1 - (tz[m + j] - ty[j]) / m;
	return { auc, v10, v01 };
}

function cov(a: Float64Array, b: Float64Array): number {
	const n = a.length;
	if (n < 2) return 0;
	let ma = 0;
	let mb = 0;
	for (let i = 0; i < n; i++) {
		ma += a[i];
		mb += b[i];
	}
	ma /= n;
	mb /= n;
	let s = 0;
	for (let i = 0; i < n; i++) s += (a[i] - ma) * (b[i] - mb);
	return s / (n - 1);
}

export interface DeLongResult extends TestResult<'delong'> {
	pValue: number;
	/** AUC of the first and second scores. */
	auc1: number;
	auc2: number;
	/** auc2 − auc1. */
	difference: number;
	/** DeLong variances and covariance of the AUCs. */
	var1: number;
	var2: number;
	covariance: number;
	se: number;
	/** z of the difference (auc2 − auc1) / se. */
	z: number;
	ciLow: number;
	ciHigh: number;
	positives: number;
	negatives: number;
}

/**
 * Compares the AUCs of two scores on the same rows; `labels` are 1 (positive) and 0 (negative).
 * Two-sided p from the normal distribution; interval of auc2 − auc1 at level 1 − alpha.
 */
export function delongTest(labels: ArrayLike<number>, scores1: ArrayLike<number>, scores2: ArrayLike<number>, alpha = 0.05): DeLongResult {
	const positives: number[] = [];
	const negatives: number[] = [];
	for (let i = 0; i < labels.length; i++) {
		if (labels[i] === 1) positives.push(i);
		else if (labels[i] === 0) negatives.push(i);
		else throw new AbInputError(`DeLong test: labels must be 0 or 1, got ${labels[i]} (row ${i + 1})`, i);
	}
	const m = positives.length;
	const n = negatives.length;
	if (m < 2 || n < 2) throw new AbInputError(`DeLong test: needs at least 2 positive and 2 negative labels (has ${m} and ${n})`);
	const a = components(scores1, positives, negatives);
	const b = components(scores2, positives, negatives);
	const var1 = cov(a.v10, a.v10) / m + cov(a.v01, a.v01) / n;
	const var2 = cov(b.v10, b.v10) / m + cov(b.v01, b.v01) / n;
	const covariance = cov(a.v10, b.v10) / m + cov(a.v01, b.v01) / n;
	const difference = b.auc - a.auc;
	const v = var1 + var2 - 2 * covariance;
	const se = Math.sqrt(Math.max(0, v));
	const z = se > 0 ? difference / se : difference === 0 ? 0 : Math.sign(difference) * Infinity;
	const crit = -ndtri(alpha / 2);
	return {
		statistic: z,
		pValue: Math.min(1, 2 * normSf(Math.abs(z))),
		method: 'delong',
		auc1: a.auc,
		auc2: b.auc,
		difference,
		var1,
		var2,
		covariance,
		se,
		z,
		ciLow: difference - crit * se,
		ciHigh: difference + crit * se,
		positives: m,
		negatives: n
	};
}
