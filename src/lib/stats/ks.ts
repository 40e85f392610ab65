/**
 * Two-sample Kolmogorov–Smirnov test, a port of scipy.stats.ks_2samp (SciPy
 * 1.10) with alternative='two-sided' and method='auto':
 *
 * - exact p-value (Hodges' lattice-path counting, `_compute_prob_outside_square`
 *   for n1 == n2, `_compute_outer_prob_inside_method` otherwise) when
 *   max(n1, n2) <= 10000 (MAX_AUTO_N), falling back to the asymptotic value when
 *   the exact computation leaves [0, 1], exactly as SciPy does;
 * - otherwise kstwo.sf(D, round(n1·n2/(n1+n2))).
 *
 * The statistic is found with a single merge walk over the two sorted samples.
 */

import { roundHalfEven } from './float';
import { kstwoSf } from './kolmogorov';
import { sortFloat64 } from './sort';
import type { TestResult } from './types';

/** ks_2samp chooses the exact distribution when max(n1, n2) <= MAX_AUTO_N. */
export const KS_MAX_AUTO_N = 10000;

export type KsMethod = 'exact' | 'asymp';

export interface KsResult extends TestResult<KsMethod> {
	/** The value at which the ECDF difference attains D (scipy's statistic_location). */
	location: number;
	/** +1 when D = max(F_ref - F_cur), -1 when D = max(F_cur - F_ref) (scipy's statistic_sign). */
	sign: 1 | -1;
}

function gcd(a: number, b: number): number {
	while (b) {
		const t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/** Proportion of lattice paths with |x - y| >= h for n = m (Pr(D_{n,n} >= h/n)). */
export function probOutsideSquare(n: number, h: number): number {
	let P = 0.0;
	let k = Math.floor(n / h);
	while (k >= 0) {
		let p1 = 1.0;
		for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
		P = p1 * (1.0 - P);
		k -= 1;
	}
	return 2 * P;
}

/**
 * Proportion of lattice paths from (0,0) to (m,n) that do not stay strictly
 * inside |x/m - y/n| < h/lcm(m,n) (SciPy's `_compute_outer_prob_inside_method`,
 * Viehmann's recursion for 1 - p).
 */
export function probOutsideInsideMethod(m0: number, n0: number, g: number, h: number): number {
	let m = m0;
	let n = n0;
	if (m < n) {
		m = n0;
		n = m0;
	}
	const mg = Math.floor(m / g);
	const ng = Math.floor(n / g);
	let minj = 0;
	let maxj = Math.min(Math.ceil(h / mg), n + 1);
	let curlen = maxj - minj;
	const lenA = Math.min(2 * maxj + 2, n + 1);
	const A = new Float64Array(lenA).fill(1);
	for (let q = minj; q < Math.min(maxj, lenA); q++) A[q] = 0.0;
	for (let i = 1; i <= m; i++) {
		const lastminj = minj;
		const lastlen = curlen;
		minj = Math.max(Math.floor((ng * i - h) / mg) + 1, 0);
		minj = Math.min(minj, n);
		maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
		if (maxj <= minj) return 1.0;
		let val = minj === 0 ? 0.0 : 1.0;
		const len = maxj - minj;
		const shift = minj - lastminj;
		for (let jj = 0; jj < len; jj++) {
			const j = jj + minj;
			val = (A[jj + shift] * i + val * j) / (i + j);
			A[jj] = val;
		}
		curlen = len;
		if (lastlen > curlen) {
			const end = Math.min(len + (lastlen - curlen), lenA);
			for (let q = len; q < end; q++) A[q] = 1;
		}
	}
	return A[maxj - minj - 1];
}

/** SciPy's `_attempt_exact_2kssamp` for the two-sided alternative. */
function attemptExact(n1: number, n2: number, g: number, d0: number): { success: boolean; d: number; prob: number } {
	const lcm = Math.floor(n1 / g) * n2;
	const h = roundHalfEven(d0 * lcm);
	const d = (h * 1.0) / lcm;
	if (h === 0) return { success: true, d, prob: 1.0 };
	const prob = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideInsideMethod(n1, n2, g, h);
	if (!(prob >= 0 && prob <= 1)) return { success: false, d, prob };
	return { success: true, d, prob };
}

/** The D statistic of two sorted samples (no NaN), with SciPy's location and sign. */
export function ksStatisticSorted(a: ArrayLike<number>, b: ArrayLike<number>): { d: number; location: number; sign: 1 | -1 } {
	const n1 = a.length;
	const n2 = b.length;
	// argmax / argmin over data_all = concat(a, b): the first occurrence wins, so
	// track the best in `a` and in `b` separately (each in ascending order).
	let maxA = -Infinity,
		maxALoc = NaN,
		maxB = -Infinity,
		maxBLoc = NaN;
	let minA = Infinity,
		minALoc = NaN,
		minB = Infinity,
		minBLoc = NaN;
	let i = 0;
	let j = 0;
	while (i < n1 || j < n2) {
		let v: number;
		let inA: boolean;
		let inB: boolean;
		// the common steps spelled out (the same positions and flags as the general step below)
		const x = i < n1 ? a[i] : NaN;
		const y = j < n2 ? b[j] : NaN;
		if (x < y) {
			v = x;
			inA = true;
			inB = false;
			do i++;
			while (i < n1 && a[i] <= v);
		} else if (y < x) {
			v = y;
			inA = false;
			inB = true;
			do j++;
			while (j < n2 && b[j] <= v);
		} else {
			v = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
			inA = i < n1 && a[i] === v;
			inB = j < n2 && b[j] === v;
			while (i < n1 && a[i] <= v) i++;
			while (j < n2 && b[j] <= v) j++;
		}
		const diff = i / n1 - j / n2;
		if (inA) {
			if (diff > maxA) {
				maxA = diff;
				maxALoc = v;
			}
			if (diff < minA) {
				minA = diff;
				minALoc = v;
			}
		}
		if (inB) {
			if (diff > maxB) {
				maxB = diff;
				maxBLoc = v;
			}
			if (diff < minB) {
				minB = diff;
				minBLoc = v;
			}
		}
	}
	const maxS = maxA >= maxB ? maxA : maxB;
	const maxLoc = maxA >= maxB ? maxALoc : maxBLoc;
	const minRaw = minA <= minB ? minA : minB;
	const minLoc = minA <= minB ? minALoc : minBLoc;
	const minS = Math.min(Math.max(-minRaw, 0), 1);
	if (minS > maxS) return { d: minS, location: minLoc, sign: -1 };
	return { d: maxS, location: maxLoc, sign: 1 };
}

/** ks_2samp on two already sorted samples without NaN (not checked). */
export function ks2sampSorted(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
	const n1 = a.length;
	const n2 = b.length;
	if (Math.min(n1, n2) === 0) throw new Error('ks_2samp: samples must not be empty');
	const stat = ksStatisticSorted(a, b);
	let d = stat.d;
	const g = gcd(n1, n2);
	let method: KsMethod = Math.max(n1, n2) <= KS_MAX_AUTO_N ? 'exact' : 'asymp';
	let prob = -Infinity;
	if (method === 'exact') {
		const res = attemptExact(n1, n2, g, d);
		d = res.d;
		prob = res.prob;
		if (!res.success) method = 'asymp';
	}
	if (method === 'asymp') {
		const m = Math.max(n1, n2);
		const n = Math.min(n1, n2);
		const en = (m * n) / (m + n);
		prob = kstwoSf(d, roundHalfEven(en));
	}
	prob = Math.min(Math.max(prob, 0), 1);
	return { statistic: d, pValue: prob, method, location: stat.location, sign: stat.sign };
}

function sortedFinite(x: ArrayLike<number>): Float64Array {
	let n = 0;
	for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) n++;
	const out = new Float64Array(n);
	let k = 0;
	for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) out[k++] = x[i];
	return sortFloat64(out);
}

/**
 * scipy.stats.ks_2samp(reference, current) (two-sided, method='auto').
 * NaN values are dropped first.
 */
export function ks2samp(reference: ArrayLike<number>, current: ArrayLike<number>): KsResult {
	return ks2sampSorted(sortedFinite(reference), sortedFinite(current));
}
