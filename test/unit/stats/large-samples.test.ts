import { describe, expect, it } from 'vitest';
import { columnFromStrings, driftReport, type Column } from '#lib/stats/index.ts';

/** xorshift32-based normal-ish sample (sum of 4 uniforms), fast and deterministic. */
function sample(n: number, seed: number, shift: number): Float64Array {
	let s = seed >>> 0 || 1;
	const next = (): number => {
		s ^= s << 13;
		s >>>= 0;
		s ^= s >>> 17;
		s ^= s << 5;
		s >>>= 0;
		return s / 4294967296;
	};
	const out = new Float64Array(n);
	for (let i = 0; i < n; i++) out[i] = next() + next() + next() + next() - 2 + shift;
	return out;
}

const N = 1_000_000;

// Timings belong to `npm run bench`; these check that 1M-row samples work end to end.
describe('large samples: 1,000,000 vs 1,000,000 rows', () => {
	it('numerical column: every numerical method', () => {
		const ref: Record<string, Column> = { x: { type: 'number', values: sample(N, 1, 0) } };
		const cur: Record<string, Column> = { x: { type: 'number', values: sample(N, 2, 0.005) } };
		const report = driftReport(ref, cur, {
			methods: ['ks', 'wasserstein', 'wasserstein_norm', 'psi', 'jensenshannon', 'hellinger']
		});
		const col = report.columns[0];
		expect(col.kind).toBe('numerical');
		expect(col.tests.map((t) => t.method)).toEqual(['ks', 'wasserstein', 'wasserstein_norm', 'psi', 'jensenshannon', 'hellinger']);
		expect(col.tests[0].method_detail).toBe('asymp');
		expect(col.tests[0].p_value).toBeGreaterThanOrEqual(0);
	});

	it('categorical string column: auto and chisquare', () => {
		const cats = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'NA'];
		const make = (seed: number): string[] => {
			const v = sample(N, seed, 0);
			return Array.from(v, (x) => cats[Math.min(6, Math.floor((x + 2) * 1.75))]);
		};
		const ref = { c: columnFromStrings(make(3)) };
		const cur = { c: columnFromStrings(make(4)) };
		const report = driftReport(ref, cur, { methods: ['auto', 'chisquare', 'psi'] });
		expect(report.columns[0].kind).toBe('categorical');
		expect(report.columns[0].tests.map((t) => t.method)).toEqual(['jensenshannon', 'chisquare', 'psi']);
	});

	it('numerical strings (CSV) column', () => {
		const ref = { x: columnFromStrings(Array.from(sample(N, 5, 0), (v) => v.toFixed(4))) };
		const cur = { x: columnFromStrings(Array.from(sample(N, 6, 0.01), (v) => v.toFixed(4))) };
		const report = driftReport(ref, cur, { methods: ['auto', 'ks'] });
		expect(report.columns[0].kind).toBe('numerical');
	});
});
