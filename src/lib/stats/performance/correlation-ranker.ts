/**
 * Which features a performance change follows: NannyML 0.13.1's `CorrelationRanker`. Fitted on the
 * reference chunks' performance (their mean), it ranks features by the Pearson correlation between
 * each feature's drift per analysis chunk and the chunk's absolute performance change from that
 * mean. Chunks where either is missing are left out; with fewer than two left the correlation is
 * NaN. As NannyML, the ranking sorts by the correlation itself, highest first (a feature whose drift
 * rises as performance moves comes first; one moving against it last), not by its absolute value;
 * `has_drifted` says whether any analysis chunk of the feature alerted.
 */

import { incbet } from '#lib/stats/special.ts';

export interface FeatureDriftSeries {
	column: string;
	/** Drift per analysis chunk (NannyML ranks jensen_shannon), in the order of the performance values. */
	values: readonly (number | null)[];
	alerts: readonly boolean[];
}

export interface RankedFeature {
	column: string;
	correlation: number;
	p_value: number;
	has_drifted: boolean;
	/** 1 for the first. */
	rank: number;
}

/** scipy.stats.pearsonr(x, y): the coefficient and its two-sided p-value (NaN for constant input). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): { correlation: number; p_value: number } {
	const n = x.length;
	if (n !== y.length) throw new Error(`pearson: ${n} and ${y.length} values`);
	if (n < 2) return { correlation: NaN, p_value: NaN };
	let mx = 0;
	let my = 0;
	for (let i = 0; i < n; i++) {
		mx += x[i];
		my += y[i];
	}
	mx /= n;
	my /= n;
	let sxx = 0;
	let syy = 0;
	let sxy = 0;
	for (let i = 0; i < n; i++) {
		const dx = x[i] - mx;
		const dy = y[i] - my;
		sxx += dx * dx;
		syy += dy * dy;
		sxy += dx * dy;
	}
	if (sxx === 0 || syy === 0) return { correlation: NaN, p_value: NaN };
	const r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
	if (n === 2) return { correlation: r, p_value: 1 };
	// scipy: 2 · sf of Beta(n/2 − 1, n/2 − 1) on [−1, 1] at |r|.
	const ab = n / 2 - 1;
	const p = Math.abs(r) === 1 ? 0 : 2 * incbet(ab, ab, (1 - Math.abs(r)) / 2);
	return { correlation: r, p_value: Math.min(1, p) };
}

/** `CorrelationRanker().fit(reference).rank(drift, analysis)`: features, best-correlated first. */
export function rankByCorrelation(
	drift: readonly FeatureDriftSeries[],
	referencePerformance: readonly number[],
	analysisPerformance: readonly number[]
): RankedFeature[] {
	const reference = referencePerformance.filter((v) => !Number.isNaN(v));
	if (reference.length === 0) throw new Error('the correlation ranker needs the performance of at least one reference chunk');
	// pandas' mean skips NaN.
	const mean = reference.reduce((s, v) => s + v, 0) / reference.length;
	const change = analysisPerformance.map((v) => Math.abs(v - mean));
	const ranked = drift.map((feature) => {
		if (feature.values.length !== change.length) {
			throw new Error(`feature "${feature.column}": drift for ${feature.values.length} chunks, performance for ${change.length}`);
		}
		const x: number[] = [];
		const y: number[] = [];
		feature.values.forEach((v, i) => {
			if (v !== null && !Number.isNaN(v) && !Number.isNaN(change[i])) {
				x.push(v);
				y.push(change[i]);
			}
		});
		return { column: feature.column, ...pearson(x, y), has_drifted: feature.alerts.some(Boolean) };
	});
	// pandas' sort_values puts NaN last; its sort is stable for one column (equal values keep their order).
	ranked.sort((a, b) => (Number.isNaN(a.correlation) ? 1 : 0) - (Number.isNaN(b.correlation) ? 1 : 0) || b.correlation - a.correlation || 0);
	return ranked.map((r, i) => ({ ...r, rank: i + 1 }));
}
