/**
 * Sorting Float64 columns: an LSD radix sort on the IEEE-754 bits, several times faster than
 * `Float64Array.prototype.sort` on large arrays and giving the same order (-0 before +0, NaN
 * last). The bits are mapped so that unsigned order is numeric order (a negative number has
 * every bit flipped, a positive one only its sign bit), sorted as pairs of 32-bit words in
 * digits of 11 bits (2,048 buckets stay in the cache; 6 passes cover 64 bits), and mapped back.
 * A pass whose digit is the same for every value (the sign and exponent of most real data) is
 * skipped.
 */

/** Below this many values the built-in sort is as fast and allocates nothing. */
const RADIX_MIN = 512;
const BITS = 11;
const BUCKETS = 1 << BITS;
const MASK = BUCKETS - 1;
const PASSES = 6;

/** A little-endian machine (every engine this runs on): word 0 of a double holds its low bits. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Sorts `values` in place in ascending numeric order, as `values.sort()` does (-0 before +0,
 * NaN at the end), and returns it.
 */
export function sortFloat64(values: Float64Array): Float64Array {
	const n = values.length;
	if (n < RADIX_MIN || !LITTLE_ENDIAN) return values.sort();
	// NaNs go to the end first, so that the radix passes see only numbers
	let m = n;
	for (let i = 0; i < m; i++) {
		if (values[i] !== values[i]) {
			do m--;
			while (m > i && values[m] !== values[m]);
			values[i] = values[m];
		}
	}
	if (m < n) values.fill(NaN, m);
	if (m < RADIX_MIN) values.subarray(0, m).sort();
	else radixSort(new Uint32Array(values.buffer, values.byteOffset, 2 * m));
	return values;
}

/** The scratch buffer is kept between sorts up to this many words (32 MiB): a column's sort then allocates nothing. */
const SCRATCH_MAX_WORDS = 1 << 23;
let scratch: Uint32Array | null = null;

/** A buffer of `length` words for the passes to write into (its contents are garbage). */
function scratchWords(length: number): Uint32Array {
	if (length > SCRATCH_MAX_WORDS) return new Uint32Array(length);
	if (!scratch || scratch.length < length) scratch = new Uint32Array(Math.min(SCRATCH_MAX_WORDS, Math.max(length, 2 * (scratch?.length ?? 0))));
	return scratch.subarray(0, length);
}

/** Sorts the doubles held as (low, high) word pairs in `words`, in place. */
function radixSort(words: Uint32Array): void {
	const n = words.length >>> 1;
	const counts = new Uint32Array(PASSES * BUCKETS);
	for (let i = 0; i < 2 * n; i += 2) {
		const hi = words[i + 1];
		const flip = hi >> 31;
		const h = (hi ^ (flip | 0x80000000)) >>> 0;
		const l = (words[i] ^ flip) >>> 0;
		words[i] = l;
		words[i + 1] = h;
		counts[l & MASK]++;
		counts[BUCKETS + ((l >>> 11) & MASK)]++;
		counts[2 * BUCKETS + (((l >>> 22) | (h << 10)) & MASK)]++;
		counts[3 * BUCKETS + ((h >>> 1) & MASK)]++;
		counts[4 * BUCKETS + ((h >>> 12) & MASK)]++;
		counts[5 * BUCKETS + (h >>> 23)]++;
	}
	let src = words;
	let dst = scratchWords(2 * n);
	const offsets = new Uint32Array(BUCKETS);
	for (let p = 0; p < PASSES; p++) {
		if (!prefixSums(counts, p * BUCKETS, n, offsets)) continue;
		if (p < 2) scatterLow(src, dst, offsets, p * BITS);
		else if (p === 2) scatterMiddle(src, dst, offsets);
		else scatterHigh(src, dst, offsets, p * BITS - 32);
		const t = src;
		src = dst;
		dst = t;
	}
	if (src !== words) words.set(src);
	for (let i = 0; i < 2 * n; i += 2) {
		const h = words[i + 1];
		const flip = ~h >> 31; // all ones where the key's top bit is clear: a negative number
		words[i] = (words[i] ^ flip) >>> 0;
		words[i + 1] = (h ^ (flip | 0x80000000)) >>> 0;
	}
}

/** Bucket starts of one pass into `offsets`; false when one bucket holds every value (nothing to do). */
function prefixSums(counts: Uint32Array, base: number, n: number, offsets: Uint32Array): boolean {
	let sum = 0;
	for (let b = 0; b < BUCKETS; b++) {
		const c = counts[base + b];
		if (c === n) return false;
		offsets[b] = sum;
		sum += c;
	}
	return true;
}

function scatterLow(src: Uint32Array, dst: Uint32Array, offsets: Uint32Array, shift: number): void {
	for (let i = 0; i < src.length; i += 2) {
		const l = src[i];
		const o = 2 * offsets[(l >>> shift) & MASK]++;
		dst[o] = l;
		dst[o + 1] = src[i + 1];
	}
}

function scatterMiddle(src: Uint32Array, dst: Uint32Array, offsets: Uint32Array): void {
	for (let i = 0; i < src.length; i += 2) {
		const l = src[i];
		const h = src[i + 1];
		const o = 2 * offsets[((l >>> 22) | (h << 10)) & MASK]++;
		dst[o] = l;
		dst[o + 1] = h;
	}
}

function scatterHigh(src: Uint32Array, dst: Uint32Array, offsets: Uint32Array, shift: number): void {
	for (let i = 0; i < src.length; i += 2) {
		const h = src[i + 1];
		const o = 2 * offsets[(h >>> shift) & MASK]++;
		dst[o] = src[i];
		dst[o + 1] = h;
	}
}
