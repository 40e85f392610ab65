/**
 * Reference and current distributions of a column, for side-by-side plots: histograms on
 * shared bin edges for numerical columns (NumPy's Sturges edges over both samples, the bins
 * PSI, Jensen–Shannon and Hellinger use, counted as numpy.histogram does), category shares
 * otherwise. One pass over the data, no sorting: cheap next to the tests themselves.
 */

import { isMissingString, type Column } from './column';
import { parseNumber, type ColumnKind } from './column-kind';
import { linspace } from './histogram';

/** Categories beyond this many (by total count) are pooled into one "other" bar. */
export const DISTRIBUTION_MAX_CATEGORIES = 20;

export interface NumericalDistribution {
	column: string;
	kind: 'numerical';
	/** Bin edges, one more than bins. */
	edges: number[];
	/** Share of non-missing rows in each bin (0–1). */
	reference: number[];
	current: number[];
	reference_count: number;
	current_count: number;
}

export interface CategoricalDistribution {
	column: string;
	kind: Exclude<ColumnKind, 'numerical'>;
	categories: string[];
	reference: number[];
	current: number[];
	reference_count: number;
	current_count: number;
	/** Categories pooled into the last "other" entry (0: none). */
	pooled: number;
}

export type ColumnDistribution = NumericalDistribution | CategoricalDistribution;

function numbers(column: Column): Float64Array {
	if (column.type === 'number') return column.values;
	const out = new Float64Array(column.values.length);
	for (let i = 0; i < out.length; i++) {
		const s = column.values[i];
		out[i] = isMissingString(s) ? NaN : parseNumber(String(s));
	}
	return out;
}

function range(values: Float64Array): { min: number; max: number; count: number } {
	let min = Infinity;
	let max = -Infinity;
	let count = 0;
	for (let i = 0; i < values.length; i++) {
		const x = values[i];
		if (Number.isNaN(x)) continue;
		count++;
		if (x < min) min = x;
		if (x > max) max = x;
	}
	return { min, max, count };
}

/** numpy.histogram's uniform-bin counting: index by arithmetic, then corrected against the edges. */
function uniformHistogram(values: Float64Array, edges: Float64Array): Float64Array {
	const nb = edges.length - 1;
	const counts = new Float64Array(nb);
	const first = edges[0];
	const last = edges[nb];
	const norm = nb / (last - first);
	for (let i = 0; i < values.length; i++) {
		const x = values[i];
		if (!(x >= first && x <= last)) continue;
		let k = Math.floor((x - first) * norm);
		if (k >= nb) k = nb - 1;
		if (x < edges[k]) k--;
		else if (k + 1 < nb && x >= edges[k + 1]) k++;
		counts[k]++;
	}
	return counts;
}

function categoryCounts(column: Column, counts: Map<string, number>): number {
	let total = 0;
	const n = column.values.length;
	for (let i = 0; i < n; i++) {
		let key: string;
		if (column.type === 'number') {
			const x = column.values[i];
			if (Number.isNaN(x)) continue;
			key = String(x);
		} else {
			const s = column.values[i];
			if (isMissingString(s)) continue;
			key = String(s);
		}
		counts.set(key, (counts.get(key) ?? 0) + 1);
		total++;
	}
	return total;
}

function shares(counts: ArrayLike<number>, total: number): number[] {
	return Array.from(counts, (c) => (total > 0 ? c / total : 0));
}

/**
 * The two distributions of one column of the given kind (the drift report's); null when a
 * sample is empty after dropping missing values.
 */
export function columnDistribution(
	column: string,
	reference: Column,
	current: Column,
	kind: ColumnKind,
	maxCategories = DISTRIBUTION_MAX_CATEGORIES
): ColumnDistribution | null {
	if (kind === 'numerical') {
		const r = numbers(reference);
		const c = numbers(current);
		const rr = range(r);
		const cr = range(c);
		if (rr.count === 0 || cr.count === 0) return null;
		// numpy.histogram_bin_edges(concat, bins='sturges')
		const lo = Math.min(rr.min, cr.min);
		const hi = Math.max(rr.max, cr.max);
		let first = lo;
		let last = hi;
		if (first === last) {
			first -= 0.5;
			last += 0.5;
		}
		const width = (hi - lo) / (Math.log2(rr.count + cr.count) + 1.0);
		const bins = width ? Math.ceil((last - first) / width) : 1;
		const edges = linspace(first, last, bins + 1);
		return {
			column,
			kind,
			edges: Array.from(edges),
			reference: shares(uniformHistogram(r, edges), rr.count),
			current: shares(uniformHistogram(c, edges), cr.count),
			reference_count: rr.count,
			current_count: cr.count
		};
	}
	const refCounts = new Map<string, number>();
	const curCounts = new Map<string, number>();
	const refTotal = categoryCounts(reference, refCounts);
	const curTotal = categoryCounts(current, curCounts);
	if (refTotal === 0 || curTotal === 0) return null;
	const all = [...new Set([...refCounts.keys(), ...curCounts.keys()])].sort();
	const refOf = (k: string) => refCounts.get(k) ?? 0;
	const curOf = (k: string) => curCounts.get(k) ?? 0;
	const order = all.map((_, i) => i).sort((a, b) => refOf(all[b]) + curOf(all[b]) - (refOf(all[a]) + curOf(all[a])) || a - b);
	const keep = order.length > maxCategories ? order.slice(0, maxCategories - 1) : order;
	const rest = order.slice(keep.length);
	const categories = keep.map((i) => all[i]);
	const ref = keep.map((i) => refOf(all[i]));
	const cur = keep.map((i) => curOf(all[i]));
	if (rest.length > 0) {
		categories.push(`(${rest.length} others)`);
		ref.push(rest.reduce((s, i) => s + refOf(all[i]), 0));
		cur.push(rest.reduce((s, i) => s + curOf(all[i]), 0));
	}
	return {
		column,
		kind,
		categories,
		reference: shares(ref, refTotal),
		current: shares(cur, curTotal),
		reference_count: refTotal,
		current_count: curTotal,
		pooled: rest.length
	};
}
