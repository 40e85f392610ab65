/**
 * A seedable PRNG that reproduces CPython's `random.Random` (3.x, MT19937)
 * draw for draw, for the calls KSWIN needs:
 *
 * - `new PythonRandom(seed)` ≡ `random.Random(seed)` for an integer seed
 *   (init_by_array over the 32-bit words of |seed|, as `random_seed` in
 *   Modules/_randommodule.c does);
 * - `random()` ≡ `random.random()` (53-bit double from two 32-bit outputs);
 * - `getrandbits(k)` ≡ `random.getrandbits(k)` for 0 ≤ k ≤ 32;
 * - `randbelow(n)` ≡ `random._randbelow_with_getrandbits(n)` (rejection
 *   sampling on n.bit_length() bits, CPython ≥ 3.10);
 * - `sampleRange(n, k)` ≡ `random.sample(range(n), k)` (CPython 3.11: the
 *   "pool" method when n <= 21 + 4**ceil(log(3k, 4)), else the "set" method).
 *
 * River's KSWIN draws its reference subsample with
 * `random.Random(seed).sample(range(window_size - stat_size), stat_size)`, so
 * with this class our KSWIN sees the same indices as River's for the same
 * integer seed. The equivalence is checked against CPython's output in
 * test/unit/stats/detectors/python-random.test.ts.
 */

import { Mt19937 } from '#lib/stats/mt19937.ts';

const TWO_32 = 4294967296;

export class PythonRandom {
	private readonly mt = new Mt19937();

	/** `seed`: a safe integer (CPython uses its absolute value). */
	constructor(seed: number) {
		this.seed(seed);
	}

	/** Re-seed, as `random.seed(seed)` with an int. */
	seed(seed: number): void {
		if (!Number.isSafeInteger(seed)) throw new RangeError(`PythonRandom: seed must be a safe integer, got ${seed}`);
		let n = Math.abs(seed);
		const key: number[] = [];
		if (n === 0) key.push(0);
		while (n > 0) {
			key.push(n % TWO_32);
			n = Math.floor(n / TWO_32);
		}
		this.mt.initByArray(key);
	}

	/** genrand_uint32: the next 32-bit output of MT19937. */
	nextUint32(): number {
		return this.mt.nextUint32();
	}

	/** `random.random()`: a double in [0, 1) with 53 random bits. */
	random(): number {
		const a = this.nextUint32() >>> 5;
		const b = this.nextUint32() >>> 6;
		return (a * 67108864.0 + b) / 9007199254740992.0;
	}

	/** `random.getrandbits(k)` for 0 <= k <= 32. */
	getrandbits(k: number): number {
		if (!Number.isInteger(k) || k < 0 || k > 32) throw new RangeError(`getrandbits: k must be in [0, 32], got ${k}`);
		if (k === 0) return 0;
		return this.nextUint32() >>> (32 - k);
	}

	/** `random._randbelow(n)`: uniform integer in [0, n), 1 <= n < 2^32. */
	randbelow(n: number): number {
		if (!Number.isInteger(n) || n < 1 || n >= TWO_32) throw new RangeError(`randbelow: n must be in [1, 2^32), got ${n}`);
		const k = 32 - Math.clz32(n); // n.bit_length()
		let r = this.getrandbits(k);
		while (r >= n) r = this.getrandbits(k);
		return r;
	}

	/** `random.sample(range(n), k)`: k distinct integers of [0, n) in selection order. */
	sampleRange(n: number, k: number): number[] {
		if (!Number.isInteger(n) || !Number.isInteger(k) || k < 0 || k > n) {
			throw new RangeError('Sample larger than population or is negative');
		}
		const result = new Array<number>(k);
		let setsize = 21; // size of a small set minus size of an empty list
		if (k > 5) setsize += 4 ** Math.ceil(Math.log(k * 3) / Math.log(4)); // table size for big sets
		if (n <= setsize) {
			// An n-length list is smaller than a k-length set.
			const pool = Array.from({ length: n }, (_, i) => i);
			for (let i = 0; i < k; i++) {
				const j = this.randbelow(n - i);
				result[i] = pool[j];
				pool[j] = pool[n - i - 1]; // move non-selected item into vacancy
			}
		} else {
			const selected = new Set<number>();
			for (let i = 0; i < k; i++) {
				let j = this.randbelow(n);
				while (selected.has(j)) j = this.randbelow(n);
				selected.add(j);
				result[i] = j;
			}
		}
		return result;
	}
}
