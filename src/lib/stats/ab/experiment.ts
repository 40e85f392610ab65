/**
 * The whole A/B analysis of one table: groups, the sample-ratio check, one comparison per variant
 * against control, multiple-comparison adjustment, the always-valid (sequential) interval, the
 * cumulative result over time and a verdict in words. Plain JSON with snake_case keys; the CLI's
 * `--json` output is a projection of it.
 */
import { isMissingString, parseStringValues, type Column } from '#lib/stats/column.ts';
import { parseNumber } from '#lib/stats/column-kind.ts';
import { ndtri } from '#lib/stats/special.ts';
import { fisherExact } from '#lib/stats/fisher.ts';
import { cupedAdjust } from './cuped';
import { AbInputError } from './errors';
import { mannWhitneyU } from './mannwhitney';
import { moments } from '#lib/stats/moments.ts';
import { adjustPValues, type Correction } from './multiple';
import { proportionTest } from './proportion';
import { sequentialPath, msprt, type SequentialResult } from './sequential';
import { srmTest, SRM_THRESHOLD } from './srm';
import { bucketStarts, timeValues } from './time';
import { welchFromMoments } from './welch';
import { formatNumber, formatSigned, formatPercent, formatPValue, PRECISE } from '#lib/format/number.ts';

export type AbTestKind = 'proportion' | 'welch' | 'mannwhitney' | 'cuped';
export const AB_TESTS: readonly AbTestKind[] = ['proportion', 'welch', 'mannwhitney', 'cuped'];

export function isAbTestKind(name: string): name is AbTestKind {
	return (AB_TESTS as readonly string[]).includes(name);
}

export interface AbData {
	/** The group (arm) of each row. */
	group: Column;
	/** The metric: 0/1 for conversions, any number otherwise. */
	metric: Column;
	/** A pre-experiment covariate (for `cuped`). */
	covariate?: Column;
	/** When each row happened: epoch milliseconds, or ISO 8601 strings. */
	time?: Column;
}

export interface AbOptions {
	control: string;
	/** Default 'auto': `proportion` when every metric value is 0 or 1, else `welch`. */
	test?: AbTestKind | 'auto';
	/** Adjustment when there is more than one variant (default 'holm'). */
	correction?: Correction;
	/** Significance level (default 0.05); intervals are 1 − alpha. */
	alpha?: number;
	/** Planned split for the sample-ratio check, by group (default: equal). */
	weights?: Record<string, number>;
	/** Whether a higher metric is better (default) or a lower one. */
	better?: 'higher' | 'lower';
	/** Mixing variance τ² of the sequential test (default: (0.1 · control's standard deviation)²). */
	tau2?: number;
	/** Whether a numeric time column holds epoch milliseconds (default: plain ordered numbers). */
	timeUnit?: 'ms' | 'number';
	/** Column names, for messages. */
	names?: { group?: string; metric?: string; covariate?: string; time?: string };
}

export interface AbSrm {
	statistic: number;
	p_value: number;
	dof: number;
	groups: string[];
	observed: number[];
	expected: number[];
	threshold: number;
	mismatch: boolean;
}

export interface AbSequential {
	/** Always-valid p-value and 1 − alpha confidence sequence at the last look (mSPRT). */
	p_value: number;
	ci_low: number;
	ci_high: number;
	tau2: number;
	looks: number;
}

export type AbOutcome = 'better' | 'worse' | 'inconclusive';

export interface AbVariantReport {
	variant: string;
	n: number;
	control_n: number;
	/** Variant mean (the conversion rate for `proportion`; of y' for `cuped`); absent for `mannwhitney`. */
	mean?: number;
	control_mean?: number;
	difference?: number;
	ci_low?: number;
	ci_high?: number;
	/** difference / control_mean; null when the control mean is 0. */
	relative_lift?: number | null;
	p_value: number;
	/** Only with more than one variant. */
	p_value_adjusted?: number;
	/** Only for `proportion`. */
	prob_to_beat?: number;
	/** The test statistic: z (proportion), t (welch, cuped) or U of the variant (mannwhitney). */
	statistic: number;
	/** How the p-value was computed: 'pooled' z, 'welch', 'exact' or 'asymptotic' U, or 'degenerate'. */
	method: string;
	/** Welch–Satterthwaite degrees of freedom (welch, cuped). */
	df?: number;
	/** mannwhitney: P(variant value > control value), ties counting ½. */
	probability_of_superiority?: number;
	/** p (adjusted when there are several variants) < alpha and, where there is one, the interval excludes 0. */
	significant: boolean;
	outcome: AbOutcome;
	sequential?: AbSequential;
	/**
	 * proportion only, when a group has fewer than {@link SMALL_SAMPLE_COUNT} conversions or
	 * non-conversions: the normal approximation behind the z-test and the Wald interval is
	 * unreliable, so significance rests on Fisher's exact test as well (the larger p-value decides).
	 */
	small_sample?: AbSmallSample;
	/** One sentence. */
	reading: string;
}

export interface AbSmallSample {
	/** The smallest count, e.g. 3, and what it counts, e.g. "conversions for control". */
	count: number;
	counted: string;
	/** Two-sided p-value of Fisher's exact test on the 2×2 table (scipy.stats.fisher_exact). */
	exact_p_value: number;
}

/** The usual rule of thumb for the normal approximation of a proportion: n·p and n·(1 − p) at least 5. */
export const SMALL_SAMPLE_COUNT = 5;

export interface AbGroupSummary {
	group: string;
	n: number;
	mean: number;
}

export interface AbTimelinePoint {
	variant: string;
	/** Start of the bucket (epoch ms, or the time value for plain numbers). */
	time: number;
	n: number;
	control_n: number;
	difference: number;
	relative_lift: number | null;
	/** Fixed-horizon normal interval at this look (not valid under peeking). */
	ci_low: number;
	ci_high: number;
	/** Always-valid confidence sequence up to this look. */
	seq_low: number;
	seq_high: number;
	seq_p_value: number;
}

export type AbDecision = 'ship' | 'do_not_ship' | 'inconclusive' | 'invalid';

export interface AbVerdict {
	decision: AbDecision;
	/** The variant to ship, when decision is 'ship'. */
	variant?: string;
	headline: string;
	details: string[];
}

export interface AbReport {
	test: AbTestKind;
	control: string;
	alpha: number;
	correction: Correction | null;
	better: 'higher' | 'lower';
	groups: AbGroupSummary[];
	srm: AbSrm;
	variants: AbVariantReport[];
	cuped?: { theta: number; covariate_mean: number; variance_reduction: number };
	/** Rows left out for a missing group, metric or covariate. */
	dropped_rows: number;
	timeline?: AbTimelinePoint[];
	time_unit?: 'ms' | 'number';
	verdict: AbVerdict;
}

// ————————————————————————————————————————————— input

function groupStrings(col: Column): (string | null)[] {
	const out: (string | null)[] = new Array(col.values.length);
	if (col.type === 'number') {
		for (let i = 0; i < out.length; i++) out[i] = Number.isNaN(col.values[i]) ? null : String(col.values[i]);
	} else {
		for (let i = 0; i < out.length; i++) {
			const s = col.values[i];
			out[i] = isMissingString(s) ? null : String(s);
		}
	}
	return out;
}

/** Numbers with NaN for missing; a non-numeric string is an error naming its row. */
export function numericValues(col: Column, what: string): Float64Array {
	if (col.type === 'number') return col.values;
	return parseStringValues(col.values, (text, row) => {
		const x = parseNumber(text);
		if (!Number.isFinite(x)) throw new AbInputError(`${what}: "${text}" is not a number (row ${row + 1})`, row);
		return x;
	});
}

// ————————————————————————————————————————————— analysis

interface Arm {
	name: string;
	rows: number[];
	values: Float64Array;
}

function finite(x: number): number | null {
	return Number.isFinite(x) ? x : null;
}

/**
 * Runs the analysis. Throws AbInputError on bad input: an unknown control, a group with fewer than
 * 2 rows, a non-numeric metric, a test that does not fit the metric.
 */
export function abTest(data: AbData, options: AbOptions): AbReport {
	const names = {
		group: options.names?.group ?? 'group',
		metric: options.names?.metric ?? 'metric',
		covariate: options.names?.covariate ?? 'covariate',
		time: options.names?.time ?? 'time'
	};
	const alpha = options.alpha ?? 0.05;
	if (!(alpha > 0 && alpha < 1)) throw new AbInputError(`alpha must be between 0 and 1, got ${alpha}`);
	const better = options.better ?? 'higher';
	const n = data.group.values.length;
	if (data.metric.values.length !== n) throw new AbInputError('group and metric columns must have the same length');
	const groups = groupStrings(data.group);
	const metric = numericValues(data.metric, `metric "${names.metric}"`);
	const requested = options.test ?? 'auto';
	if (requested !== 'auto' && !isAbTestKind(requested)) {
		throw new AbInputError(`unknown test "${requested as string}" (expected one of ${AB_TESTS.join(', ')})`);
	}
	if (requested === 'cuped' && !data.covariate) throw new AbInputError('the cuped test needs a covariate column');
	const covariate = requested === 'cuped' && data.covariate ? numericValues(data.covariate, `covariate "${names.covariate}"`) : undefined;
	const time = data.time ? timeValues(data.time, `time "${names.time}"`, options.timeUnit) : undefined;

	// Keep rows with a group and a metric (and a covariate for cuped); groups in order of first appearance.
	const keep: number[] = [];
	const armByName = new Map<string, number[]>();
	for (let i = 0; i < n; i++) {
		const g = groups[i];
		if (g === null || Number.isNaN(metric[i]) || (covariate && Number.isNaN(covariate[i]))) continue;
		keep.push(i);
		let rows = armByName.get(g);
		if (!rows) armByName.set(g, (rows = []));
		rows.push(i);
	}
	const dropped = n - keep.length;
	const order = [...armByName.keys()];
	if (!armByName.has(options.control)) {
		const list = order.length > 0 ? order.map((g) => `"${g}"`).join(', ') : 'none';
		throw new AbInputError(`control "${options.control}" is not a value of ${names.group} (groups: ${list})`);
	}
	for (const g of order) {
		const k = armByName.get(g)!.length;
		if (k < 2) throw new AbInputError(`group "${g}" has ${k} row${k === 1 ? '' : 's'} with a value of ${names.metric}; each group needs at least 2`);
	}
	if (order.length < 2) throw new AbInputError(`only one group ("${options.control}") in ${names.group}: nothing to compare`);

	const binary = keep.every((i) => metric[i] === 0 || metric[i] === 1);
	const test: AbTestKind = requested === 'auto' ? (binary ? 'proportion' : 'welch') : requested;
	if (test === 'proportion' && !binary) throw new AbInputError(`the proportion test needs a 0/1 metric; ${names.metric} has other values`);

	// The analysed values: y' for cuped, the metric otherwise.
	let analysed = metric;
	let cuped: AbReport['cuped'];
	if (test === 'cuped') {
		const y = Float64Array.from(keep, (i) => metric[i]);
		const x = Float64Array.from(keep, (i) => covariate![i]);
		const adj = cupedAdjust(y, x);
		analysed = new Float64Array(n).fill(NaN);
		keep.forEach((row, k) => (analysed[row] = adj.adjusted[k]));
		cuped = { theta: adj.theta, covariate_mean: adj.covariateMean, variance_reduction: adj.varianceReduction };
	}
	const arms: Arm[] = order.map((name) => {
		const rows = armByName.get(name)!;
		return { name, rows, values: Float64Array.from(rows, (i) => analysed[i]) };
	});
	const control = arms.find((a) => a.name === options.control)!;
	const variants = arms.filter((a) => a !== control);

	// Sample-ratio mismatch over every group.
	let weights: number[] | undefined;
	if (options.weights) {
		weights = order.map((g) => {
			const w = options.weights![g];
			if (w === undefined) throw new AbInputError(`no planned weight for group "${g}"`);
			return w;
		});
	}
	const srmRaw = srmTest(
		arms.map((a) => a.rows.length),
		weights
	);
	const srm: AbSrm = {
		statistic: srmRaw.statistic,
		p_value: srmRaw.pValue,
		dof: srmRaw.dof,
		groups: order,
		observed: arms.map((a) => a.rows.length),
		expected: srmRaw.expected,
		threshold: SRM_THRESHOLD,
		mismatch: srmRaw.mismatch
	};

	const controlMoments = moments(control.values);
	const reports: AbVariantReport[] = variants.map((v) => compare(test, v, control, alpha));
	const correction = variants.length > 1 ? (options.correction ?? 'holm') : null;
	if (correction) {
		const adjusted = adjustPValues(
			reports.map((r) => r.p_value),
			correction
		);
		reports.forEach((r, i) => (r.p_value_adjusted = adjusted[i]));
	}

	// Sequential (always-valid) inference on the difference of means.
	const sd = Math.sqrt(controlMoments.variance);
	const tau2 = options.tau2 ?? (sd > 0 ? (0.1 * sd) ** 2 : undefined);
	let timeline: AbTimelinePoint[] | undefined;
	if (test !== 'mannwhitney' && tau2 !== undefined) {
		if (time) {
			timeline = buildTimeline(arms, control, time.values, time.unit, test, alpha, tau2);
			for (const r of reports) {
				const points = timeline.filter((p) => p.variant === r.variant);
				const last = points[points.length - 1];
				if (last) r.sequential = { p_value: last.seq_p_value, ci_low: last.seq_low, ci_high: last.seq_high, tau2, looks: points.length };
			}
		}
		for (const r of reports) {
			if (r.sequential || r.difference === undefined) continue;
			const variance = sequentialVariance(test, arms.find((a) => a.name === r.variant)!.values, control.values);
			const s = msprt(r.difference, variance, { alpha, tau2 });
			const [low, high] = withinPossible(test, s.ciLow, s.ciHigh);
			r.sequential = { p_value: s.pValue, ci_low: low, ci_high: high, tau2, looks: 1 };
		}
	}

	for (const r of reports) {
		const p = decisiveP(r);
		const excludesZero = r.ci_low === undefined || r.ci_high === undefined || r.ci_low > 0 || r.ci_high < 0;
		r.significant = p < alpha && excludesZero;
		let direction: number;
		if (test === 'mannwhitney') direction = Math.sign((r.probability_of_superiority ?? 0.5) - 0.5);
		else direction = Math.sign(r.difference ?? 0);
		const good = better === 'higher' ? direction > 0 : direction < 0;
		r.outcome = !r.significant || direction === 0 ? 'inconclusive' : good ? 'better' : 'worse';
		r.reading = readVariant(test, r, options.control, names.metric, alpha, correction);
	}

	const report: AbReport = {
		test,
		control: options.control,
		alpha,
		correction,
		better,
		groups: arms.map((a) => ({ group: a.name, n: a.rows.length, mean: moments(Float64Array.from(a.rows, (i) => metric[i])).mean })),
		srm,
		variants: reports,
		dropped_rows: dropped,
		verdict: { decision: 'inconclusive', headline: '', details: [] }
	};
	if (cuped) report.cuped = cuped;
	if (timeline) {
		report.timeline = timeline;
		report.time_unit = time!.unit;
	}
	report.verdict = verdict(report);
	return report;
}

function compare(test: AbTestKind, v: Arm, c: Arm, alpha: number): AbVariantReport {
	const base = { variant: v.name, n: v.values.length, control_n: c.values.length };
	const tail = { significant: false, outcome: 'inconclusive' as AbOutcome, reading: '' };
	switch (test) {
		case 'proportion': {
			const sv = count1(v.values);
			const sc = count1(c.values);
			const r = proportionTest(sv, v.values.length, sc, c.values.length, alpha);
			const smallSample = proportionSmallSample(v.name, sv, v.values.length, c.name, sc, c.values.length);
			return {
				...(smallSample && { small_sample: smallSample }),
				...base,
				mean: r.rate,
				control_mean: r.controlRate,
				difference: r.difference,
				ci_low: r.ciLow,
				ci_high: r.ciHigh,
				relative_lift: finite(r.relativeLift),
				p_value: r.pValue,
				prob_to_beat: r.probToBeat,
				statistic: r.z,
				method: r.method,
				...tail
			};
		}
		case 'welch':
		case 'cuped': {
			const r = welchFromMoments(moments(v.values), moments(c.values), alpha);
			return {
				...base,
				mean: r.mean,
				control_mean: r.controlMean,
				difference: r.difference,
				ci_low: r.ciLow,
				ci_high: r.ciHigh,
				relative_lift: finite(r.relativeLift),
				p_value: r.pValue,
				statistic: r.t,
				method: r.method,
				df: r.df,
				...tail
			};
		}
		case 'mannwhitney': {
			const r = mannWhitneyU(v.values, c.values);
			return {
				...base,
				p_value: r.pValue,
				statistic: r.u,
				method: r.method,
				probability_of_superiority: r.probabilityOfSuperiority,
				...tail
			};
		}
	}
}

/** The smallest conversion or non-conversion count below {@link SMALL_SAMPLE_COUNT}, with Fisher's exact p; else undefined. */
function proportionSmallSample(variant: string, sv: number, nv: number, control: string, sc: number, nc: number): AbSmallSample | undefined {
	const counts: [number, string][] = [
		[sv, `conversions for ${variant}`],
		[nv - sv, `non-conversions for ${variant}`],
		[sc, `conversions for ${control}`],
		[nc - sc, `non-conversions for ${control}`]
	];
	const [count, counted] = counts.reduce((a, b) => (b[0] < a[0] ? b : a));
	if (count >= SMALL_SAMPLE_COUNT) return undefined;
	return { count, counted, exact_p_value: fisherExact(sv, nv - sv, sc, nc - sc).pValue ?? 1 };
}

function count1(values: Float64Array): number {
	let s = 0;
	for (let i = 0; i < values.length; i++) if (values[i] === 1) s++;
	return s;
}

/**
 * A confidence sequence cut to the differences that can happen: two rates differ by at most 1 either
 * way. The mixture interval is symmetric around the estimate and, with few rows, reaches far past
 * that; cutting it to the parameter space keeps its coverage.
 */
function withinPossible(test: AbTestKind, low: number, high: number): [number, number] {
	return test === 'proportion' ? [Math.max(low, -1), Math.min(high, 1)] : [low, high];
}

/** Variance of the difference as the sequential test uses it (unpooled). */
function sequentialVariance(test: AbTestKind, v: Float64Array, c: Float64Array): number {
	if (test === 'proportion') {
		const p1 = count1(v) / v.length;
		const p2 = count1(c) / c.length;
		return (p1 * (1 - p1)) / v.length + (p2 * (1 - p2)) / c.length;
	}
	const mv = moments(v);
	const mc = moments(c);
	return mv.variance / mv.n + mc.variance / mc.n;
}

// ————————————————————————————————————————————— over time

/** Running count, mean and sum of squared deviations (Welford). */
class Running {
	n = 0;
	mean = 0;
	m2 = 0;
	add(x: number): void {
		this.n++;
		const d = x - this.mean;
		this.mean += d / this.n;
		this.m2 += d * (x - this.mean);
	}
	get variance(): number {
		return this.n > 1 ? this.m2 / (this.n - 1) : NaN;
	}
}

function buildTimeline(arms: Arm[], control: Arm, t: Float64Array, unit: 'ms' | 'number', test: AbTestKind, alpha: number, tau2: number): AbTimelinePoint[] {
	const rows = arms.flatMap((a) => a.rows).filter((i) => !Number.isNaN(t[i]));
	if (rows.length === 0) return [];
	const start = bucketStarts(t, rows, unit);
	const armOf = new Map<number, number>();
	const valueOf = new Map<number, number>();
	arms.forEach((a, k) =>
		a.rows.forEach((row, j) => {
			armOf.set(row, k);
			valueOf.set(row, a.values[j]);
		})
	);
	rows.sort((a, b) => t[a] - t[b] || a - b);
	const running = arms.map(() => new Running());
	const controlIndex = arms.indexOf(control);
	const crit = -ndtri(alpha / 2);
	const looks = new Map<string, { time: number; n: number; cn: number; diff: number; variance: number; lift: number }[]>();
	for (let r = 0; r < rows.length;) {
		const bucket = start.get(rows[r])!;
		while (r < rows.length && start.get(rows[r]) === bucket) {
			running[armOf.get(rows[r])!].add(valueOf.get(rows[r])!);
			r++;
		}
		const c = running[controlIndex];
		arms.forEach((a, k) => {
			if (k === controlIndex) return;
			const v = running[k];
			if (v.n < 2 || c.n < 2) return;
			const variance = test === 'proportion' ? (v.mean * (1 - v.mean)) / v.n + (c.mean * (1 - c.mean)) / c.n : v.variance / v.n + c.variance / c.n;
			const list = looks.get(a.name) ?? [];
			list.push({ time: bucket, n: v.n, cn: c.n, diff: v.mean - c.mean, variance, lift: (v.mean - c.mean) / c.mean });
			looks.set(a.name, list);
		});
	}
	const out: AbTimelinePoint[] = [];
	for (const a of arms) {
		const list = looks.get(a.name);
		if (!list) continue;
		const seq: SequentialResult[] = sequentialPath(
			list.map((l) => ({ difference: l.diff, variance: l.variance })),
			{ alpha, tau2 }
		);
		list.forEach((l, k) => {
			const se = Math.sqrt(l.variance);
			const [seqLow, seqHigh] = withinPossible(test, seq[k].ciLow, seq[k].ciHigh);
			out.push({
				variant: a.name,
				time: l.time,
				n: l.n,
				control_n: l.cn,
				difference: l.diff,
				relative_lift: finite(l.lift),
				ci_low: l.diff - crit * se,
				ci_high: l.diff + crit * se,
				seq_low: seqLow,
				seq_high: seqHigh,
				seq_p_value: seq[k].pValue
			});
		});
	}
	return out;
}

// ————————————————————————————————————————————— words

function effectText(test: AbTestKind, r: AbVariantReport, control: string, metric: string, alpha: number): string {
	const level = `${formatNumber(100 * (1 - alpha))}% CI`;
	if (test === 'proportion') {
		const pp = (x: number) => `${formatSigned(100 * x)} pp`;
		return (
			`${r.variant} converts at ${formatPercent(r.mean!)} against ${formatPercent(r.control_mean!)} for ${control}: ` +
			`${pp(r.difference!)} (${level} ${pp(r.ci_low!)} to ${pp(r.ci_high!)})` +
			(r.relative_lift !== null && r.relative_lift !== undefined ? `, ${formatSigned(100 * r.relative_lift)}% relative` : '')
		);
	}
	if (test === 'mannwhitney') {
		return `a random ${metric} value of ${r.variant} exceeds one of ${control} with probability ${formatNumber(r.probability_of_superiority!)} (0.5 = no difference)`;
	}
	const what = test === 'cuped' ? `CUPED-adjusted mean ${metric}` : `mean ${metric}`;
	return (
		`${r.variant}'s ${what} is ${formatNumber(r.mean!, PRECISE)} against ${formatNumber(r.control_mean!, PRECISE)} for ${control}: ` +
		`${formatSigned(r.difference!)} (${level} ${formatSigned(r.ci_low!)} to ${formatSigned(r.ci_high!)})` +
		(r.relative_lift !== null && r.relative_lift !== undefined ? `, ${formatSigned(100 * r.relative_lift)}%` : '')
	);
}

/** The p-value that decides significance: adjusted for several variants, and never below the exact test's for small samples. */
function decisiveP(r: AbVariantReport): number {
	const p = r.p_value_adjusted ?? r.p_value;
	return r.small_sample ? Math.max(p, r.small_sample.exact_p_value) : p;
}

function smallSampleText(s: AbSmallSample): string {
	return (
		`Small sample: only ${s.count} ${s.counted} (fewer than ${SMALL_SAMPLE_COUNT}), so the normal approximation behind this test is unreliable; ` +
		`Fisher's exact test gives ${formatPValue(s.exact_p_value, 'sentence')}, and the larger p-value decides.`
	);
}

function readVariant(test: AbTestKind, r: AbVariantReport, control: string, metric: string, alpha: number, correction: Correction | null): string {
	const p = decisiveP(r);
	const adjusted = r.p_value_adjusted ?? r.p_value;
	const pText = `${formatPValue(adjusted, 'sentence')}${correction ? ` ${correction === 'holm' ? 'Holm' : 'Benjamini–Hochberg'}-adjusted` : ''}`;
	let verdict: string;
	if (r.outcome === 'better') verdict = `significantly better than ${control}`;
	else if (r.outcome === 'worse') verdict = `significantly worse than ${control}`;
	else if (p < alpha) verdict = `not a reliable difference: the interval still includes 0`;
	else verdict = `no significant difference from ${control}`;
	const reading = `${effectText(test, r, control, metric, alpha)}; ${pText}: ${verdict}.`;
	return r.small_sample ? `${reading} ${smallSampleText(r.small_sample)}` : reading;
}

function verdict(report: AbReport): AbVerdict {
	const details = report.variants.map((r) => r.reading);
	if (report.srm.mismatch) {
		const obs = report.srm.groups.map((g, i) => `${g} ${report.srm.observed[i]}`).join(', ');
		return {
			decision: 'invalid',
			headline:
				`Do not ship: sample ratio mismatch (${obs}; chi-square ${formatPValue(report.srm.p_value, 'sentence')} < ${report.srm.threshold}). ` +
				'The groups are not split as planned, so assignment or logging is broken and none of these comparisons can be trusted.',
			details
		};
	}
	const sign = report.better === 'higher' ? 1 : -1;
	const winners = report.variants.filter((r) => r.outcome === 'better');
	const losers = report.variants.filter((r) => r.outcome === 'worse');
	if (winners.length > 0) {
		const best =
			report.test === 'mannwhitney'
				? winners.reduce((a, b) => (sign * (b.probability_of_superiority! - a.probability_of_superiority!) > 0 ? b : a))
				: winners.reduce((a, b) => (sign * (b.difference! - a.difference!) > 0 ? b : a));
		const others = losers.length > 0 ? ` (${losers.map((l) => l.variant).join(', ')} did significantly worse.)` : '';
		const caution = best.small_sample ? ', with caution (small sample)' : '';
		return { decision: 'ship', variant: best.variant, headline: `Ship ${best.variant}${caution}. ${best.reading}${others}`, details };
	}
	if (losers.length > 0) {
		return {
			decision: 'do_not_ship',
			headline: `Do not ship: ${losers.map((l) => l.variant).join(', ')} ${losers.length === 1 ? 'is' : 'are'} significantly worse than ${report.control}, and no variant is better.`,
			details
		};
	}
	return {
		decision: 'inconclusive',
		headline: `Not proven: no variant is significantly different from ${report.control}${report.test === 'mannwhitney' ? '' : ' (every interval includes 0)'}. Keep ${report.control}, or run longer for more power.`,
		details
	};
}
