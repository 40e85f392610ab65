/**
 * NumPy-compatible histogram helpers:
 * - `sturgesEdges`: numpy.histogram_bin_edges(concat(a, b), bins='sturges')
 * - `histogramCounts`: numpy.histogram(a, bins=edges)[0] — bins closed on the
 *   left, the last bin also closed on the right, values outside ignored.
 */

/** Lower bound: first index with a[i] >= x (a sorted ascending). */
function lowerBound(a: ArrayLike<number>, x: number): number {
	let lo = 0;
	let hi = a.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (a[mid] < x) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** Upper bound: first index with a[i] > x (a sorted ascending). */
function upperBound(a: ArrayLike<number>, x: number): number {
	let lo = 0;
	let hi = a.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (a[mid] <= x) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** numpy.linspace(start, stop, num) (endpoint=True) in float64. */
export function linspace(start: number, stop: number, num: number): Float64Array {
	const y = new Float64Array(num);
	const div = num - 1;
	const delta = stop - start;
	if (div > 0) {
		const step = delta / div;
		if (step === 0) {
			for (let i = 0; i < num; i++) y[i] = (i / div) * delta + start;
		} else {
			for (let i = 0; i < num; i++) y[i] = i * step + start;
		}
	} else {
		for (let i = 0; i < num; i++) y[i] = i * delta + start;
	}
	if (num > 1) y[num - 1] = stop;
	return y;
}

/**
 * numpy.histogram_bin_edges(concatenate([a, b]), bins='sturges') for two
 * sorted, non-empty, finite samples.
 */
export function sturgesEdges(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
	const n = a.length + b.length;
	if (a.length === 0 || b.length === 0) throw new Error('histogram: samples must not be empty');
	const lo = Math.min(a[0], b[0]);
	const hi = Math.max(a[a.length - 1], b[b.length - 1]);
	let first = lo;
	let last = hi;
	if (first === last) {
		first -= 0.5;
		last += 0.5;
	}
	const width = (hi - lo) / (Math.log2(n) + 1.0);
	const nBins = width ? Math.ceil((last - first) / width) : 1;
	return linspace(first, last, nBins + 1);
}

/** numpy.histogram(a, bins=edges)[0] for a sorted sample. */
export function histogramCounts(sorted: ArrayLike<number>, edges: ArrayLike<number>): Float64Array {
	const nb = edges.length - 1;
	const counts = new Float64Array(nb);
	let prev = lowerBound(sorted, edges[0]);
	for (let i = 0; i < nb; i++) {
		const next = i === nb - 1 ? upperBound(sorted, edges[nb]) : lowerBound(sorted, edges[i + 1]);
		counts[i] = next - prev;
		prev = next;
	}
	return counts;
}
