/**
 * Window math for virtualized tables and card lists: which columns (of thousands, each with its
 * own width) are in view, which blocks of cells to fetch for them, where to scroll to show a
 * column, and which columns a "jump to column" search finds. Pure, so that it is unit-tested.
 */

/** Left edge of each column measured from the first data column; the last entry is the total width. */
export function columnOffsets(widths: readonly number[]): Float64Array {
	const offsets = new Float64Array(widths.length + 1);
	for (let i = 0; i < widths.length; i++) offsets[i + 1] = offsets[i] + widths[i];
	return offsets;
}

/** The column under `x` (pixels from the first data column's left edge), clamped to the table. */
export function columnAt(offsets: Float64Array, x: number): number {
	const n = offsets.length - 1;
	if (n <= 0) return 0;
	if (x <= 0) return 0;
	if (x >= offsets[n]) return n - 1;
	// The last column whose left edge is at or before x.
	let lo = 0;
	let hi = n - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (offsets[mid] <= x) lo = mid;
		else hi = mid - 1;
	}
	return lo;
}

/** A half-open range of indices [from, to). */
export interface Span {
	from: number;
	to: number;
}

/**
 * The columns to put in the DOM: those that overlap [scrollLeft, scrollLeft + viewport) plus
 * `overscan` on each side, so that a short scroll shows cells that are already there.
 */
export function columnWindow(offsets: Float64Array, scrollLeft: number, viewport: number, overscan = 2): Span {
	const n = offsets.length - 1;
	if (n <= 0) return { from: 0, to: 0 };
	const first = columnAt(offsets, scrollLeft);
	const last = columnAt(offsets, scrollLeft + Math.max(1, viewport) - 1);
	return { from: Math.max(0, first - overscan), to: Math.min(n, last + 1 + overscan) };
}

/** The blocks of `size` items that cover a span (block k holds items k*size … (k+1)*size-1). */
export function blocksOf(span: Span, size: number): number[] {
	if (span.to <= span.from) return [];
	const out: number[] = [];
	for (let b = Math.floor(span.from / size); b <= Math.floor((span.to - 1) / size); b++) out.push(b);
	return out;
}

/** The span of items in block `block` of `size`, for a list of `count` items. */
export function blockSpan(block: number, size: number, count: number): Span {
	return { from: block * size, to: Math.min(count, (block + 1) * size) };
}

/** The horizontal scroll position that puts column `index` at the left edge (or as near as the end allows). */
export function scrollLeftFor(offsets: Float64Array, index: number, viewport: number): number {
	const n = offsets.length - 1;
	if (n <= 0) return 0;
	const i = Math.max(0, Math.min(n - 1, index));
	return Math.max(0, Math.min(offsets[i], offsets[n] - viewport));
}

/**
 * Columns whose name matches `query` (case-insensitive): exact names first, then names that
 * start with it, then names that contain it; each group in table order. At most `limit`.
 */
export function matchColumns(names: readonly string[], query: string, limit = 20): number[] {
	const q = query.trim().toLowerCase();
	if (q === '') return [];
	const exact: number[] = [];
	const prefix: number[] = [];
	const inside: number[] = [];
	for (let i = 0; i < names.length; i++) {
		const name = names[i].toLowerCase();
		if (name === q) exact.push(i);
		else if (name.startsWith(q)) {
			if (prefix.length < limit) prefix.push(i);
		} else if (inside.length < limit && name.includes(q)) inside.push(i);
	}
	return [...exact, ...prefix, ...inside].slice(0, limit);
}

/**
 * Rows of a fixed-height virtualized list: the first and last row to render (with overscan)
 * for a scroll position, and the offset of the first one.
 */
export function rowWindow(count: number, rowHeight: number, scrollTop: number, viewport: number, overscan = 1): Span & { top: number } {
	if (count <= 0) return { from: 0, to: 0, top: 0 };
	const first = Math.max(0, Math.min(count - 1, Math.floor(scrollTop / rowHeight)) - overscan);
	const last = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
	return { from: first, to: Math.max(first + 1, last), top: first * rowHeight };
}
