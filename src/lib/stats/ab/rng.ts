/**
 * A small seeded PRNG for resampling: xoshiro128** (Blackman & Vigna) seeded through splitmix32,
 * 32-bit integer arithmetic only, so scripts/fixtures/generate_ab_fixtures.py reproduces every
 * draw exactly.
 */
export class Xoshiro128 {
	private s0: number;
	private s1: number;
	private s2: number;
	private s3: number;

	constructor(seed: number) {
		let x = seed >>> 0;
		const next = (): number => {
			x = (x + 0x9e3779b9) >>> 0;
			let z = x;
			z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
			z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
			return (z ^ (z >>> 16)) >>> 0;
		};
		this.s0 = next();
		this.s1 = next();
		this.s2 = next();
		this.s3 = next();
		if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
	}

	/** Next 32-bit unsigned integer. */
	next(): number {
		const r = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
		const t = (this.s1 << 9) >>> 0;
		this.s2 = (this.s2 ^ this.s0) >>> 0;
		this.s3 = (this.s3 ^ this.s1) >>> 0;
		this.s1 = (this.s1 ^ this.s2) >>> 0;
		this.s0 = (this.s0 ^ this.s3) >>> 0;
		this.s2 = (this.s2 ^ t) >>> 0;
		this.s3 = rotl(this.s3, 11);
		return r;
	}

	/** An index in [0, n): floor(next() / 2^32 · n) (bias below n / 2^32, negligible here). */
	index(n: number): number {
		return Math.floor((this.next() / 4294967296) * n);
	}
}

function rotl(x: number, k: number): number {
	return ((x << k) | (x >>> (32 - k))) >>> 0;
}
