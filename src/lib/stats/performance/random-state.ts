/**
 * The draws of NumPy's legacy `np.random.RandomState(seed)` (integer seed) that scikit-learn's
 * `StratifiedShuffleSplit(random_state=42)` makes: `permutation(n)`, `permutation(array)` and
 * `choice(array, size, replace=False)`, and `randint(0, high)`, which seeds every tree of
 * scikit-learn's gradient boosting (multivariate/gradient-boosting.ts). Shuffles are NumPy's Fisher–Yates from the end with
 * `random_interval` (masked rejection sampling on 32-bit outputs).
 */

import { Mt19937 } from '#lib/stats/mt19937.ts';

export class RandomState {
	private readonly mt = new Mt19937();

	constructor(seed: number) {
		if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`RandomState: seed must be in [0, 2^32), got ${seed}`);
		this.mt.initGenrand(seed);
	}

	/** `random_interval(max)`: uniform in [0, max] for max < 2^32. */
	private interval(max: number): number {
		if (max === 0) return 0;
		let mask = max;
		mask |= mask >>> 1;
		mask |= mask >>> 2;
		mask |= mask >>> 4;
		mask |= mask >>> 8;
		mask |= mask >>> 16;
		mask >>>= 0;
		let value: number;
		while ((value = (this.mt.nextUint32() & mask) >>> 0) > max);
		return value;
	}

	/** Legacy `randint(0, high)` for 0 < high ≤ 2^32: the same masked rejection sampling. */
	randint(high: number): number {
		return this.interval(high - 1);
	}

	/** `shuffle(x)` in place. */
	shuffle(x: Int32Array): void {
		for (let i = x.length - 1; i >= 1; i--) {
			const j = this.interval(i);
			const t = x[j];
			x[j] = x[i];
			x[i] = t;
		}
	}

	/** `permutation(n)` (a number) or `permutation(array)` (a shuffled copy). */
	permutation(x: number | ArrayLike<number>): Int32Array {
		let out: Int32Array;
		if (typeof x === 'number') {
			out = new Int32Array(x);
			for (let i = 0; i < x; i++) out[i] = i;
		} else out = Int32Array.from(x);
		this.shuffle(out);
		return out;
	}

	/** `choice(a, size, replace=False)` without probabilities. */
	choiceWithoutReplacement(a: ArrayLike<number>, size: number): Int32Array {
		if (size > a.length) throw new RangeError("Cannot take a larger sample than population when 'replace=False'");
		const idx = this.permutation(a.length).subarray(0, size);
		return Int32Array.from(idx, (k) => a[k]);
	}
}
