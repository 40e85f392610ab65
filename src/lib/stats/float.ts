/**
 * Low-level floating point helpers shared by the stats modules: C-style
 * `frexp`/`ldexp`, NumPy-compatible rounding and summation.
 *
 * Pure TypeScript, no DOM or Node APIs.
 */

const view = new DataView(new ArrayBuffer(8));

/** 2^e for an integer e in [-1022, 1023], built from its bit pattern (always exact). */
export function pow2(e: number): number {
	view.setUint32(0, ((e + 1023) << 20) >>> 0);
	view.setUint32(4, 0);
	return view.getFloat64(0);
}

const TWO_P64 = 18446744073709551616; // 2^64

/**
 * C `frexp`: returns `[m, e]` with `x = m * 2^e` and `0.5 <= |m| < 1`
 * (`[x, 0]` for 0, ±Infinity and NaN).
 */
export function frexp(x: number): [number, number] {
	if (x === 0 || !Number.isFinite(x)) return [x, 0];
	let shift = 0;
	let ax = Math.abs(x);
	if (ax < 2.2250738585072014e-308) {
		// subnormal: scale into the normal range first (exact)
		ax *= TWO_P64;
		shift = 64;
	}
	view.setFloat64(0, ax);
	const hi = view.getUint32(0);
	const biased = (hi >>> 20) & 0x7ff;
	const e = biased - 1022;
	// set the exponent field to 1022 -> value in [0.5, 1)
	view.setUint32(0, (hi & 0x800fffff) | (1022 << 20));
	const m = view.getFloat64(0);
	return [x < 0 ? -m : m, e - shift];
}

/** C `ldexp`: x * 2^e, exact unless the result is subnormal (then rounded once). */
export function ldexp(x: number, e: number): number {
	if (x === 0 || !Number.isFinite(x) || e === 0) return x;
	const [m, ex] = frexp(x);
	const t = ex + e; // x * 2^e = m * 2^t, 0.5 <= |m| < 1
	if (t > 1024) return m > 0 ? Infinity : -Infinity;
	if (t >= -1021) return m * 2 * pow2(t - 1);
	if (t < -1100) return m > 0 ? 0 : -0;
	// m * 2^(t + 1022) is exact and normal; the final scaling rounds once.
	return m * pow2(t + 1022) * pow2(-1022);
}

/** NumPy `np.round` / Python `round` for a float to integer: round half to even. */
export function roundHalfEven(x: number): number {
	const f = Math.floor(x);
	const diff = x - f;
	if (diff < 0.5) return f;
	if (diff > 0.5) return f + 1;
	return f % 2 === 0 ? f : f + 1;
}

/**
 * NumPy's pairwise summation (`np.add.reduce` on a contiguous float64 array):
 * blocks of at most 128 summed with 8 interleaved accumulators, larger
 * arrays split recursively. Result within O(log n) ulps; used where we want
 * to follow NumPy's rounding closely.
 */
export function pairwiseSum(a: ArrayLike<number>, start = 0, n = a.length - start): number {
	if (n < 8) {
		let res = 0;
		for (let i = 0; i < n; i++) res += a[start + i];
		return res;
	}
	if (n <= 128) {
		let r0 = a[start],
			r1 = a[start + 1],
			r2 = a[start + 2],
			r3 = a[start + 3],
			r4 = a[start + 4],
			r5 = a[start + 5],
			r6 = a[start + 6],
			r7 = a[start + 7];
		const end8 = n - (n % 8);
		let i = 8;
		for (; i < end8; i += 8) {
			const j = start + i;
			r0 += a[j];
			r1 += a[j + 1];
			r2 += a[j + 2];
			r3 += a[j + 3];
			r4 += a[j + 4];
			r5 += a[j + 5];
			r6 += a[j + 6];
			r7 += a[j + 7];
		}
		let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
		for (; i < n; i++) res += a[start + i];
		return res;
	}
	let n2 = Math.floor(n / 2);
	n2 -= n2 % 8;
	return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/**
 * A running Neumaier-compensated sum (accurate to ~1 ulp however many terms), for adding up values
 * or the partial sums of blocks one at a time.
 */
export class CompensatedSum {
	private sum = 0;
	private carry = 0;

	add(x: number): void {
		const t = this.sum + x;
		if (Math.abs(this.sum) >= Math.abs(x)) this.carry += this.sum - t + x;
		else this.carry += x - t + this.sum;
		this.sum = t;
	}

	get value(): number {
		return this.sum + this.carry;
	}
}

/** Neumaier-compensated sum (accurate to ~1 ulp independent of length). */
export function compensatedSum(a: ArrayLike<number>): number {
	const sum = new CompensatedSum();
	for (let i = 0; i < a.length; i++) sum.add(a[i]);
	return sum.value;
}

/** Mean and population standard deviation (ddof = 0), two-pass with compensated sums. */
export function meanStd(a: Float64Array): { mean: number; std: number } {
	const n = a.length;
	if (n === 0) return { mean: NaN, std: NaN };
	const mean = compensatedSum(a) / n;
	const squares = new CompensatedSum();
	for (let i = 0; i < n; i++) squares.add((a[i] - mean) ** 2);
	return { mean, std: Math.sqrt(squares.value / n) };
}
