/**
 * The drift computations whose results must stay bit-identical when the statistics get faster
 * (issue 18): the SciPy fixture dataset with every method, and synthetic columns built to stress
 * ordering (negative numbers, -0 and +0, subnormals, huge values, ties, missing values, sizes on
 * both sides of the exact KS limit). scripts/fixtures/generate_drift_golden.ts wrote their
 * results, computed with the code before the change, to test/fixtures/stats/drift-golden.json.
 * One value changed since, on purpose: the fixture's fisher_exact p-value (…5597 → …5599), when
 * issue 19 made Fisher's test sum the requested tail directly (test/unit/stats/drift-methods.test.ts).
 */
import { columnFromStrings, driftAnalysis, driftReport, driftReportSplit, type Column, type DriftPeer, type DriftReportOptions } from '#lib/stats/index.ts';
import { loadFixture } from './fixtures';
import { mulberry32 } from '../../support/mulberry32';

const TINY = [-0, 0, 5e-324, -5e-324, 2.2250738585072014e-308, -2.2250738585072014e-308, -1e-310, 1e-310];
const HUGE = [1e300, -1e300, 8.98846567431158e307, -1e-300];

export function syntheticColumns(seed: number, n: number, shift: number): Record<string, Column> {
	const random = mulberry32(seed);
	const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
	const column = (f: (i: number) => number, size = n): Column => ({ type: 'number', values: Float64Array.from({ length: size }, (_, i) => f(i)) });
	return {
		normal: column(() => normal() + shift),
		signed: column(() => (random() < 0.3 ? TINY[Math.floor(random() * TINY.length)] : (normal() - shift) * 1e-3)),
		huge: column(() => (random() < 0.05 ? HUGE[Math.floor(random() * HUGE.length)] : normal() + shift)),
		grid: column(() => Math.round((normal() + shift) * 2) / 2),
		missing: column(() => (random() < 0.03 ? NaN : Math.exp(normal() + shift))),
		small: column(() => normal() + shift, 300 + Math.round(shift * 1000)),
		equal_n: column(() => random() + shift, 5000),
		few: column(() => Math.floor(random() * 4) - 2),
		infinite: column(() => (random() < 0.01 ? Infinity : Math.floor(random() * 10)))
	};
}

const ALL = ['ks', 'wasserstein', 'wasserstein_norm', 'psi', 'jensenshannon', 'hellinger', 'chisquare', 'ztest', 'fisher_exact'];

/** Every case, by name: each returns what the library computed (with `peer`: on two threads). */
export function goldenCases(peer?: DriftPeer): Record<string, () => unknown | Promise<unknown>> {
	const fx = loadFixture<{ reference: Record<string, string[]>; current: Record<string, string[]> }>('drift.json');
	const strings = (data: Record<string, string[]>) => Object.fromEntries(Object.entries(data).map(([k, v]) => [k, columnFromStrings(v)]));
	const fixRef = strings(fx.reference);
	const fixCur = strings(fx.current);
	const synRef = syntheticColumns(1, 20_000, 0);
	const synCur = syntheticColumns(2, 15_000, 0.05);
	const report = (reference: Record<string, Column>, current: Record<string, Column>, options: DriftReportOptions = {}) =>
		peer ? driftReportSplit(reference, current, { ...options, peer }) : driftReport(reference, current, options);
	return {
		'fixture, every method': () => report(fixRef, fixCur, { methods: ALL }),
		'fixture, auto': () => report(fixRef, fixCur),
		'synthetic, every method': () => report(synRef, synCur, { methods: ALL }),
		'synthetic, auto': () => report(synRef, synCur),
		'synthetic analysis, windows of 4000 rows': () =>
			driftAnalysis(
				{ normal: synRef.normal, signed: synRef.signed, grid: synRef.grid, missing: synRef.missing },
				{ normal: synCur.normal, signed: synCur.signed, grid: synCur.grid, missing: synCur.missing },
				{ methods: ['ks', 'wasserstein_norm'], window: { unit: 'rows', size: 4000 }, peer }
			)
	};
}

/** JSON with every number exact: -0, NaN and ±Infinity as {"$float": …} (what loadFixture reads back). */
export function exactJson(value: unknown): string {
	return JSON.stringify(
		value,
		(_, v: unknown) => (typeof v === 'number' && (Object.is(v, -0) || !Number.isFinite(v)) ? { $float: Object.is(v, -0) ? '-0' : String(v) } : v),
		1
	);
}
