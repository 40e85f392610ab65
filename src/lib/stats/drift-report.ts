/**
 * Column-by-column data drift report between a reference and a current
 * dataset. The report is plain JSON (snake_case keys); it is also the CLI's
 * `--json` output.
 */

import { energyDistanceSorted } from './cdf-distance';
import { chiSquareContingency } from './chisquare';
import { kindReason, prepareColumn, type CategoricalData, type ColumnKind, type NumericalData, type PreparedColumn } from './column-kind';
import type { Column } from './column';
import { hellinger, jensenShannon, proportions, psi } from './distance';
import { fisherExact } from './fisher';
import { meanStd } from './float';
import { histogramCounts, sturgesEdges } from './histogram';
import { ks2sampSorted } from './ks';
import { mannWhitneySorted } from './mann-whitney';
import { moments } from './moments';
import { cramerVonMisesSorted } from './cramer-von-mises';
import { wassersteinSorted } from './wasserstein';
import { welchStatistic } from './welch';
import { proportionsZTest } from './ztest';
import { yieldToEvents } from './progress';
import { formatNumber, formatPValue } from '#lib/format/number.ts';

export type DriftMethod =
	| 'ks'
	| 'mannwhitney'
	| 'ttest'
	| 'cramer_von_mises'
	| 'wasserstein'
	| 'wasserstein_norm'
	| 'energy'
	| 'psi'
	| 'jensenshannon'
	| 'hellinger'
	| 'chisquare'
	| 'ztest'
	| 'fisher_exact';

interface MethodInfo {
	kinds: readonly ColumnKind[];
	/** p-value test (drift when p < threshold) or distance (drift when statistic >= threshold). */
	type: 'p_value' | 'distance';
	label: string;
	/** Fewest non-missing values each sample needs (SciPy refuses fewer); default 1. */
	minCount?: number;
}

const ALL_KINDS: readonly ColumnKind[] = ['numerical', 'binary', 'categorical'];

export const DRIFT_METHODS: Readonly<Record<DriftMethod, MethodInfo>> = {
	ks: { kinds: ['numerical'], type: 'p_value', label: 'Kolmogorov–Smirnov test' },
	mannwhitney: { kinds: ['numerical'], type: 'p_value', label: 'Mann–Whitney U test' },
	ttest: { kinds: ['numerical'], type: 'p_value', label: "Welch's t-test", minCount: 2 },
	cramer_von_mises: { kinds: ['numerical'], type: 'p_value', label: 'Cramér–von Mises test', minCount: 2 },
	wasserstein: { kinds: ['numerical'], type: 'distance', label: 'Wasserstein distance' },
	wasserstein_norm: { kinds: ['numerical'], type: 'distance', label: 'Normalised Wasserstein distance' },
	energy: { kinds: ['numerical'], type: 'distance', label: 'Energy distance' },
	psi: { kinds: ALL_KINDS, type: 'distance', label: 'Population stability index' },
	jensenshannon: { kinds: ALL_KINDS, type: 'distance', label: 'Jensen–Shannon distance' },
	hellinger: { kinds: ALL_KINDS, type: 'distance', label: 'Hellinger distance' },
	chisquare: { kinds: ['binary', 'categorical'], type: 'p_value', label: 'Chi-squared test' },
	ztest: { kinds: ['binary'], type: 'p_value', label: 'Two-proportion z-test' },
	fisher_exact: { kinds: ['binary'], type: 'p_value', label: "Fisher's exact test" }
};

export const DEFAULT_P_VALUE_THRESHOLD = 0.05;
export const DEFAULT_DISTANCE_THRESHOLD = 0.1;
/** `auto` uses the small-sample tests up to this many non-missing reference rows. */
export const AUTO_SMALL_REFERENCE_MAX = 1000;
/** The dataset drifts when at least this share of columns drift. */
export const DATASET_DRIFT_SHARE = 0.5;

export function isDriftMethod(name: string): name is DriftMethod {
	return Object.prototype.hasOwnProperty.call(DRIFT_METHODS, name);
}

/** What `auto` picks for a column of this kind and reference size (non-missing rows). */
export function autoMethod(kind: ColumnKind, referenceCount: number): DriftMethod {
	if (referenceCount <= AUTO_SMALL_REFERENCE_MAX) {
		return kind === 'numerical' ? 'ks' : kind === 'binary' ? 'ztest' : 'chisquare';
	}
	return kind === 'numerical' ? 'wasserstein_norm' : 'jensenshannon';
}

export interface DriftTestReport {
	method: DriftMethod;
	/** Always finite (see fisher_exact's method_detail for the zero-cell case). */
	statistic: number;
	p_value: number | null;
	threshold: number;
	drifted: boolean;
	/**
	 * How the value was computed: 'exact' / 'asymp' (ks), 'exact' / 'asymptotic' (mannwhitney,
	 * cramer_von_mises), 'Welch df=…' (ttest), 'N Sturges bins' / 'N categories' (psi,
	 * jensenshannon, hellinger), 'dof=K-1' (chisquare), 'pooled' (ztest), 'odds ratio' (fisher_exact).
	 */
	method_detail?: string;
	/** ks: D; other numerical tests: difference of means in reference SDs; categorical: Cramér's V. */
	effect_size?: number;
	/** One plain-language sentence. */
	reading?: string;
}

export interface DriftSampleSummary {
	count: number;
	missing: number;
}

export interface DriftColumnReport {
	column: string;
	kind: ColumnKind;
	reference: DriftSampleSummary;
	current: DriftSampleSummary;
	tests: DriftTestReport[];
	drifted: boolean;
	/** Why the column is of its kind (see column-kind.ts for the rule). */
	kind_reason: string;
	/** Set when none of the requested methods applies to the column's kind: why, and the test it got instead (auto's pick). */
	method_note?: string;
}

export interface DriftReport {
	columns: DriftColumnReport[];
	/** Drifted columns among the tested ones. */
	drifted_columns: number;
	/** Columns that got at least one test (the denominator of `share`). */
	tested_columns: number;
	/** drifted_columns / tested_columns. */
	share: number;
	dataset_drift: boolean;
}

/** Alias of DriftReportOptions. */
export type DriftOptions = DriftReportOptions;

export interface DriftReportOptions {
	/** Columns to test, in order (default: every reference column). */
	columns?: string[];
	/** 'auto' or method names, in order (default ['auto']). */
	methods?: string[];
	/** Overrides the default thresholds (p < 0.05 for tests, statistic >= 0.1 for distances). */
	threshold?: number;
	signal?: AbortSignal;
	onProgress?: (done: number, total: number) => void;
}

function finiteOrNull(x: number): number | null {
	return Number.isFinite(x) ? x : null;
}

interface RawTest {
	statistic: number;
	pValue: number | null;
	detail?: string;
	effect: number;
	describe: string;
}

class ColumnTests {
	private histCache: { r: Float64Array; c: Float64Array } | null = null;
	private meanDiff: number | null = null;
	private refMoments: { mean: number; std: number } | null = null;
	private cramer: number | null = null;

	constructor(private readonly data: PreparedColumn) {}

	private binned(): { r: Float64Array; c: Float64Array } {
		if (!this.histCache) {
			const d = this.data as NumericalData;
			const edges = sturgesEdges(d.ref, d.cur);
			this.histCache = {
				r: proportions(histogramCounts(d.ref, edges), d.ref.length),
				c: proportions(histogramCounts(d.cur, edges), d.cur.length)
			};
		}
		return this.histCache;
	}

	private categorical(): { r: Float64Array; c: Float64Array } {
		const d = this.data as CategoricalData;
		return { r: proportions(d.refCounts, d.reference.count), c: proportions(d.curCounts, d.current.count) };
	}

	private distributions(): { r: Float64Array; c: Float64Array } {
		return this.data.kind === 'numerical' ? this.binned() : this.categorical();
	}

	/** "11 value bins" / "3 categories" */
	private support(k: number): string {
		return this.data.kind === 'numerical' ? `${k} value bins` : `${k} categories`;
	}

	/** The reference's mean and standard deviation (ddof=0), computed once for every method that needs them. */
	private referenceMeanStd(): { mean: number; std: number } {
		return (this.refMoments ??= meanStd((this.data as NumericalData).ref));
	}

	/** Difference of means in reference standard deviations (floored at 0.001). */
	private standardisedMeanDiff(): number {
		if (this.meanDiff === null) {
			const d = this.data as NumericalData;
			const r = this.referenceMeanStd();
			const c = meanStd(d.cur);
			this.meanDiff = (c.mean - r.mean) / Math.max(r.std, 0.001);
		}
		return this.meanDiff;
	}

	private cramersV(): number {
		if (this.cramer === null) {
			const d = this.data as CategoricalData;
			this.cramer = chiSquareContingency(d.refCounts, d.curCounts).cramersV;
		}
		return this.cramer;
	}

	private effect(): number {
		return this.data.kind === 'numerical' ? this.standardisedMeanDiff() : this.cramersV();
	}

	run(method: DriftMethod): RawTest {
		const data = this.data;
		switch (method) {
			case 'ks': {
				const d = data as NumericalData;
				const r = ks2sampSorted(d.ref, d.cur);
				return {
					statistic: r.statistic,
					pValue: r.pValue,
					detail: r.method,
					effect: r.statistic,
					describe: `the largest gap between the two cumulative distributions is ${formatNumber(100 * r.statistic)}%`
				};
			}
			case 'mannwhitney': {
				const d = data as NumericalData;
				const r = mannWhitneySorted(d.ref, d.cur);
				const share = r.u / (d.ref.length * d.cur.length);
				return {
					statistic: r.u,
					pValue: r.pValue,
					detail: r.method,
					effect: this.standardisedMeanDiff(),
					describe: `a reference value exceeds a current one in ${formatNumber(100 * share)}% of pairs (U = ${formatNumber(r.u)}; 50% without drift)`
				};
			}
			case 'ttest': {
				const d = data as NumericalData;
				const r = welchStatistic(moments(d.ref), moments(d.cur));
				return {
					statistic: Math.abs(r.t),
					pValue: r.pValue,
					detail: r.degenerate ? 'no variance' : `Welch df=${formatNumber(r.df)}`,
					effect: this.standardisedMeanDiff(),
					describe: `the means differ by ${formatNumber(-r.difference)} (current − reference), |t| = ${formatNumber(Math.abs(r.t))}`
				};
			}
			case 'cramer_von_mises': {
				const d = data as NumericalData;
				const r = cramerVonMisesSorted(d.ref, d.cur);
				return {
					statistic: r.statistic,
					pValue: r.pValue,
					detail: r.method,
					effect: this.standardisedMeanDiff(),
					describe: `the squared gaps between the two cumulative distributions add up to T = ${formatNumber(r.statistic)}`
				};
			}
			case 'energy': {
				const d = data as NumericalData;
				const e = energyDistanceSorted(d.ref, d.cur);
				return {
					statistic: e,
					pValue: null,
					effect: this.standardisedMeanDiff(),
					describe: `the energy distance between the samples is ${formatNumber(e)} (in the column's units; 0 = identical)`
				};
			}
			case 'wasserstein': {
				const d = data as NumericalData;
				const w = wassersteinSorted(d.ref, d.cur);
				return {
					statistic: w,
					pValue: null,
					effect: this.standardisedMeanDiff(),
					describe: `values moved by ${formatNumber(w)} on average (in the column's units)`
				};
			}
			case 'wasserstein_norm': {
				const d = data as NumericalData;
				const std = this.referenceMeanStd().std;
				const w = wassersteinSorted(d.ref, d.cur) / Math.max(std, 0.001);
				return {
					statistic: w,
					pValue: null,
					effect: this.standardisedMeanDiff(),
					describe: `values moved by ${formatNumber(w)} reference standard deviations on average`
				};
			}
			case 'psi': {
				const { r, c } = this.distributions();
				const v = psi(r, c);
				return {
					statistic: v,
					pValue: null,
					detail: this.support(r.length).replace('value bins', 'Sturges bins'),
					effect: this.effect(),
					describe: `the shares of the ${this.support(r.length)} shifted by a PSI of ${formatNumber(v)}`
				};
			}
			case 'jensenshannon': {
				const { r, c } = this.distributions();
				const v = jensenShannon(r, c);
				return {
					statistic: v,
					pValue: null,
					detail: this.support(r.length).replace('value bins', 'Sturges bins'),
					effect: this.effect(),
					describe: `the distributions over ${this.support(r.length)} are ${formatNumber(v)} apart (0 = identical, 0.83 = disjoint)`
				};
			}
			case 'hellinger': {
				const { r, c } = this.distributions();
				const v = hellinger(r, c);
				return {
					statistic: v,
					pValue: null,
					detail: this.support(r.length).replace('value bins', 'Sturges bins'),
					effect: this.effect(),
					describe: `the distributions over ${this.support(r.length)} are ${formatNumber(v)} apart (0 = identical, 1 = disjoint)`
				};
			}
			case 'chisquare': {
				const d = data as CategoricalData;
				const r = chiSquareContingency(d.refCounts, d.curCounts);
				return {
					statistic: r.statistic,
					pValue: r.pValue,
					detail: r.dof === 0 ? 'single category' : `dof=${r.dof}`,
					effect: r.cramersV,
					describe: `comparing category frequencies gives chi-squared ${formatNumber(r.statistic)} on ${r.dof} degree${r.dof === 1 ? '' : 's'} of freedom`
				};
			}
			case 'ztest': {
				const d = data as CategoricalData;
				const r = proportionsZTest(d.refCounts[0], d.reference.count, d.curCounts[0], d.current.count);
				const share = (x: number, n: number): string => `${formatNumber((100 * x) / n)}%`;
				return {
					statistic: r.statistic,
					pValue: r.pValue,
					detail: r.method === 'degenerate' ? 'single value' : 'pooled',
					effect: this.cramersV(),
					describe: `the share of "${d.categories[0]}" went from ${share(d.refCounts[0], d.reference.count)} to ${share(d.curCounts[0], d.current.count)}`
				};
			}
			case 'fisher_exact': {
				const d = data as CategoricalData;
				const two = d.categories.length === 2;
				const a = d.refCounts[0];
				const b = two ? d.refCounts[1] : 0;
				const c = d.curCounts[0];
				const e = two ? d.curCounts[1] : 0;
				const r = fisherExact(a, b, c, e);
				// SciPy's statistic is the sample odds ratio, infinite or undefined with a zero
				// cell; the report then uses the Haldane–Anscombe (+0.5) odds ratio instead.
				const finite = Number.isFinite(r.oddsRatio);
				return {
					statistic: finite ? r.oddsRatio : ((a + 0.5) * (e + 0.5)) / ((b + 0.5) * (c + 0.5)),
					pValue: r.pValue,
					detail: finite ? 'odds ratio' : 'odds ratio with 0.5 added to each cell',
					effect: this.cramersV(),
					describe: `the odds ratio between the two samples is ${formatNumber(r.oddsRatio)}`
				};
			}
		}
	}
}

function reading(method: DriftMethod, raw: RawTest, threshold: number, drifted: boolean): string {
	const info = DRIFT_METHODS[method];
	const verdict = drifted ? 'so the column has drifted' : 'so no drift is detected';
	if (info.type === 'p_value') {
		const p = raw.pValue ?? NaN;
		const cmp = drifted ? 'below' : 'not below';
		return `${info.label}: ${raw.describe} (${formatPValue(p, 'sentence')}, ${cmp} the ${formatNumber(threshold)} threshold), ${verdict}.`;
	}
	const cmp = drifted ? 'at or above' : 'below';
	return `${info.label}: ${raw.describe}, ${cmp} the ${formatNumber(threshold)} threshold, ${verdict}.`;
}

function checkAborted(signal: AbortSignal | undefined): void {
	if (!signal?.aborted) return;
	if (typeof signal.throwIfAborted === 'function') signal.throwIfAborted();
	throw signal.reason instanceof Error ? signal.reason : new Error('The drift report was aborted');
}

/** The methods asked for, checked (throws naming an unknown one). */
export function resolveMethods(methods: readonly string[]): (DriftMethod | 'auto')[] {
	if (methods.length === 0) throw new Error('No drift methods requested');
	return methods.map((m) => {
		if (m === 'auto' || isDriftMethod(m)) return m;
		throw new Error(`Unknown drift method "${m}" (expected "auto" or one of ${Object.keys(DRIFT_METHODS).join(', ')})`);
	});
}

/** Tests one column; throws when a sample is empty after dropping missing values. */
export function driftColumn(
	name: string,
	reference: Column,
	current: Column,
	options: Pick<DriftReportOptions, 'methods' | 'threshold'> = {}
): DriftColumnReport {
	return driftPreparedColumn(name, prepareColumn(reference, current), options);
}

/** `driftColumn` on the column's prepared data (prepareColumn), for a caller that uses the data again. */
export function driftPreparedColumn(name: string, data: PreparedColumn, options: Pick<DriftReportOptions, 'methods' | 'threshold'> = {}): DriftColumnReport {
	const methods = resolveMethods(options.methods ?? ['auto']);
	if (data.reference.count === 0) {
		throw new Error(`Column "${name}": the reference sample is empty after dropping missing values`);
	}
	if (data.current.count === 0) {
		throw new Error(`Column "${name}": the current sample is empty after dropping missing values`);
	}
	const runner = new ColumnTests(data);
	const tests: DriftTestReport[] = [];
	const chosen = methods.map((requested) => (requested === 'auto' ? autoMethod(data.kind, data.reference.count) : requested));
	const applicable = chosen.filter((method) => DRIFT_METHODS[method].kinds.includes(data.kind));
	let methodNote: string | undefined;
	if (applicable.length === 0) {
		// None of the requested methods fits this kind: the column gets what auto picks, and says why.
		const skipped = [...new Set(chosen)].map((m) => `"${m}"`).join(' and ');
		const fallback = autoMethod(data.kind, data.reference.count);
		applicable.push(fallback);
		methodNote = `${skipped} ${chosen.length === 1 ? 'does' : 'do'} not apply to a ${data.kind} column (${kindReason(data)}): tested with "${fallback}" instead, as auto would.`;
	}
	for (const method of applicable) {
		const info = DRIFT_METHODS[method];
		const least = Math.min(data.reference.count, data.current.count);
		if (least < (info.minCount ?? 1)) {
			const side = data.reference.count === least ? 'reference' : 'current';
			throw new Error(`Column "${name}": ${method} needs at least ${info.minCount} non-missing values in each sample (the ${side} has ${least})`);
		}
		const threshold = options.threshold ?? (info.type === 'p_value' ? DEFAULT_P_VALUE_THRESHOLD : DEFAULT_DISTANCE_THRESHOLD);
		const raw = runner.run(method);
		const drifted = info.type === 'p_value' ? raw.pValue !== null && raw.pValue < threshold : raw.statistic >= threshold;
		const test: DriftTestReport = {
			method,
			statistic: raw.statistic,
			p_value: raw.pValue === null ? null : finiteOrNull(raw.pValue),
			threshold,
			drifted
		};
		if (raw.detail !== undefined) test.method_detail = raw.detail;
		if (Number.isFinite(raw.effect)) test.effect_size = raw.effect;
		test.reading = reading(method, raw, threshold, drifted);
		tests.push(test);
	}
	return {
		column: name,
		kind: data.kind,
		reference: { count: data.reference.count, missing: data.reference.missing },
		current: { count: data.current.count, missing: data.current.missing },
		tests,
		drifted: tests.length > 0 ? tests[0].drifted : false,
		kind_reason: kindReason(data),
		...(methodNote && { method_note: methodNote })
	};
}

function has(record: Record<string, Column>, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(record, key);
}

/** The columns to test, in order (throws naming one missing from either side). */
export function planColumns(reference: Record<string, Column>, current: Record<string, Column>, options: DriftReportOptions): string[] {
	const names = options.columns ?? Object.keys(reference);
	for (const name of names) {
		if (!has(reference, name)) throw new Error(`Unknown column "${name}": not in the reference data`);
		if (!has(current, name)) throw new Error(`Unknown column "${name}": not in the current data`);
	}
	return names;
}

/** The report of these column reports, in their order. */
export function summarise(columns: DriftColumnReport[]): DriftReport {
	const drifted = columns.filter((c) => c.drifted).length;
	const tested = columns.filter((c) => c.tests.length > 0).length;
	const share = tested > 0 ? drifted / tested : 0;
	return {
		columns,
		drifted_columns: drifted,
		tested_columns: tested,
		share,
		dataset_drift: tested > 0 && share >= DATASET_DRIFT_SHARE
	};
}

/**
 * Tests each column of `current` against `reference` and summarises dataset drift.
 * Throws (naming the column or method) on an unknown column or method, or a
 * sample left empty after dropping missing values; throws the abort reason when
 * `signal` is aborted between columns.
 */
export function driftReport(reference: Record<string, Column>, current: Record<string, Column>, options: DriftReportOptions = {}): DriftReport {
	const methods = resolveMethods(options.methods ?? ['auto']);
	const names = planColumns(reference, current, options);
	const out: DriftColumnReport[] = [];
	checkAborted(options.signal);
	for (let i = 0; i < names.length; i++) {
		const name = names[i];
		out.push(driftColumn(name, reference[name], current[name], { methods, threshold: options.threshold }));
		options.onProgress?.(i + 1, names.length);
		if (i + 1 < names.length) checkAborted(options.signal);
	}
	return summarise(out);
}

/**
 * Same as `driftReport`, yielding to the event loop between columns so that an
 * abort (or other messages, in a worker) can be handled while it runs.
 */
export async function driftReportAsync(
	reference: Record<string, Column>,
	current: Record<string, Column>,
	options: DriftReportOptions = {}
): Promise<DriftReport> {
	const methods = resolveMethods(options.methods ?? ['auto']);
	const names = planColumns(reference, current, options);
	const out: DriftColumnReport[] = [];
	for (let i = 0; i < names.length; i++) {
		await yieldToEvents();
		checkAborted(options.signal);
		const name = names[i];
		out.push(driftColumn(name, reference[name], current[name], { methods, threshold: options.threshold }));
		options.onProgress?.(i + 1, names.length);
	}
	return summarise(out);
}
