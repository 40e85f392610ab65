/**
 * Two-sample Cramér–von Mises test, scipy.stats.cramervonmises_2samp(x, y) with method='auto'
 * (SciPy 1.10): T from the midranks of the pooled sample (Anderson 1962, eq. 9–10); the exact
 * p-value (Xiao, Gordon & Yakovlev 2006) when neither sample has more than 20 values, otherwise
 * Anderson's normalised statistic against the limiting distribution of the one-sample statistic
 * (Csörgő & Faraway 1996), summed as SciPy does until a term falls below 1e-7.
 */
import { pairwiseSum } from './float';
import { lgam } from './special';
import type { TestResult } from './types';

export interface CramerVonMisesResult extends TestResult<'exact' | 'asymptotic'> {
	pValue: number;
}

/** SciPy's `auto`: the exact distribution up to this many values in the larger sample. */
export const CVM_EXACT_MAX_N = 20;

/** NumPy's np.pi ** 1.5 (C pow; JavaScript's ** is one ulp off). */
const PI_POW_1_5 = 5.568327996831708;

/**
 * Modified Bessel function of the second kind K_ν(x), x > 0, from K_ν(x) = ∫₀^∞ e^{−x cosh t}
 * cosh(νt) dt by the trapezoidal rule: the integrand is analytic in the strip |Im t| < π/2 and
 * decays double-exponentially, so a step of 1/16 is exact to rounding (error ~ e^{−16π²}); for
 * large x the peak at 0 narrows to a width of 1/√x, and a step of 0.5/√x keeps the error near
 * e^{−8π²}.
 */
export function besselK(nu: number, x: number): number {
	if (Number.isNaN(x) || x < 0) return NaN;
	if (x === 0) return Infinity;
	const h = Math.min(1 / 16, 0.5 / Math.sqrt(x));
	// e^{−x cosh t} = e^{−x} · e^{−2x sinh²(t/2)}: the large common factor is applied once, exactly
	// as rounded, and never underflows the terms
	let sum = 0.5;
	for (let k = 1; ; k++) {
		const t = k * h;
		const s = Math.sinh(t / 2);
		const f = Math.exp(-2 * x * s * s) * Math.cosh(nu * t);
		sum += f;
		// past its peak the integrand falls double-exponentially: the rest is below rounding
		if (f <= sum * 1e-17) break;
	}
	return sum * h * Math.exp(-x);
}

/** SciPy's `_cdf_cvm_inf`: the limiting CDF of the one-sample statistic. */
export function cvmLimitCdf(x: number): number {
	let total = 0;
	for (let k = 0; ; k++) {
		const u = Math.exp(lgam(k + 0.5) - lgam(k + 1)) / (PI_POW_1_5 * Math.sqrt(x));
		const y = 4 * k + 1;
		const q = (y * y) / (16 * x);
		const z = u * Math.sqrt(y) * Math.exp(-q) * besselK(0.25, q);
		total += z;
		if (!(Math.abs(z) >= 1e-7)) return total;
	}
}

/** NumPy's floor_divide for doubles (fmod-based, exact where a / b would round). */
function floorDivide(a: number, b: number): number {
	const mod = a % b;
	let div = (a - mod) / b;
	if (mod !== 0 && b < 0 !== mod < 0) div -= 1;
	if (div === 0) return 0 * Math.sign(a / b);
	const floor = Math.floor(div);
	return div - floor > 0.5 ? floor + 1 : floor;
}

function gcd(a: number, b: number): number {
	while (b !== 0) [a, b] = [b, a % b];
	return a;
}

/** C(n, k) for integers small enough to be exact in a double (SciPy uses math.comb). */
function choose(n: number, k: number): number {
	let r = 1;
	for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
	return r;
}

/**
 * SciPy's `_pval_cvm_2samp_exact`: P(U ≥ s) over all C(m + n, m) arrangements, from the
 * frequency tables of Σ (a·v − b·u)² along lattice paths (Xiao et al., Algorithm 1).
 */
function exactPValue(s: number, m: number, n: number): number {
	const lcm = (m * n) / gcd(m, n);
	const a = lcm / m;
	const b = lcm / n;
	const mn = m * n;
	const zeta = floorDivide(lcm * lcm * (m + n) * (6 * s - mn * (4 * mn - 1)), 6 * mn * mn);
	let gs: Map<number, number>[] = [new Map([[0, 1]])];
	for (let v = 1; v <= m; v++) gs.push(new Map());
	for (let u = 0; u <= n; u++) {
		const next: Map<number, number>[] = [];
		let tmp = new Map<number, number>();
		for (let v = 0; v <= m; v++) {
			const d = (a * v - b * u) ** 2;
			const merged = new Map<number, number>();
			for (const [value, freq] of tmp) merged.set(value + d, freq);
			for (const [value, freq] of gs[v]) merged.set(value + d, (merged.get(value + d) ?? 0) + freq);
			tmp = merged;
			next.push(tmp);
		}
		gs = next;
	}
	let count = 0;
	for (const [value, freq] of gs[m]) if (value >= zeta) count += freq;
	return count / choose(m + n, m);
}

/**
 * Σ (rank − i)² over one sorted sample, ranks being midranks in the pooled sample, summed the
 * way NumPy does (pairwise, in sorted order) so that U agrees with SciPy's to the last bit.
 */
function rankDeviations(x: ArrayLike<number>, y: ArrayLike<number>): { x: number; y: number } {
	const nx = x.length;
	const ny = y.length;
	const dx = new Float64Array(nx);
	const dy = new Float64Array(ny);
	let i = 0;
	let j = 0;
	while (i < nx || j < ny) {
		const v = j >= ny || (i < nx && x[i] <= y[j]) ? x[i] : y[j];
		const i0 = i;
		const j0 = j;
		while (i < nx && x[i] === v) i++;
		while (j < ny && y[j] === v) j++;
		const rank = i0 + j0 + (i - i0 + (j - j0) + 1) / 2;
		for (let k = i0; k < i; k++) dx[k] = (rank - (k + 1)) ** 2;
		for (let k = j0; k < j; k++) dy[k] = (rank - (k + 1)) ** 2;
	}
	return { x: pairwiseSum(dx), y: pairwiseSum(dy) };
}

/** cramervonmises_2samp(x, y) on two sorted samples of at least 2 values each, without NaN (not checked). */
export function cramerVonMisesSorted(x: ArrayLike<number>, y: ArrayLike<number>): CramerVonMisesResult {
	const nx = x.length;
	const ny = y.length;
	if (nx < 2 || ny < 2) throw new Error('cramer_von_mises: each sample needs at least 2 values');
	const sums = rankDeviations(x, y);
	let u = nx * sums.x;
	u += ny * sums.y;
	const k = nx * ny;
	const N = nx + ny;
	const t = u / (k * N) - (4 * k - 1) / (6 * N);
	if (Math.max(nx, ny) <= CVM_EXACT_MAX_N) return { statistic: t, pValue: exactPValue(u, nx, ny), method: 'exact' };
	const et = (1 + 1 / N) / 6;
	const vt = ((N + 1) * (4 * k * N - 3 * (nx * nx + ny * ny) - 2 * k)) / (45 * N * N * 4 * k);
	const tn = 1 / 6 + (t - et) / Math.sqrt(45 * vt);
	// SciPy: below 0.003 the limiting CDF is under 1.3e-18, so p = 1.
	const pValue = tn < 0.003 ? 1 : Math.max(0, 1 - cvmLimitCdf(tn));
	return { statistic: t, pValue, method: 'asymptotic' };
}
