/**
 * Benjamini–Hochberg false discovery rate control, as statsmodels'
 * `multipletests(p, alpha, method='fdr_bh')`: with p sorted ascending and i = 1…m,
 * hypothesis i is rejected when some k ≥ i has p(k) ≤ k/m·α; adjusted
 * p(i) = min over k ≥ i of p(k)·m/k, capped at 1.
 */

export interface FdrResult {
	/** BH-adjusted p-values (q-values), in input order. */
	adjusted: number[];
	/** Rejected at the FDR level α, in input order. */
	rejected: boolean[];
	alpha: number;
}

export function benjaminiHochberg(pValues: readonly number[], alpha = 0.05): FdrResult {
	if (!(alpha > 0 && alpha < 1)) throw new Error(`the FDR level must be between 0 and 1 (got ${alpha})`);
	const m = pValues.length;
	pValues.forEach((p, i) => {
		if (!(p >= 0 && p <= 1)) throw new Error(`p-value ${i} is ${p}: p-values must be in [0, 1]`);
	});
	const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => pValues[a] - pValues[b] || a - b);
	const adjusted = new Array<number>(m);
	const rejected = new Array<boolean>(m).fill(false);
	// Largest rank k with p(k) <= k/m * alpha: ranks 1..k are rejected.
	let last = -1;
	for (let k = 0; k < m; k++) {
		const ecdf = (k + 1) / m;
		if (pValues[order[k]] <= ecdf * alpha) last = k;
	}
	for (let k = 0; k <= last; k++) rejected[order[k]] = true;
	let running = Infinity;
	for (let k = m - 1; k >= 0; k--) {
		const raw = pValues[order[k]] / ((k + 1) / m);
		running = Math.min(running, raw);
		adjusted[order[k]] = Math.min(running, 1);
	}
	return { adjusted, rejected, alpha };
}
