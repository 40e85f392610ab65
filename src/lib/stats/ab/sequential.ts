/**
 * Sequential testing that stays valid however often the results are looked at: the
 * normal-mixture mixture sequential probability ratio test (mSPRT) of Johari, Koomen, Pekelis &
 * Walsh ("Peeking at A/B tests", KDD 2017; "Always valid inference", Operations Research 2022).
 *
 * At each look the difference estimate θ̂ has (estimated) variance V. Mixing the likelihood ratio
 * of N(θ, V) against N(0, V) over θ ~ N(0, τ²) gives
 *
 *   Λ = sqrt(V / (V + τ²)) · exp(τ²·θ̂² / (2·V·(V + τ²))),
 *
 * and by Ville's inequality P(Λ ever exceeds 1/α under H₀) ≤ α. Hence the always-valid p-value is
 * the running minimum of min(1, 1/Λ), and the confidence sequence is the running intersection of
 *
 *   θ̂ ± sqrt( V·(V + τ²)/τ² · (log((V + τ²)/V) − 2·log α) ).
 *
 * τ² (the mixing variance) tunes where the test is most powerful: effects of size about τ are
 * detected soonest. Any fixed τ² gives valid inference; choose it before looking at the data
 * (e.g. the square of a plausible effect). Guarantees rest on V being the variance of θ̂, i.e.
 * on the normal approximation of the difference (large groups).
 */
import { AbInputError } from './errors';

export interface SequentialOptions {
	/** Error rate (default 0.05): the sequence covers the true difference at all looks with probability ≥ 1 − α. */
	alpha?: number;
	/** Mixing variance τ² (> 0), in squared units of the difference. */
	tau2: number;
}

export interface SequentialLook {
	/** The difference estimate at this look. */
	difference: number;
	/** Its variance (squared standard error). */
	variance: number;
}

export interface SequentialResult {
	/** The mixture likelihood ratio Λ at this look. */
	lambda: number;
	/** Always-valid p-value (running minimum of 1/Λ, capped at 1). */
	pValue: number;
	/** Always-valid confidence bounds (running intersection). */
	ciLow: number;
	ciHigh: number;
}

function checkOptions({ alpha = 0.05, tau2 }: SequentialOptions): number {
	if (!(alpha > 0 && alpha < 1)) throw new AbInputError(`alpha must be between 0 and 1, got ${alpha}`);
	if (!(tau2 > 0 && Number.isFinite(tau2))) throw new AbInputError(`the mixing variance tau² must be positive, got ${tau2}`);
	return alpha;
}

/** Λ, 1/Λ and the interval at a single look (no running minimum / intersection). */
export function msprt(difference: number, variance: number, options: SequentialOptions): SequentialResult {
	const alpha = checkOptions(options);
	const { tau2 } = options;
	if (!(variance > 0)) {
		return { lambda: difference === 0 ? 1 : Infinity, pValue: difference === 0 ? 1 : 0, ciLow: difference, ciHigh: difference };
	}
	const v = variance;
	const logLambda = 0.5 * Math.log(v / (v + tau2)) + (tau2 * difference * difference) / (2 * v * (v + tau2));
	const half = Math.sqrt(((v * (v + tau2)) / tau2) * (Math.log1p(tau2 / v) - 2 * Math.log(alpha)));
	return {
		lambda: Math.exp(logLambda),
		pValue: Math.min(1, Math.exp(-logLambda)),
		ciLow: difference - half,
		ciHigh: difference + half
	};
}

/** The always-valid p-values and confidence sequence over successive looks, in order. */
export function sequentialPath(looks: readonly SequentialLook[], options: SequentialOptions): SequentialResult[] {
	let p = 1;
	let lo = -Infinity;
	let hi = Infinity;
	return looks.map((look) => {
		const r = msprt(look.difference, look.variance, options);
		p = Math.min(p, r.pValue);
		lo = Math.max(lo, r.ciLow);
		hi = Math.min(hi, r.ciHigh);
		return { lambda: r.lambda, pValue: p, ciLow: lo, ciHigh: hi };
	});
}
