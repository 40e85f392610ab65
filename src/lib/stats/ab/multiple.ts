/**
 * Multiple-comparison adjustments of p-values, as statsmodels.stats.multitest.multipletests:
 * 'holm' (Holm–Bonferroni step-down, controls the family-wise error rate) and 'bh'
 * (Benjamini–Hochberg step-up, statsmodels 'fdr_bh', controls the false discovery rate).
 */
import { benjaminiHochberg } from '#lib/stats/fdr.ts';

export type Correction = 'holm' | 'bh';
export const CORRECTIONS: readonly Correction[] = ['holm', 'bh'];

function sortedOrder(p: readonly number[]): number[] {
	return p.map((_, i) => i).sort((a, b) => p[a] - p[b] || a - b);
}

export function holm(pValues: readonly number[]): number[] {
	const m = pValues.length;
	const order = sortedOrder(pValues);
	const out = new Array<number>(m);
	let running = 0;
	order.forEach((idx, rank) => {
		running = Math.max(running, pValues[idx] * (m - rank));
		out[idx] = Math.min(1, running);
	});
	return out;
}

export function adjustPValues(pValues: readonly number[], method: Correction): number[] {
	return method === 'holm' ? holm(pValues) : benjaminiHochberg(pValues).adjusted;
}
