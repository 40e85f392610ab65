/**
 * `np.argsort(x)` with NumPy's default kind ('quicksort') for float64, as NumPy 1.24 runs it
 * (numpy/core/src/npysort/quicksort.cpp `aquicksort_`, heapsort.cpp `aheapsort_`): an introsort
 * with median-of-three pivots, insertion sort from 16 elements down and heapsort past a depth of
 * 2·floor(log2 n). It is not stable, and NannyML's results depend on where it puts ties: the
 * calibration check bins isotonic outputs (full of ties) in this order, and the AUROC sampling
 * error ranks scores in it. NaN sorts last, as in NumPy.
 */

const SMALL_QUICKSORT = 15;

/** NumPy's `Tag::less` for doubles: NaN is larger than everything. */
function less(a: number, b: number): boolean {
	return a < b || (b !== b && a === a);
}

/**
 * The sort works on `keys`, a copy of the values that moves along with `tosort` (the indices), so
 * that a comparison reads the key next to its neighbours instead of `values[tosort[k]]` anywhere
 * in memory: the same comparisons and moves as NumPy's, hence the same permutation, without a
 * cache miss per comparison on large arrays.
 */
function heapsort(keys: Float64Array, tosort: Int32Array, start: number, n: number): void {
	// 1-based heap over [start, start + n − 1].
	const a = (k: number) => start + k - 1;
	let i: number;
	let j: number;
	let tmp: number;
	let tmpKey: number;
	for (let l = n >> 1; l > 0; --l) {
		tmp = tosort[a(l)];
		tmpKey = keys[a(l)];
		for (i = l, j = l << 1; j <= n;) {
			if (j < n && less(keys[a(j)], keys[a(j + 1)])) j += 1;
			if (less(tmpKey, keys[a(j)])) {
				tosort[a(i)] = tosort[a(j)];
				keys[a(i)] = keys[a(j)];
				i = j;
				j += j;
			} else break;
		}
		tosort[a(i)] = tmp;
		keys[a(i)] = tmpKey;
	}
	for (; n > 1;) {
		tmp = tosort[a(n)];
		tmpKey = keys[a(n)];
		tosort[a(n)] = tosort[a(1)];
		keys[a(n)] = keys[a(1)];
		n -= 1;
		for (i = 1, j = 2; j <= n;) {
			if (j < n && less(keys[a(j)], keys[a(j + 1)])) j++;
			if (less(tmpKey, keys[a(j)])) {
				tosort[a(i)] = tosort[a(j)];
				keys[a(i)] = keys[a(j)];
				i = j;
				j += j;
			} else break;
		}
		tosort[a(i)] = tmp;
		keys[a(i)] = tmpKey;
	}
}

/** The permutation that sorts `values`, exactly as `np.argsort(values)` (kind='quicksort') orders ties. */
export function numpyArgsort(values: ArrayLike<number>): Int32Array {
	const num = values.length;
	const keys = Float64Array.from(values);
	const tosort = new Int32Array(num);
	for (let i = 0; i < num; i++) tosort[i] = i;
	if (num < 2) return tosort;
	const stack: number[] = [];
	const depths: number[] = [];
	let pl = 0;
	let pr = num - 1;
	let cdepth = 2 * (31 - Math.clz32(num)); // npy_get_msb(num) * 2
	const swap = (x: number, y: number) => {
		const t = tosort[x];
		tosort[x] = tosort[y];
		tosort[y] = t;
		const k = keys[x];
		keys[x] = keys[y];
		keys[y] = k;
	};
	for (;;) {
		if (cdepth < 0) {
			heapsort(keys, tosort, pl, pr - pl + 1);
		} else {
			while (pr - pl > SMALL_QUICKSORT) {
				// Median of three; `less` written out in the hot loops.
				const pm = pl + ((pr - pl) >> 1);
				if (less(keys[pm], keys[pl])) swap(pm, pl);
				if (less(keys[pr], keys[pm])) swap(pr, pm);
				if (less(keys[pm], keys[pl])) swap(pm, pl);
				const vp = keys[pm];
				const vpNaN = vp !== vp;
				let pi = pl;
				let pj = pr - 1;
				swap(pm, pj);
				for (;;) {
					let a: number;
					do a = keys[++pi];
					while (a < vp || (vpNaN && a === a));
					do a = keys[--pj];
					while (vp < a || (a !== a && !vpNaN));
					if (pi >= pj) break;
					swap(pi, pj);
				}
				const pk = pr - 1;
				swap(pi, pk);
				// Push the larger partition, go on with the smaller one.
				if (pi - pl < pr - pi) {
					stack.push(pi + 1, pr);
					pr = pi - 1;
				} else {
					stack.push(pl, pi - 1);
					pl = pi + 1;
				}
				depths.push(--cdepth);
			}
			// Insertion sort.
			for (let pi = pl + 1; pi <= pr; ++pi) {
				const vi = tosort[pi];
				const vp = keys[pi];
				let pj = pi;
				let pk = pi - 1;
				while (pj > pl && less(vp, keys[pk])) {
					tosort[pj] = tosort[pk];
					keys[pj--] = keys[pk--];
				}
				tosort[pj] = vi;
				keys[pj] = vp;
			}
		}
		if (stack.length === 0) break;
		pr = stack.pop() as number;
		pl = stack.pop() as number;
		cdepth = depths.pop() as number;
	}
	return tosort;
}
