/**
 * The MT19937 Mersenne Twister (Matsumoto & Nishimura's reference mt19937ar.c), the generator
 * under both CPython's `random.Random` (seeded by `init_by_array`) and NumPy's legacy
 * `np.random.RandomState` (seeded with an integer by `init_genrand`). The wrappers that reproduce
 * each library's draws live with their users (detectors/python-random.ts,
 * performance/random-state.ts).
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

export class Mt19937 {
	private readonly mt = new Uint32Array(N);
	private mti = N + 1;

	/** `init_genrand(s)`: the state from one 32-bit seed. */
	initGenrand(s: number): void {
		const mt = this.mt;
		mt[0] = s >>> 0;
		for (let i = 1; i < N; i++) {
			const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
			mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
		}
		this.mti = N;
	}

	/** `init_by_array(key)`: the state from 32-bit words. */
	initByArray(key: readonly number[]): void {
		this.initGenrand(19650218);
		const mt = this.mt;
		let i = 1;
		let j = 0;
		for (let k = Math.max(N, key.length); k > 0; k--) {
			const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
			// (a ^ b) is an int32, key[j] < 2^32: the sum is exact in a double; >>> 0 reduces mod 2^32.
			mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j) >>> 0;
			i++;
			j++;
			if (i >= N) {
				mt[0] = mt[N - 1];
				i = 1;
			}
			if (j >= key.length) j = 0;
		}
		for (let k = N - 1; k > 0; k--) {
			const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
			mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
			i++;
			if (i >= N) {
				mt[0] = mt[N - 1];
				i = 1;
			}
		}
		mt[0] = 0x80000000;
	}

	/** genrand_int32: the next 32-bit output. */
	nextUint32(): number {
		const mt = this.mt;
		if (this.mti >= N) {
			let kk = 0;
			let y: number;
			for (; kk < N - M; kk++) {
				y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
				mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
			}
			for (; kk < N - 1; kk++) {
				y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
				mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
			}
			y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
			mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
			this.mti = 0;
		}
		let y = mt[this.mti++];
		y ^= y >>> 11;
		y ^= (y << 7) & 0x9d2c5680;
		y ^= (y << 15) & 0xefc60000;
		y ^= y >>> 18;
		return y >>> 0;
	}
}
