/**
 * Fisher's exact test on a 2×2 table, two-sided, following
 * scipy.stats.fisher_exact (SciPy 1.10): the p-value sums the hypergeometric
 * probabilities of all tables no more likely than the observed one (relative
 * tolerance 1e-14), located with SciPy's binary search.
 *
 * SciPy evaluates the hypergeometric pmf/cdf with Boost; here the pmf is
 * obtained from exact ratios of consecutive probabilities carried in
 * double-double from the mode, then normalised, which is accurate to a few
 * ulps as well.
 */

import { prodErr } from './double-double';
import type { TestResult } from './types';

export interface FisherResult extends TestResult<'exact'> {
	/** Sample odds ratio c00·c11 / (c01·c10) (Infinity when a denominator cell is 0, NaN for an empty row or column). */
	oddsRatio: number;
}

/** Hypergeometric distribution: `draws` draws from `total` items of which `good` are good. */
class Hypergeom {
	readonly lo: number;
	readonly hi: number;
	private readonly wHi: Float64Array;
	private readonly wLo: Float64Array;
	private readonly tHi: number;
	private readonly tLo: number;

	constructor(total: number, good: number, draws: number) {
		this.lo = Math.max(draws - (total - good), 0);
		this.hi = Math.min(good, draws);
		const size = this.hi - this.lo + 1;
		this.wHi = new Float64Array(size);
		this.wLo = new Float64Array(size);
		// mode of the hypergeometric distribution
		let mode = Math.floor(((draws + 1) * (good + 1)) / (total + 2));
		mode = Math.min(Math.max(mode, this.lo), this.hi);
		const m = mode - this.lo;
		this.wHi[m] = 1;
		const bad = total - good;
		// upward: w(k+1) = w(k) (good - k)(draws - k) / ((k + 1)(bad - draws + k + 1))
		let hi = 1;
		let lo = 0;
		for (let k = mode; k < this.hi; k++) {
			[hi, lo] = mulRatio(hi, lo, (good - k) * (draws - k), (k + 1) * (bad - draws + k + 1));
			if (hi < 1e-300) break;
			this.wHi[k + 1 - this.lo] = hi;
			this.wLo[k + 1 - this.lo] = lo;
		}
		hi = 1;
		lo = 0;
		// downward: w(k-1) = w(k) k (bad - draws + k) / ((good - k + 1)(draws - k + 1))
		for (let k = mode; k > this.lo; k--) {
			[hi, lo] = mulRatio(hi, lo, k * (bad - draws + k), (good - k + 1) * (draws - k + 1));
			if (hi < 1e-300) break;
			this.wHi[k - 1 - this.lo] = hi;
			this.wLo[k - 1 - this.lo] = lo;
		}
		[this.tHi, this.tLo] = this.sumRange(this.lo, this.hi);
	}

	/** Σ w(k) for k in [a, b] (clamped to the support) in double-double. */
	private sumRange(a: number, b: number): [number, number] {
		let s = 0;
		let e = 0;
		const from = Math.max(a, this.lo) - this.lo;
		const to = Math.min(b, this.hi) - this.lo;
		for (let i = from; i <= to; i++) {
			const x = this.wHi[i];
			const t = s + x;
			const bb = t - s;
			e += s - (t - bb) + (x - bb) + this.wLo[i];
			s = t;
		}
		const t = s + e;
		return [t, e - (t - s)];
	}

	private ratioToTotal(sHi: number, sLo: number): number {
		// (sHi + sLo) / (tHi + tLo) to double precision
		const q = sHi / this.tHi;
		const r = sHi - q * this.tHi - prodErr(q, this.tHi) + sLo - q * this.tLo;
		return q + r / this.tHi;
	}

	pmf(k: number): number {
		if (k < this.lo || k > this.hi) return 0;
		const i = k - this.lo;
		return this.ratioToTotal(this.wHi[i], this.wLo[i]);
	}

	/**
	 * P(X <= k), summed over the tail itself: "1 − the other side" would cancel to nothing
	 * when the tail is far smaller than 1 (Fisher's small p-values).
	 */
	cdf(k: number): number {
		if (k < this.lo) return 0;
		if (k >= this.hi) return 1;
		const [s, e] = this.sumRange(this.lo, k);
		return this.ratioToTotal(s, e);
	}

	/** P(X > k), summed over the tail itself (see cdf). */
	sf(k: number): number {
		if (k < this.lo) return 1;
		if (k >= this.hi) return 0;
		const [s, e] = this.sumRange(k + 1, this.hi);
		return this.ratioToTotal(s, e);
	}
}

/** (hi + lo) · num / den in double-double, num and den exact integers below 2^53. */
function mulRatio(hi: number, lo: number, num: number, den: number): [number, number] {
	const q = num / den;
	const qLo = (num - q * den - prodErr(q, den)) / den;
	const p = hi * q;
	const pErr = prodErr(hi, q) + (hi * qLo + lo * q);
	const s = p + pErr;
	return [s, pErr - (s - p)];
}

/** SciPy's `_binary_search_for_binom_tst`. */
function binarySearch(a: (x: number) => number, d: number, lo0: number, hi0: number): number {
	let lo = lo0;
	let hi = hi0;
	while (lo < hi) {
		const mid = lo + Math.floor((hi - lo) / 2);
		const midval = a(mid);
		if (midval < d) lo = mid + 1;
		else if (midval > d) hi = mid - 1;
		else return mid;
	}
	return a(lo) <= d ? lo : lo - 1;
}

/**
 * scipy.stats.fisher_exact([[c00, c01], [c10, c11]], alternative='two-sided').
 * Rows are reference / current, columns the two categories.
 */
export function fisherExact(c00: number, c01: number, c10: number, c11: number): FisherResult {
	for (const c of [c00, c01, c10, c11]) {
		if (!(c >= 0) || Math.trunc(c) !== c) throw new Error('fisher_exact: counts must be non-negative integers');
	}
	if (c00 + c10 === 0 || c01 + c11 === 0 || c00 + c01 === 0 || c10 + c11 === 0) {
		return { statistic: NaN, pValue: 1, method: 'exact', oddsRatio: NaN };
	}
	const oddsRatio = c10 > 0 && c01 > 0 ? (c00 * c11) / (c10 * c01) : Infinity;
	const n1 = c00 + c01;
	const n2 = c10 + c11;
	const n = c00 + c10;
	const dist = new Hypergeom(n1 + n2, n1, n);
	const result = (p: number): FisherResult => ({
		statistic: oddsRatio,
		pValue: Math.min(p, 1.0),
		method: 'exact',
		oddsRatio
	});
	const mode = Math.trunc(((n + 1) * (n1 + 1)) / (n1 + n2 + 2));
	const pexact = dist.pmf(c00);
	const pmode = dist.pmf(mode);
	const epsilon = 1e-14;
	const gamma = 1 + epsilon;
	if (Math.abs(pexact - pmode) / Math.max(pexact, pmode) <= epsilon) return result(1.0);
	if (c00 < mode) {
		const plower = dist.cdf(c00);
		if (dist.pmf(n) > pexact * gamma) return result(plower);
		const guess = binarySearch((x) => -dist.pmf(x), -pexact * gamma, mode, n);
		return result(plower + dist.sf(guess));
	}
	const pupper = dist.sf(c00 - 1);
	if (dist.pmf(0) > pexact * gamma) return result(pupper);
	const guess = binarySearch((x) => dist.pmf(x), pexact * gamma, 0, mode);
	return result(pupper + dist.cdf(guess));
}
