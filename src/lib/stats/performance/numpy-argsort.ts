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

function heapsort(v: ArrayLike<number>, tosort: Int32Array, start: number, n: number): void {
	// 1-based heap over tosort[start .. start + n - 1].
	const a = (k: number) => start + k - 1;
	let i: number;
	let j: number;
	let tmp: number;
	for (let l = n >> 1; l > 0; --l) {
		tmp = tosort[a(l)];
		for (i = l, j = l << 1; j <= n;) {
			if (j < n && less(v[tosort[a(j)]], v[tosort[a(j + 1)]])) j += 1;
			if (less(v[tmp], v[tosort[a(j)]])) {
				tosort[a(i)] = tosort[a(j)];
				i = j;
				j += j;
			} else break;
		}
		tosort[a(i)] = tmp;
	}
	for (; n > 1;) {
		tmp = tosort[a(n)];
		tosort[a(n)] = tosort[a(1)];
		n -= 1;
		for (i = 1, j = 2; j <= n;) {
			if (j < n && less(v[tosort[a(j)]], v[tosort[a(j + 1)]])) j++;
			if (less(v[tmp], v[tosort[a(j)]])) {
				tosort[a(i)] = tosort[a(j)];
				i = j;
				j += j;
			} else break;
		}
		tosort[a(i)] = tmp;
	}
}

/** The permutation that sorts `values`, exactly as `np.argsort(values)` (kind='quicksort') orders ties. */
export function numpyArgsort(values: ArrayLike<number>): Int32Array {
	const num = values.length;
	// A typed copy keeps the hot loops monomorphic whatever array the caller holds.
	const v = values instanceof Float64Array ? values : Float64Array.from(values);
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
	};
	for (;;) {
		if (cdepth < 0) {
			heapsort(v, tosort, pl, pr - pl + 1);
		} else {
			while (pr - pl > SMALL_QUICKSORT) {
				// Median of three; `less` written out in the hot loops.
				const pm = pl + ((pr - pl) >> 1);
				if (less(v[tosort[pm]], v[tosort[pl]])) swap(pm, pl);
				if (less(v[tosort[pr]], v[tosort[pm]])) swap(pr, pm);
				if (less(v[tosort[pm]], v[tosort[pl]])) swap(pm, pl);
				const vp = v[tosort[pm]];
				const vpNaN = vp !== vp;
				let pi = pl;
				let pj = pr - 1;
				swap(pm, pj);
				for (;;) {
					let a: number;
					do a = v[tosort[++pi]];
					while (a < vp || (vpNaN && a === a));
					do a = v[tosort[--pj]];
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
				const vp = v[vi];
				let pj = pi;
				let pk = pi - 1;
				while (pj > pl && less(vp, v[tosort[pk]])) tosort[pj--] = tosort[pk--];
				tosort[pj] = vi;
			}
		}
		if (stack.length === 0) break;
		pr = stack.pop() as number;
		pl = stack.pop() as number;
		cdepth = depths.pop() as number;
	}
	return tosort;
}
