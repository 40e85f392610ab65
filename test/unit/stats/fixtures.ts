/**
 * Helpers for the stats tests: load the SciPy reference fixtures written by
 * scripts/fixtures/generate_stats_fixtures.py and regenerate their samples.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const FIXTURES = fileURLToPath(new URL('../../fixtures/stats/', import.meta.url));

function decode(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(decode);
	if (value !== null && typeof value === 'object') {
		if ('$float' in value) return Number((value as { $float: string }).$float);
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value)) out[k] = decode(v);
		return out;
	}
	return value;
}

/** A fixture file, with {"$float": "NaN" | "Infinity" | "-Infinity"} turned back into numbers. */
export function loadFixture<T>(name: string): T {
	return decode(JSON.parse(readFileSync(FIXTURES + name, 'utf8'))) as T;
}

export interface GenSpec {
	seed: number;
	n: number;
	dist: 'normal' | 'uniform' | 'skew' | 'cat';
	loc?: number;
	scale?: number;
	grid?: number;
	missing?: number;
	cats?: (string | number)[];
	cum?: number[];
}

export type Sample = { values: (number | string | null)[] } | { gen: GenSpec };

const M64 = (1n << 64n) - 1n;

/** SplitMix64, identical to the Python generator's. */
class SplitMix64 {
	private s: bigint;
	constructor(seed: number) {
		this.s = BigInt(seed) & M64;
	}
	next(): bigint {
		this.s = (this.s + 0x9e3779b97f4a7c15n) & M64;
		let z = this.s;
		z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
		z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
		return z ^ (z >> 31n);
	}
	u53(): number {
		return Number(this.next() >> 11n) / 9007199254740992.0;
	}
	u20(): number {
		return Number(this.next() >> 44n);
	}
}

/** The generator of the Python script: null marks a missing value. */
export function generate(spec: GenSpec): (number | string | null)[] {
	const rng = new SplitMix64(spec.seed);
	const loc = spec.loc ?? 0;
	const scale = spec.scale ?? 1;
	const out: (number | string | null)[] = [];
	for (let i = 0; i < spec.n; i++) {
		let isMissing = false;
		if (spec.missing !== undefined) isMissing = rng.u53() < spec.missing;
		let v: number | string;
		switch (spec.dist) {
			case 'normal': {
				const s = rng.u20() + rng.u20() + rng.u20() + rng.u20();
				v = loc + scale * ((s - 2097152) / 1048576.0);
				break;
			}
			case 'uniform':
				v = loc + scale * rng.u53();
				break;
			case 'skew': {
				const x = rng.u53();
				v = loc + scale * (x * x * x);
				break;
			}
			case 'cat': {
				const u = rng.u53();
				const cum = spec.cum ?? [];
				let k = 0;
				while (k < cum.length - 1 && !(u < cum[k])) k++;
				v = (spec.cats ?? [])[k];
				break;
			}
		}
		if (spec.grid !== undefined && spec.dist !== 'cat') v = Math.floor((v as number) * spec.grid) / spec.grid;
		out.push(isMissing ? null : v);
	}
	return out;
}

export function sampleValues(sample: Sample): (number | string | null)[] {
	return 'values' in sample ? sample.values : generate(sample.gen);
}

/** A numeric sample as a Float64Array with NaN for missing values. */
export function numericSample(sample: Sample): Float64Array {
	return Float64Array.from(sampleValues(sample), (v) => (v === null ? NaN : Number(v)));
}

/** A categorical sample as strings (null for missing). */
export function stringSample(sample: Sample): (string | null)[] {
	return sampleValues(sample).map((v) => (v === null ? null : String(v)));
}

/**
 * Relative error; where the expected value is 0 or below 1e-300 (where
 * relative accuracy is meaningless) the absolute difference counted against
 * `absNearZero` instead (0 if within it).
 */
export function relErr(actual: number, expected: number, absNearZero = 1e-12): number {
	if (actual === expected) return 0;
	if (Number.isNaN(actual) && Number.isNaN(expected)) return 0;
	const diff = Math.abs(actual - expected);
	if (Math.abs(expected) < 1e-300) return diff <= absNearZero ? 0 : diff;
	return diff / Math.abs(expected);
}

/** expect(actual) ≈ expected to `rel` relative (absolute `abs` where expected is ~0). */
export function expectClose(actual: number, expected: number, label = '', rel = 1e-9, abs = 1e-12): void {
	const err = relErr(actual, expected, abs);
	if (!(err <= rel)) {
		expect.fail(`${label}: got ${actual}, expected ${expected} (error ${err.toExponential(2)} > ${rel})`);
	}
}
