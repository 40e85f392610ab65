/**
 * Reference and current distributions of a column, for side-by-side plots: histograms on
 * shared bin edges for numerical columns (NumPy's Sturges edges over both samples, the bins
 * PSI, Jensen–Shannon and Hellinger use, counted as numpy.histogram does), category shares
 * otherwise. Taken from the column's prepared data (sorted samples, category counts) where it
 * is tested, so they cost no pass over the rows.
 */

import type { ColumnKind, PreparedColumn } from './column-kind';
import { histogramCounts, sturgesEdges } from './histogram';

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

function shares(counts: ArrayLike<number>, total: number): number[] {
	return Array.from(counts, (c) => (total > 0 ? c / total : 0));
}

/**
 * The two distributions of one column from the data its drift tests work on (prepareColumn):
 * numerical bins counted on the sorted samples by binary search, categories from the counts
 * already taken; no pass over the rows. Null when a sample is empty after dropping missing values.
 */
export function columnDistribution(column: string, data: PreparedColumn, maxCategories = DISTRIBUTION_MAX_CATEGORIES): ColumnDistribution | null {
	const refTotal = data.reference.count;
	const curTotal = data.current.count;
	if (refTotal === 0 || curTotal === 0) return null;
	if (data.kind === 'numerical') {
		const edges = sturgesEdges(data.ref, data.cur);
		return {
			column,
			kind: data.kind,
			edges: Array.from(edges),
			reference: shares(histogramCounts(data.ref, edges), refTotal),
			current: shares(histogramCounts(data.cur, edges), curTotal),
			reference_count: refTotal,
			current_count: curTotal
		};
	}
	const all = data.categories;
	const refOf = (i: number) => data.refCounts[i];
	const curOf = (i: number) => data.curCounts[i];
	const order = all.map((_, i) => i).sort((a, b) => refOf(b) + curOf(b) - (refOf(a) + curOf(a)) || a - b);
	const keep = order.length > maxCategories ? order.slice(0, maxCategories - 1) : order;
	const rest = order.slice(keep.length);
	const categories = keep.map((i) => all[i]);
	const ref = keep.map(refOf);
	const cur = keep.map(curOf);
	if (rest.length > 0) {
		categories.push(`(${rest.length} others)`);
		ref.push(rest.reduce((s, i) => s + refOf(i), 0));
		cur.push(rest.reduce((s, i) => s + curOf(i), 0));
	}
	return {
		column,
		kind: data.kind,
		categories,
		reference: shares(ref, refTotal),
		current: shares(cur, curTotal),
		reference_count: refTotal,
		current_count: curTotal,
		pooled: rest.length
	};
}
