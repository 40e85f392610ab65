/**
 * Kolmogorov–Smirnov distributions, ported from SciPy 1.10:
 *
 * - `smirnovSf(n, x)`: scipy.special.smirnov — the one-sided one-sample
 *   statistic's survival function, cephes kolmogorov.c `_smirnov`, including
 *   its double-double arithmetic.
 * - `kolmogn(n, x, cdf)`: scipy/stats/_ksstats.py `_kolmogn` — the two-sided
 *   one-sample statistic (Simard & L'Ecuyer's choice between Ruben–Gambino,
 *   Durbin/Marsaglia–Tsang–Wang, Pomeranz, Pelz–Good and 2·smirnov).
 * - `kstwoSf(x, n)`: scipy.stats.kstwo.sf (what ks_2samp's asymptotic
 *   two-sided p-value uses).
 *
 * SciPy switches to 80-bit long double in a few places (after rescaling by
 * 2^±128); those continuations are carried out in double-double here.
 */

import {
	DD_NAN,
	DD_ONE,
	DD_ZERO,
	addDD,
	addDD_d_d,
	addDD_dd_d,
	ddFloor,
	ddFrexp,
	ddInv,
	ddIsFinite,
	ddIsZero,
	ddLdexp,
	divDD,
	divDD_d_d,
	divDD_dd_d,
	mulDD,
	mulDD_d_d,
	mulDD_d_dd,
	mulDD_dd_d,
	prodErr,
	subDD,
	subDD_dd_d,
	type DD
} from './double-double';
import { frexp, ldexp, pairwiseSum } from './float';

const DBL_EPSILON = 2.220446049250313e-16;
const DBL_MANT_DIG = 53;
const MINLOG = -7.451332191019412076235e2;
const SMIRNOV_MAX_COMPUTE_N = 1000000;
const SM_UPPER_MAX_TERMS = 3;
const SM_UPPERSUM_MIN_N = 10;
const MAX_EXPONENT = 960;

function clip01(p: number): number {
	return p < 0 ? 0 : p > 1 ? 1 : p;
}

// ------------------------------------------------------------------ smirnov

function nextPowerOf2(x: number): number {
	const q = ldexp(x, 1 - DBL_MANT_DIG);
	let L = Math.abs(q + x);
	if (L === 0) {
		L = Math.abs(x);
	} else {
		const Lint = Math.trunc(L);
		if (Lint === L) L = Lint;
	}
	return L;
}

/** floor(n*x) computed exactly, and the remainder. */
function modNX(n: number, x: number): { alpha: number; nxfloor: number; nx: number } {
	const nxD = mulDD_d_d(n, x);
	const nxfloorD = ddFloor(nxD);
	const alphaD = subDD(nxD, nxfloorD);
	let alpha = alphaD.hi;
	let nxfloor = Math.trunc(nxfloorD.hi);
	if (alpha === 1) {
		nxfloor += 1;
		alpha = 0;
	}
	return { alpha, nxfloor, nx: nxD.hi };
}

/** a^m in double-double, trading accuracy for speed like SciPy's pow_D. */
function powD(a: DD, m: number): DD {
	if (m <= 0) {
		if (m === 0) return DD_ONE;
		return ddInv(powD(a, -m));
	}
	if (ddIsZero(a)) return DD_ZERO;
	const ans = Math.pow(a.hi, m);
	const r = a.lo / a.hi;
	let adj = m * r;
	if (Math.abs(adj) > 1e-8) {
		if (Math.abs(adj) < 1e-4) {
			adj += m * r * (((m - 1) / 2.0) * r);
		} else {
			adj = Math.expm1(m * Math.log1p(r));
		}
	}
	return addDD_d_d(ans, ans * adj);
}

function pow2(a: number, b: number, m: number): number {
	return powD(addDD_d_d(a, b), m).hi;
}

/** a^m as [significand, exponent]. */
function pow2ScaledD(a: DD, m: number): [DD, number] {
	if (m <= 0) {
		if (m === 0) return [DD_ONE, 0];
		const [ans0, aE1] = pow2ScaledD(a, -m);
		const [ans, aE2] = ddFrexp(ddInv(ans0));
		return [ans, -aE1 + aE2];
	}
	const [y, yE] = ddFrexp(a);
	if (m === 1) return [y, yE];
	let maxExpt = MAX_EXPONENT;
	if ((m * (y.hi - 1)) / y.hi < -MAX_EXPONENT * Math.LN2) {
		const lg2y = Math.log(y.hi) / Math.LN2;
		const lgAns = m * lg2y;
		if (lgAns <= -MAX_EXPONENT) {
			maxExpt = Math.trunc(nextPowerOf2(-MAX_EXPONENT / lg2y + 1) / 2);
		}
	}
	if (m <= maxExpt) {
		const ans1 = powD(y, m);
		const [ans, ansE0] = ddFrexp(ans1);
		return [ans, ansE0 + m * yE];
	}
	const q = Math.trunc(m / maxExpt);
	const r = m % maxExpt;
	const [y2r, y2rE] = pow2ScaledD(y, r);
	const [y2m, y2mE] = pow2ScaledD(y, maxExpt);
	const [y2mq, y2mqE0] = pow2ScaledD(y2m, q);
	const [ans, ansE0] = ddFrexp(mulDD(y2r, y2mq));
	const y2mqE = y2mqE0 + y2mE * q;
	return [ans, ansE0 + y2mqE + y2rE + m * yE];
}

/** ((a+b)/(c+d))^m */
function pow4D(a: number, b: number, c: number, d: number, m: number): DD {
	if (m <= 0) {
		if (m === 0) return DD_ONE;
		return pow4D(c, d, a, b, -m);
	}
	const A = addDD_d_d(a, b);
	const C = addDD_d_d(c, d);
	if (ddIsZero(A)) return ddIsZero(C) ? DD_NAN : DD_ZERO;
	if (ddIsZero(C)) return A.hi < 0 ? { hi: -Infinity, lo: -Infinity } : { hi: Infinity, lo: Infinity };
	return powD(divDD(A, C), m);
}

/** A_v(n, x) = Binomial(n,v) * (1-x-v/n)^(n-v) * (x+v/n)^(v-1), as [significand, exponent]. */
function computeAvScaled(n: number, x: number, v: number, Cman: DD, Cexpt: number): [DD, number] {
	const t2x = subDD_dd_d(divDD_d_d(n - v, n), x);
	const [t2, t2E] = pow2ScaledD(t2x, n - v);
	const t1x = addDD_dd_d(divDD_d_d(v, n), x);
	const [t1, t1E] = pow2ScaledD(t1x, v - 1);
	let ans = mulDD(t1, t2);
	ans = mulDD(ans, Cman);
	return [ans, Cexpt + t1E + t2E];
}

/** A_v(n, x) = Binomial(n,v) * (1-x-v/n)^(n-v) * (x+v/n)^(v-1) */
function computeAv(n: number, x: number, v: number, Cman: DD, Cexpt: number): DD {
	const [ans, e] = computeAvScaled(n, x, v, Cman, Cexpt);
	return ddLdexp(ans, e);
}

interface SfCdf {
	sf: number;
	cdf: number;
}

function smirnovProbs(n: number, x: number): SfCdf {
	if (!(n > 0 && x >= 0.0 && x <= 1.0)) return { sf: NaN, cdf: NaN };
	if (n === 1) return { sf: 1 - x, cdf: x };
	if (x === 0.0) return { sf: 1.0, cdf: 0.0 };
	if (x === 1.0) return { sf: 0.0, cdf: 1.0 };

	const { alpha, nxfloor: nxfl } = modNX(n, x);
	let n1mxfl = n - nxfl - (alpha === 0 ? 0 : 1);
	let n1mxceil = n - nxfl;
	if (alpha === 0) {
		n1mxfl -= 1;
		n1mxceil += 1;
	}

	// x <= 1/n
	if (nxfl === 0 || (nxfl === 1 && alpha === 0)) {
		const t = pow2(1, x, n - 1);
		const cdf = x * t;
		return { sf: 1 - cdf, cdf };
	}
	// sf underflows
	if (-2 * n * x * x < MINLOG) return { sf: 0, cdf: 1 };
	// x >= 1 - 1/n
	if (nxfl >= n - 1) {
		const sf = pow2(1, -x, n);
		return { sf, cdf: 1 - sf };
	}
	if (n > SMIRNOV_MAX_COMPUTE_N) {
		const logp = -Math.pow(6.0 * n * x + 1, 2) / 18.0 / n;
		if (logp < -Math.LN2) {
			const sf = Math.exp(logp);
			return { sf, cdf: 1 - sf };
		}
		const cdf = -Math.expm1(logp);
		return { sf: 1 - cdf, cdf };
	}

	const nUpperTerms = n - n1mxceil + 1;
	let bUseUpperSum = nUpperTerms <= 1 && x < 0.5;
	bUseUpperSum = bUseUpperSum || (n >= SM_UPPERSUM_MIN_N && nUpperTerms <= SM_UPPER_MAX_TERMS && x <= 0.5 / Math.sqrt(n));

	let start = 0;
	let step = 1;
	let nTerms = n1mxfl + 1;
	const vmid = Math.trunc(n / 2);
	let Cman: DD = DD_ONE;
	let Cexpt = 0;
	let Aj: DD;
	if (bUseUpperSum) {
		start = n;
		step = -1;
		nTerms = n - n1mxceil + 1;
		Aj = pow4D(1, x, 1, 0, n - 1);
	} else {
		const t2 = pow4D(1, -x, 1, 0, n);
		Aj = divDD_dd_d(t2, x);
	}
	let AjSum = addDD(DD_ZERO, Aj);

	// updateBinomial(n, 0)
	const updateBinomial = (j: number): void => {
		const rat = divDD_d_d(n - j, j + 1.0);
		const [man, expt] = ddFrexp(mulDD(Cman, rat));
		Cexpt += expt;
		Cman = man;
	};
	updateBinomial(0);

	if (!bUseUpperSum && nTerms > SMIRNOV_FAST_MIN_TERMS && smirnovAnchorEvery > 1) {
		return finish(smirnovLowerSumFast(n, x, nTerms, vmid, Aj, Cman, Cexpt), step);
	}

	for (let j = 1; j < nTerms; j += 1) {
		const v = start + j * step;
		Aj = computeAv(n, x, v, Cman, Cexpt);
		if (ddIsFinite(Aj) && !ddIsZero(Aj)) {
			AjSum = addDD(AjSum, Aj);
		}
		if (!ddIsZero(Aj)) {
			if (4 * (nTerms - j) * Math.abs(Aj.hi) < DBL_EPSILON * AjSum.hi && j !== nTerms - 1) break;
		} else if (j > vmid) {
			break;
		}
		updateBinomial(j);
	}
	return finish(AjSum, step);

	function finish(sum: DD, stp: number): SfCdf {
		const prob = mulDD_d_dd(x, sum).hi;
		let cdf: number;
		let sf: number;
		if (stp < 0) {
			cdf = prob;
			sf = 1 - prob;
		} else {
			cdf = 1 - prob;
			sf = prob;
		}
		return { sf: clip01(sf), cdf: clip01(cdf) };
	}
}

/** Lower sums with more terms than this use the fast recurrence below. */
const SMIRNOV_FAST_MIN_TERMS = 2048;
/** Every this many terms, the recurrence is re-anchored on SciPy's direct evaluation. */
let smirnovAnchorEvery = 1024;

/** Test hook: set the anchor interval (<= 1 disables the fast path). */
export function _setSmirnovAnchorEvery(k: number): void {
	smirnovAnchorEvery = k;
}

/**
 * The lower Smirnov sum  Σ_{v<nTerms} A_v  with
 * A_v = C(n,v) (x+v/n)^(v-1) (1-x-v/n)^(n-v).
 *
 * SciPy evaluates every term directly in double-double (O(n) terms, each a
 * handful of pow/log calls). Here consecutive terms follow from the ratio
 * A_v / A_{v-1} = (n-v+1)(a+v) / (v(n-a-v+1)) · (1+1/(a+v-1))^(v-2) · (1-1/(n-a-v+1))^(n-v),
 * a = n·x, evaluated with log1p/exp (relative error a few ulps per step), and
 * every `smirnovAnchorEvery` terms the value is reset to SciPy's direct
 * evaluation, so drift stays far below 1e-12 relative. The binomial
 * coefficient is carried exactly in double-double.
 */
function smirnovLowerSumFast(n: number, x: number, nTerms: number, vmid: number, A0: DD, C1: DD, C1e: number): DD {
	const aD = mulDD_d_d(n, x);
	const aHi = aD.hi;
	const aLo = aD.lo;
	const K = smirnovAnchorEvery;
	// compensated running sum (sumHi + sumLo), starting with SciPy's first term
	let sumHi = A0.hi;
	let sumLo = A0.lo;
	// recurrence state: A_v = A * 2^Ae (Ae != 0 only while A_v is below ~1e-290)
	let A = 0;
	let Ae = 0;
	const setScaled = (m: number, e: number): void => {
		const t = ldexp(m, e);
		if (Math.abs(t) > 1e-290) {
			A = t;
			Ae = 0;
		} else {
			A = m;
			Ae = e;
		}
	};
	{
		const [m0, e0] = computeAvScaled(n, x, 0, DD_ONE, 0);
		setScaled(m0.hi, e0);
	}
	// binomial C(n, v) as (cHi + cLo) * 2^cE; starts at C(n, 1)
	let cHi = C1.hi;
	let cLo = C1.lo;
	let cE = C1e;
	for (let v = 1; v < nTerms; v++) {
		if (v % K === 0) {
			const [m, e] = computeAvScaled(n, x, v, { hi: cHi, lo: cLo }, cE);
			setScaled(m.hi, e);
		} else {
			const av1 = aHi + (v - 1) + aLo; // a + v - 1
			const nav1 = n - aHi - v + 1 - aLo; // n - a - v + 1
			const logr = Math.log(((n - v + 1) * (av1 + 1)) / (v * nav1)) + (v - 2) * Math.log1p(1 / av1) + (n - v) * Math.log1p(-1 / nav1);
			A *= Math.exp(logr);
			if (Ae !== 0) {
				if (A > 1e30 || A < 1e-30) {
					const [m, e] = frexp(A);
					setScaled(m, Ae + e);
				}
			} else if (A < 1e-290 && A > 0) {
				const [m, e] = frexp(A);
				A = m;
				Ae = e;
			}
		}
		const term = Ae === 0 ? A : ldexp(A, Ae);
		if (Number.isFinite(term) && term !== 0) {
			const s = sumHi + term;
			const bb = s - sumHi;
			sumLo += sumHi - (s - bb) + (term - bb);
			sumHi = s;
			if (4 * (nTerms - v) * Math.abs(term) < DBL_EPSILON * sumHi && v !== nTerms - 1) break;
		} else if (term === 0 && v > vmid) {
			break;
		}
		// C(n, v+1) = C(n, v) * (n - v) / (v + 1), carried in double-double
		const num = n - v;
		const den = v + 1;
		const q = num / den;
		const qLo = (num - q * den - prodErr(q, den)) / den;
		const pHi = cHi * q;
		const pErr = prodErr(cHi, q) + (cHi * qLo + cLo * q);
		const s2 = pHi + pErr;
		cLo = pErr - (s2 - pHi);
		cHi = s2;
		if (cHi > 1e150) {
			cHi *= 2 ** -500;
			cLo *= 2 ** -500;
			cE += 500;
		} else if (cHi < 1e-150) {
			cHi *= 2 ** 500;
			cLo *= 2 ** 500;
			cE -= 500;
		}
	}
	const s = sumHi + sumLo;
	return { hi: s, lo: sumLo - (s - sumHi) };
}

/** scipy.special.smirnov(n, x): Pr(D_n^+ >= x). */
export function smirnovSf(n: number, x: number): number {
	if (Number.isNaN(x)) return NaN;
	return smirnovProbs(n, x).sf;
}

/** scipy.special.smirnovc(n, x): Pr(D_n^+ < x). */
export function smirnovCdf(n: number, x: number): number {
	if (Number.isNaN(x)) return NaN;
	return smirnovProbs(n, x).cdf;
}

// ------------------------------------------------------------------ _ksstats.py

const E128 = 128;
const EP128 = 2 ** 128;
const EM128 = 2 ** -128;
const SQRT2PI = Math.sqrt(2 * Math.PI);
const LOG_2PI = Math.log(2 * Math.PI);
const MIN_LOG = -708;
const SQRT3 = Math.sqrt(3);
const PI_SQUARED = Math.PI ** 2;
const PI_FOUR = Math.PI ** 4;
const PI_SIX = Math.PI ** 6;
const STIRLING_COEFFS = [
	-2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
	-2.7777777777777777778e-3, 8.3333333333333333333e-2
];

function polyval(coeffs: readonly number[], x: number): number {
	let y = 0;
	for (const c of coeffs) y = y * x + c;
	return y;
}

/** log(n! / n^n) */
function logNfactorialDivNPowN(n: number): number {
	const rn = 1.0 / n;
	return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * polyval(STIRLING_COEFFS, rn / n);
}

function select(cdfprob: number, sfprob: number, cdf: boolean): number {
	return clip01(cdf ? cdfprob : sfprob);
}

/**
 * Multiply p (a float64 value carrying a binary exponent `expnt`) by n!/n^n the
 * way SciPy does: in float64 until p is rescaled by 2^128, after which NumPy
 * continues in long double; we continue in double-double. Returns p * 2^expnt
 * as the double-double hi part, and the high-precision value for 1 - p.
 */
function multiplyNFactorialOverNPowN(p0: number, n: number, expnt0: number): DD {
	let p = p0;
	let expnt = expnt0;
	let i = 1;
	for (; i <= n; i++) {
		p = (i * p) / n;
		if (Math.abs(p) < EM128) {
			p *= EP128;
			expnt -= E128;
			i++;
			break;
		}
	}
	let pD: DD = { hi: p, lo: 0 };
	for (; i <= n; i++) {
		pD = divDD_dd_d(mulDD_dd_d(pD, i), n);
		if (Math.abs(pD.hi) < EM128) {
			pD = mulDD_dd_d(pD, EP128);
			expnt -= E128;
		}
	}
	return expnt !== 0 ? ddLdexp(pD, expnt) : pD;
}

/** Pr(D_n <= d) by Durbin's matrix method (Marsaglia, Tsang & Wang). */
function kolmognDMTW(n: number, d: number, cdf: boolean): number {
	if (d >= 1.0) return select(1.0, 0.0, cdf);
	const nd = n * d;
	if (nd <= 0.5) return select(0.0, 1.0, cdf);
	const k = Math.ceil(nd);
	const h = k - nd;
	const m = 2 * k - 1;

	let H = new Float64Array(m * m);
	const v = new Float64Array(m);
	const w = new Float64Array(m);
	for (let j = 1; j <= m; j++) v[j - 1] = 1.0 - Math.pow(h, j);
	let fac = 1.0;
	for (let j = 1; j <= m; j++) {
		w[j - 1] = fac;
		fac /= j;
		v[j - 1] *= fac;
	}
	const tt = Math.pow(Math.max(2 * h - 1.0, 0), m) - 2 * Math.pow(h, m);
	v[m - 1] = (1.0 + tt) * fac;

	for (let i = 1; i < m; i++) {
		// H[i-1:, i] = w[:m-i+1]
		for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - (i - 1)];
	}
	for (let r = 0; r < m; r++) H[r * m] = v[r];
	for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c];

	let Hpwr = new Float64Array(m * m);
	for (let r = 0; r < m; r++) Hpwr[r * m + r] = 1;
	let nn = n;
	let expnt = 0;
	let Hexpnt = 0;
	const tmp = new Float64Array(m * m);
	const matmul = (A: Float64Array, B: Float64Array, out: Float64Array): void => {
		out.fill(0);
		for (let r = 0; r < m; r++) {
			const ro = r * m;
			for (let q = 0; q < m; q++) {
				const a = A[ro + q];
				if (a === 0) continue;
				const qo = q * m;
				for (let c = 0; c < m; c++) out[ro + c] += a * B[qo + c];
			}
		}
	};
	let spare = new Float64Array(m * m);
	while (nn > 0) {
		if (nn % 2) {
			matmul(Hpwr, H, tmp);
			const t = Hpwr;
			Hpwr = tmp.slice();
			spare = t;
			expnt += Hexpnt;
		}
		matmul(H, H, spare);
		const t = H;
		H = spare;
		spare = t;
		Hexpnt *= 2;
		if (Math.abs(H[(k - 1) * m + (k - 1)]) > EP128) {
			for (let q = 0; q < H.length; q++) H[q] /= EP128;
			Hexpnt += E128;
		}
		nn = Math.floor(nn / 2);
	}
	const p = multiplyNFactorialOverNPowN(Hpwr[(k - 1) * m + (k - 1)], n, expnt);
	return select(p.hi, subDD({ hi: 1, lo: 0 }, p).hi, cdf);
}

function pomeranzJ1J2(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
	let j1: number;
	let j2: number;
	if (i === 0) {
		j1 = -ll - ceilf - 1;
		j2 = ll + ceilf - 1;
	} else {
		const ip1div2 = Math.floor((i + 1) / 2);
		const ip1mod2 = (i + 1) % 2;
		if (ip1mod2 === 0) {
			if (ip1div2 === n + 1) {
				j1 = n - ll - ceilf - 1;
				j2 = n + ll + ceilf - 1;
			} else {
				j1 = ip1div2 - 1 - ll - roundf - 1;
				j2 = ip1div2 + ll - 1 + ceilf - 1;
			}
		} else {
			j1 = ip1div2 - 1 - ll - 1;
			j2 = ip1div2 + ll + roundf - 1;
		}
	}
	return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** Pr(D_n <= x) by the Pomeranz recursion. */
function kolmognPomeranz(n: number, x: number, cdf: boolean): number {
	const t = n * x;
	const ll = Math.floor(t);
	const f = 1.0 * (t - ll);
	const g = Math.min(f, 1.0 - f);
	const ceilf = f > 0 ? 1 : 0;
	const roundf = f > 0.5 ? 1 : 0;
	const npwrs = 2 * (ll + 1);
	const gpower = new Float64Array(npwrs);
	const twogpower = new Float64Array(npwrs);
	const onem2gpower = new Float64Array(npwrs);
	gpower[0] = 1.0;
	twogpower[0] = 1.0;
	onem2gpower[0] = 1.0;
	let expnt = 0;
	const gOverN = g / n;
	const twoGOverN = (2 * g) / n;
	const oneMinusTwoGOverN = (1 - 2 * g) / n;
	for (let m = 1; m < npwrs; m++) {
		gpower[m] = (gpower[m - 1] * gOverN) / m;
		twogpower[m] = (twogpower[m - 1] * twoGOverN) / m;
		onem2gpower[m] = (onem2gpower[m - 1] * oneMinusTwoGOverN) / m;
	}
	let V0 = new Float64Array(npwrs);
	let V1 = new Float64Array(npwrs);
	V1[0] = 1;
	let V0s = 0;
	let V1s = 0;
	let [j1] = pomeranzJ1J2(0, n, ll, ceilf, roundf);
	let j2: number;
	const conv = new Float64Array(2 * npwrs);
	for (let i = 1; i < 2 * n + 2; i++) {
		const k1 = j1;
		const tV = V0;
		V0 = V1;
		V1 = tV;
		const tS = V0s;
		V0s = V1s;
		V1s = tS;
		V1.fill(0.0);
		[j1, j2] = pomeranzJ1J2(i, n, ll, ceilf, roundf);
		let pwrs: Float64Array;
		if (i === 1 || i === 2 * n + 1) pwrs = gpower;
		else pwrs = i % 2 ? twogpower : onem2gpower;
		const ln2 = j2 - k1 + 1;
		if (ln2 > 0) {
			// conv = np.convolve(V0[k1 - V0s : k1 - V0s + ln2], pwrs[:ln2]) (full mode)
			const off = k1 - V0s;
			const la = Math.max(0, Math.min(ln2, npwrs - off));
			const lb = Math.min(ln2, npwrs);
			const convStart = j1 - k1;
			const convLen = j2 - j1 + 1;
			for (let q = 0; q < convLen; q++) {
				const idx = convStart + q;
				let s = 0;
				const lo = Math.max(0, idx - (lb - 1));
				const hi = Math.min(idx, la - 1);
				for (let a = lo; a <= hi; a++) s += V0[off + a] * pwrs[idx - a];
				conv[q] = s;
			}
			let mx = -Infinity;
			for (let q = 0; q < convLen; q++) {
				V1[q] = conv[q];
				if (conv[q] > mx) mx = conv[q];
			}
			for (let q = convLen; q < npwrs; q++) if (V1[q] > mx) mx = V1[q];
			if (mx > 0 && mx < EM128) {
				for (let q = 0; q < npwrs; q++) V1[q] *= EP128;
				expnt -= E128;
			}
			V1s = V0s + j1 - k1;
		}
	}
	// multiply by n!
	let ans = V1[n - V1s];
	let m = 1;
	for (; m <= n; m++) {
		if (Math.abs(ans) > EP128) break;
		ans *= m;
	}
	let ansD: DD = { hi: ans, lo: 0 };
	for (; m <= n; m++) {
		if (Math.abs(ansD.hi) > EP128) {
			ansD = mulDD_dd_d(ansD, EM128);
			expnt += E128;
		}
		ansD = mulDD_dd_d(ansD, m);
	}
	if (expnt !== 0) ansD = ddLdexp(ansD, expnt);
	return select(ansD.hi, subDD({ hi: 1, lo: 0 }, ansD).hi, cdf);
}

/** Pelz–Good approximation to Pr(D_n <= x). */
function kolmognPelzGood(n: number, x: number, cdf: boolean): number {
	if (x <= 0.0) return select(0.0, 1.0, cdf);
	if (x >= 1.0) return select(1.0, 0.0, cdf);
	const z = Math.sqrt(n) * x;
	const zsquared = z ** 2;
	const zthree = z ** 3;
	const zfour = z ** 4;
	const zsix = z ** 6;
	const qlog = -PI_SQUARED / 8 / zsquared;
	if (qlog < MIN_LOG) return select(0.0, 1.0, cdf);
	let q = Math.exp(qlog);

	const k1a = -zsquared;
	const k1b = PI_SQUARED / 4;
	const k2a = 6 * zsix + 2 * zfour;
	const k2b = ((2 * zfour - 5 * zsquared) * PI_SQUARED) / 4;
	const k2c = (PI_FOUR * (1 - 2 * zsquared)) / 16;
	const k3d = (PI_SIX * (5 - 30 * zsquared)) / 64;
	const k3c = (PI_FOUR * (-60 * zsquared + 212 * zfour)) / 16;
	const k3b = (PI_SQUARED * (135 * zfour - 96 * zsix)) / 4;
	const k3a = -30 * zsix - 90 * z ** 8;

	const K = [0, 0, 0, 0];
	const maxk = Math.ceil((16 * z) / Math.PI);
	for (let k = maxk; k > 0; k--) {
		const m = 2 * k - 1;
		const msquared = m ** 2;
		const mfour = m ** 4;
		const msix = m ** 6;
		const qpower = Math.pow(q, 8 * k);
		const coeffs = [1.0, k1a + k1b * msquared, k2a + k2b * msquared + k2c * mfour, k3a + k3b * msquared + k3c * mfour + k3d * msix];
		for (let i = 0; i < 4; i++) {
			K[i] *= qpower;
			K[i] += coeffs[i];
		}
	}
	const denoms = [z, 6 * zfour, 72 * z ** 7, 6480 * z ** 10];
	for (let i = 0; i < 4; i++) {
		K[i] *= q;
		K[i] *= SQRT2PI;
		K[i] /= denoms[i];
	}
	q = Math.exp(-PI_SQUARED / 2 / zsquared);
	const sqrt3z = SQRT3 * z;
	const t2 = new Float64Array(maxk);
	const t3 = new Float64Array(maxk);
	for (let idx = 0; idx < maxk; idx++) {
		const ks = maxk - idx;
		const ksquared = ks ** 2;
		const kspi = Math.PI * ks;
		const qpwer = Math.pow(q, ksquared);
		t2[idx] = ksquared * qpwer;
		t3[idx] = (sqrt3z + kspi) * (sqrt3z - kspi) * ksquared * qpwer;
	}
	let k2extra = pairwiseSum(t2);
	k2extra *= (PI_SQUARED * SQRT2PI) / (-36 * zthree);
	K[2] += k2extra;
	let k3extra = pairwiseSum(t3);
	k3extra *= (PI_SQUARED * SQRT2PI) / (216 * zsix);
	K[3] += k3extra;
	for (let i = 0; i < 4; i++) K[i] /= Math.pow(n * 1.0, i / 2.0);
	if (!cdf) {
		for (let i = 0; i < 4; i++) K[i] *= -1;
		K[0] += 1;
	}
	return 0 + K[0] + K[1] + K[2] + K[3];
}

/**
 * CDF (or SF when `cdf` is false) of the two-sided one-sample KS statistic D_n,
 * scipy/stats/_ksstats.py `_kolmogn`.
 */
export function kolmogn(n: number, x: number, cdf = true): number {
	if (Number.isNaN(n)) return n;
	if (Math.trunc(n) !== n || n <= 0) return NaN;
	if (Number.isNaN(x)) return NaN;
	if (x >= 1.0) return select(1.0, 0.0, cdf);
	if (x <= 0.0) return select(0.0, 1.0, cdf);
	const t = n * x;
	if (t <= 1.0) {
		if (t <= 0.5) return select(0.0, 1.0, cdf);
		let prob: number;
		if (n <= 140) {
			const c = 2 * t - 1;
			prob = 1;
			for (let i = 1; i <= n; i++) prob *= i * (1.0 / n) * c;
		} else {
			prob = Math.exp(logNfactorialDivNPowN(n) + n * Math.log(2 * t - 1));
		}
		return select(prob, 1.0 - prob, cdf);
	}
	if (t >= n - 1) {
		const prob = 2 * Math.pow(1.0 - x, n);
		return select(1 - prob, prob, cdf);
	}
	if (x >= 0.5) {
		const prob = 2 * smirnovSf(n, x);
		return select(1.0 - prob, prob, cdf);
	}
	const nxsquared = t * x;
	if (n <= 140) {
		if (nxsquared <= 0.754693) return kolmognDMTW(n, x, cdf);
		if (nxsquared <= 4) {
			return kolmognPomeranz(n, x, cdf);
		}
		const prob = 2 * smirnovSf(n, x);
		return select(1.0 - prob, prob, cdf);
	}
	if (!cdf) {
		if (nxsquared >= 370.0) return 0.0;
		if (nxsquared >= 2.2) return clip01(2 * smirnovSf(n, x));
	}
	if (nxsquared >= 18.0) return select(1.0, 0.0, cdf);
	if (n <= 100000 && n * x ** 1.5 <= 1.4) return kolmognDMTW(n, x, cdf);
	const cdfprob = kolmognPelzGood(n, x, true);
	return select(cdfprob, 1.0 - cdfprob, cdf);
}

/** scipy.stats.kstwo.sf(x, n) */
export function kstwoSf(x: number, n: number): number {
	if (Number.isNaN(x) || Number.isNaN(n)) return NaN;
	if (!(n >= 1 && n === Math.round(n))) return NaN;
	if (x <= 0.5 / n) return 1.0;
	if (x >= 1.0) return 0.0;
	return kolmogn(n, x, false);
}

/** scipy.stats.kstwo.cdf(x, n) */
export function kstwoCdf(x: number, n: number): number {
	if (Number.isNaN(x) || Number.isNaN(n)) return NaN;
	if (!(n >= 1 && n === Math.round(n))) return NaN;
	if (x <= 0.5 / n) return 0.0;
	if (x >= 1.0) return 1.0;
	return kolmogn(n, x, true);
}
