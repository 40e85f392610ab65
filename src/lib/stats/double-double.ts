/**
 * Double-double arithmetic (a value is hi + lo with |lo| <= ulp(hi)/2), a port of
 * the subset of the QD library used by SciPy's cephes `kolmogorov.c`
 * (scipy/special/cephes/dd_real_idefs.h, dd_idefs.h). Error-free transformations
 * follow the non-FMA code paths, which give identical results.
 */

import { frexp, ldexp } from './float';

export interface DD {
	readonly hi: number;
	readonly lo: number;
}

export const DD_ZERO: DD = { hi: 0, lo: 0 };
export const DD_ONE: DD = { hi: 1, lo: 0 };
export const DD_NAN: DD = { hi: NaN, lo: NaN };
export const DD_INF: DD = { hi: Infinity, lo: Infinity };
export const DD_NEGINF: DD = { hi: -Infinity, lo: -Infinity };

export function dd(hi: number, lo = 0): DD {
	return { hi, lo };
}

// Error terms are returned through this scratch slot to avoid allocating.
let err = 0;

function quickTwoSum(a: number, b: number): number {
	const s = a + b;
	err = b - (s - a);
	return s;
}

function twoSum(a: number, b: number): number {
	const s = a + b;
	const c = s - a;
	const d = b - c;
	const e = s - c;
	err = a - e + d;
	return s;
}

function twoDiff(a: number, b: number): number {
	const s = a - b;
	const c = s - a;
	const d = b + c;
	const e = s - c;
	err = a - e - d;
	return s;
}

const SPLITTER = 134217729.0; // 2^27 + 1
const SPLIT_THRESH = 6.69692879491417e299; // 2^996
let splitLo = 0;

function twoSplit(a: number): number {
	if (a > SPLIT_THRESH || a < -SPLIT_THRESH) {
		const as = a * 3.7252902984619140625e-9; // 2^-28
		const temp = SPLITTER * as;
		const hi = temp - (temp - as);
		splitLo = (as - hi) * 268435456.0;
		return hi * 268435456.0;
	}
	const temp = SPLITTER * a;
	const hi = temp - (temp - a);
	splitLo = a - hi;
	return hi;
}

function twoProd(a: number, b: number): number {
	const p = a * b;
	const aHi = twoSplit(a);
	const aLo = splitLo;
	const bHi = twoSplit(b);
	const bLo = splitLo;
	const c = aHi * bHi - p;
	const d = c + aHi * bLo + aLo * bHi;
	err = d + aLo * bLo;
	return p;
}

export function ddIsZero(a: DD): boolean {
	return a.hi === 0;
}

export function ddIsFinite(a: DD): boolean {
	return Number.isFinite(a.hi);
}

export function ddNeg(a: DD): DD {
	return { hi: -a.hi, lo: -a.lo };
}

/** double + double */
export function addDD_d_d(a: number, b: number): DD {
	const s = twoSum(a, b);
	return { hi: s, lo: err };
}

/** double - double */
export function subDD_d_d(a: number, b: number): DD {
	const s = twoDiff(a, b);
	return { hi: s, lo: err };
}

/** double * double */
export function mulDD_d_d(a: number, b: number): DD {
	const p = twoProd(a, b);
	return { hi: p, lo: err };
}

/** dd + double */
export function addDD_dd_d(a: DD, b: number): DD {
	let s1 = twoSum(a.hi, b);
	let s2 = err;
	s2 += a.lo;
	s1 = quickTwoSum(s1, s2);
	return { hi: s1, lo: err };
}

/** dd - double */
export function subDD_dd_d(a: DD, b: number): DD {
	let s1 = twoSum(a.hi, -b);
	let s2 = err;
	s2 += a.lo;
	s1 = quickTwoSum(s1, s2);
	return { hi: s1, lo: err };
}

/** double - dd */
export function subDD_d_dd(a: number, b: DD): DD {
	let s1 = twoSum(a, -b.hi);
	let s2 = err;
	s2 -= b.lo;
	s1 = quickTwoSum(s1, s2);
	return { hi: s1, lo: err };
}

/** dd + dd (IEEE-style error bound, Briggs/Kahan). */
export function addDD(a: DD, b: DD): DD {
	let s1 = twoSum(a.hi, b.hi);
	let s2 = err;
	const t1 = twoSum(a.lo, b.lo);
	const t2 = err;
	s2 += t1;
	s1 = quickTwoSum(s1, s2);
	s2 = err;
	s2 += t2;
	s1 = quickTwoSum(s1, s2);
	return { hi: s1, lo: err };
}

export function subDD(a: DD, b: DD): DD {
	return addDD(a, ddNeg(b));
}

/** dd * dd */
export function mulDD(a: DD, b: DD): DD {
	let p1 = twoProd(a.hi, b.hi);
	let p2 = err;
	p2 += a.hi * b.lo + a.lo * b.hi;
	p1 = quickTwoSum(p1, p2);
	return { hi: p1, lo: err };
}

/** dd * double */
export function mulDD_dd_d(a: DD, b: number): DD {
	let p1 = twoProd(a.hi, b);
	const e1 = err;
	const p2 = twoProd(a.lo, b);
	const e2 = err;
	p1 = quickTwoSum(p1, e2 + p2 + e1);
	return { hi: p1, lo: err };
}

/** double * dd */
export function mulDD_d_dd(a: number, b: DD): DD {
	let p1 = twoProd(a, b.hi);
	const e1 = err;
	const p2 = twoProd(a, b.lo);
	const e2 = err;
	p1 = quickTwoSum(p1, e2 + p2 + e1);
	return { hi: p1, lo: err };
}

/** dd / dd (QD's accurate division). */
export function divDD(a: DD, b: DD): DD {
	let q1 = a.hi / b.hi;
	let r = subDD(a, mulDD_dd_d(b, q1));
	let q2 = r.hi / b.hi;
	r = subDD(r, mulDD_dd_d(b, q2));
	const q3 = r.hi / b.hi;
	q1 = quickTwoSum(q1, q2);
	q2 = err;
	return addDD_dd_d({ hi: q1, lo: q2 }, q3);
}

export function divDD_d_d(a: number, b: number): DD {
	return divDD({ hi: a, lo: 0 }, { hi: b, lo: 0 });
}

export function divDD_dd_d(a: DD, b: number): DD {
	return divDD(a, { hi: b, lo: 0 });
}

export function divDD_d_dd(a: number, b: DD): DD {
	return divDD({ hi: a, lo: 0 }, b);
}

export function ddInv(a: DD): DD {
	return divDD(DD_ONE, a);
}

export function ddFloor(a: DD): DD {
	let hi = Math.floor(a.hi);
	let lo = 0;
	if (hi === a.hi) {
		lo = Math.floor(a.lo);
		hi = quickTwoSum(hi, lo);
		lo = err;
	}
	return { hi, lo };
}

export function ddLdexp(a: DD, e: number): DD {
	return { hi: ldexp(a.hi, e), lo: ldexp(a.lo, e) };
}

/** Returns [b, e] with 0.5 <= |b.hi| < 1 (or |b.hi| == 1 with hi*lo < 0) and a = b * 2^e. */
export function ddFrexp(a: DD): [DD, number] {
	let [man, exponent] = frexp(a.hi);
	let b1 = ldexp(a.lo, -exponent);
	if (Math.abs(man) === 0.5 && man * b1 < 0) {
		man *= 2;
		b1 *= 2;
		exponent -= 1;
	}
	return [{ hi: man, lo: b1 }, exponent];
}

/** The exact rounding error of a*b: a*b - fl(a*b). */
export function prodErr(a: number, b: number): number {
	twoProd(a, b);
	return err;
}
