/**
 * `np.take(values, indices)` into a new Float64Array, as a plain loop: V8's `TypedArray.from`
 * with a mapping function goes through the iterator protocol and is several times slower, which
 * the calibration check (ten splits over the reference) feels.
 */
export function take(values: ArrayLike<number>, indices: ArrayLike<number>): Float64Array {
	const n = indices.length;
	const out = new Float64Array(n);
	for (let k = 0; k < n; k++) out[k] = values[indices[k]];
	return out;
}

/** `f(i)` for i = 0 … n − 1 into a new Float64Array. */
export function tabulate(n: number, f: (i: number) => number): Float64Array {
	const out = new Float64Array(n);
	for (let i = 0; i < n; i++) out[i] = f(i);
	return out;
}
