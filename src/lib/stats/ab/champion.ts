/**
 * Champion / challenger: two models' predictions on the same rows against the same labels.
 * Paired tests (McNemar's exact test on accuracy, DeLong on AUC), paired bootstrap intervals of
 * the error metrics, agreement and the rows where the models disagree (shadow-mode review), a
 * table by slice of where the challenger wins or loses, and metrics over time (canary view).
 * Plain JSON with snake_case keys, like the A/B report.
 */
import { isMissingString, type Column } from '#lib/stats/column.ts';
import { sortFloat64 } from '#lib/stats/sort.ts';
import { stdtr } from '#lib/stats/special.ts';
import { delongTest } from './delong';
import { AbInputError } from './errors';
import { numericValues } from './experiment';
import { mcnemarExact } from './mcnemar';
import { mean } from '#lib/stats/moments.ts';
import { holm } from './multiple';
import { Xoshiro128 } from './rng';
import { bucketStarts, timeValues } from './time';
import { formatNumber, formatSigned, formatPValue, PRECISE } from '#lib/format/number.ts';

export type ChampionTask = 'binary' | 'multiclass' | 'regression';
export type ChampionMetricName = 'accuracy' | 'auc' | 'brier' | 'log_loss' | 'mae' | 'rmse';

export interface ChampionData {
	label: Column;
	champion: Column;
	challenger: Column;
	/** A column to break results down by. */
	slice?: Column;
	/** When each row happened (epoch ms or ISO strings): metrics over time. */
	time?: Column;
}

export interface ChampionOptions {
	/** Default: 'binary' for 0/1 labels, 'multiclass' for text labels, 'regression' otherwise. */
	task?: ChampionTask;
	/** Binary: a score at or above this is predicted positive (default 0.5). */
	threshold?: number;
	alpha?: number;
	/** Bootstrap resamples (default 2000) and PRNG seed (default 42). */
	bootstrap?: number;
	seed?: number;
	/** Disagreeing rows listed (default 100; all are counted). */
	maxDisagreements?: number;
	/** Regression: predictions within this of each other agree (default 0.1 · SD of the labels). */
	tolerance?: number;
	/** Whether a numeric time column holds epoch milliseconds (default: plain ordered numbers). */
	timeUnit?: 'ms' | 'number';
	names?: { label?: string; champion?: string; challenger?: string; slice?: string; time?: string };
}

export interface ChampionMetric {
	metric: ChampionMetricName;
	higher_is_better: boolean;
	champion: number;
	challenger: number;
	/** challenger − champion. */
	difference: number;
	/** Interval of the difference at level 1 − alpha. */
	ci_low: number;
	ci_high: number;
	/** Paired test of the difference, where there is one (McNemar for accuracy, DeLong for AUC). */
	p_value: number | null;
	/** How the interval (and p-value) were computed. */
	method: 'mcnemar_exact+bootstrap' | 'delong' | 'paired_bootstrap';
	/** 'better' when the interval excludes 0 (and p < alpha where there is a p) in the challenger's favour. */
	outcome: 'better' | 'worse' | 'inconclusive';
}

export interface ChampionDisagreement {
	/** 0-based row in the input. */
	row: number;
	label: string | number;
	champion: string | number;
	challenger: string | number;
	/** Who got it right (classification), or who is closer (regression). */
	right: 'champion' | 'challenger' | 'neither' | 'both';
	slice?: string;
}

export interface ChampionSlice {
	slice: string;
	n: number;
	/** Primary per-row metric of the slice (accuracy, or MAE for regression). */
	champion: number;
	challenger: number;
	difference: number;
	/** McNemar exact (classification) or paired t-test on absolute errors (regression). */
	p_value: number;
	p_value_adjusted: number;
	outcome: 'wins' | 'loses' | 'tie';
}

export interface ChampionCanaryPoint {
	time: number;
	n: number;
	/** Share of all rows in this bucket (traffic share). */
	share: number;
	champion: number;
	challenger: number;
}

export interface ChampionReport {
	task: ChampionTask;
	n: number;
	dropped_rows: number;
	alpha: number;
	bootstrap: { resamples: number; seed: number };
	/** The metric the verdict rests on. */
	primary: ChampionMetricName;
	metrics: ChampionMetric[];
	mcnemar?: { both_right: number; champion_only: number; challenger_only: number; both_wrong: number; statistic: number; p_value: number };
	delong?: { auc_champion: number; auc_challenger: number; difference: number; se: number; z: number; p_value: number; ci_low: number; ci_high: number };
	agreement: { rate: number; agree: number; disagree: number; tolerance?: number };
	disagreements: ChampionDisagreement[];
	slices?: { column: string; metric: 'accuracy' | 'mae'; rows: ChampionSlice[] };
	canary?: { unit: 'ms' | 'number'; metric: 'accuracy' | 'mae'; points: ChampionCanaryPoint[] };
	verdict: { decision: 'promote' | 'keep' | 'review' | 'inconclusive'; headline: string; details: string[] };
}

// ————————————————————————————————————————————— helpers

function strings(col: Column): (string | null)[] {
	return Array.from({ length: col.values.length }, (_, i) => {
		if (col.type === 'number') return Number.isNaN(col.values[i]) ? null : String(col.values[i]);
		const s = col.values[i];
		return isMissingString(s) ? null : String(s);
	});
}

function isNumeric(col: Column): boolean {
	if (col.type === 'number') return true;
	try {
		numericValues(col, '');
		return true;
	} catch {
		return false;
	}
}

/** numpy.percentile(values, q) with the default linear interpolation. */
export function percentile(sorted: Float64Array, q: number): number {
	const n = sorted.length;
	const pos = (q / 100) * (n - 1);
	const lo = Math.floor(pos);
	const hi = Math.min(lo + 1, n - 1);
	const t = pos - lo;
	const a = sorted[lo];
	const b = sorted[hi];
	const diff = b - a;
	return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** scipy.stats.ttest_rel(a, b) two-sided p on paired differences d = a − b. */
function pairedT(d: Float64Array): number {
	const n = d.length;
	if (n < 2) return 1;
	const m = mean(d);
	let s = 0;
	for (let i = 0; i < n; i++) s += (d[i] - m) * (d[i] - m);
	const sd = Math.sqrt(s / (n - 1));
	if (sd === 0) return m === 0 ? 1 : 0;
	const t = m / (sd / Math.sqrt(n));
	return stdtr(n - 1, -Math.abs(t)) * 2;
}

// ————————————————————————————————————————————— bootstrap

interface Additive {
	name: ChampionMetricName;
	/** Per-row values of each model; the metric is their mean. */
	a: Float64Array;
	b: Float64Array;
	/** Applied to the mean (sqrt for RMSE). */
	finish?: (x: number) => number;
}

/**
 * Paired bootstrap of challenger − champion: B resamples of n row indices (Xoshiro128, `seed`),
 * each metric recomputed on the resample. Returns the 100·alpha/2 and 100·(1 − alpha/2)
 * percentiles (NumPy's linear interpolation) per metric.
 */
export function pairedBootstrap(metrics: Additive[], n: number, resamples: number, seed: number, alpha: number): Map<ChampionMetricName, [number, number]> {
	const rng = new Xoshiro128(seed);
	const diffs = metrics.map(() => new Float64Array(resamples));
	const sa = new Float64Array(metrics.length);
	const sb = new Float64Array(metrics.length);
	for (let r = 0; r < resamples; r++) {
		sa.fill(0);
		sb.fill(0);
		for (let k = 0; k < n; k++) {
			const i = rng.index(n);
			for (let m = 0; m < metrics.length; m++) {
				sa[m] += metrics[m].a[i];
				sb[m] += metrics[m].b[i];
			}
		}
		for (let m = 0; m < metrics.length; m++) {
			const f = metrics[m].finish ?? ((x: number) => x);
			diffs[m][r] = f(sb[m] / n) - f(sa[m] / n);
		}
	}
	const out = new Map<ChampionMetricName, [number, number]>();
	metrics.forEach((m, k) => {
		const sorted = sortFloat64(diffs[k]);
		out.set(m.name, [percentile(sorted, (100 * alpha) / 2), percentile(sorted, 100 * (1 - alpha / 2))]);
	});
	return out;
}

// ————————————————————————————————————————————— analysis

const HIGHER_IS_BETTER: Record<ChampionMetricName, boolean> = {
	accuracy: true,
	auc: true,
	brier: false,
	log_loss: false,
	mae: false,
	rmse: false
};

const LABELS: Record<ChampionMetricName, string> = {
	accuracy: 'accuracy',
	auc: 'AUC',
	brier: 'Brier score',
	log_loss: 'log loss',
	mae: 'mean absolute error',
	rmse: 'RMSE'
};

function outcomeOf(metric: ChampionMetricName, difference: number, lo: number, hi: number, p: number | null, alpha: number): ChampionMetric['outcome'] {
	const significant = (lo > 0 || hi < 0) && (p === null || p < alpha);
	if (!significant || difference === 0) return 'inconclusive';
	return difference > 0 === HIGHER_IS_BETTER[metric] ? 'better' : 'worse';
}

export function championChallenger(data: ChampionData, options: ChampionOptions = {}): ChampionReport {
	const names = {
		label: options.names?.label ?? 'label',
		champion: options.names?.champion ?? 'champion',
		challenger: options.names?.challenger ?? 'challenger',
		slice: options.names?.slice ?? 'slice',
		time: options.names?.time ?? 'time'
	};
	const alpha = options.alpha ?? 0.05;
	const threshold = options.threshold ?? 0.5;
	const resamples = options.bootstrap ?? 2000;
	const seed = options.seed ?? 42;
	const maxRows = options.maxDisagreements ?? 100;
	if (!(alpha > 0 && alpha < 1)) throw new AbInputError(`alpha must be between 0 and 1, got ${alpha}`);
	if (!(Number.isInteger(resamples) && resamples >= 100)) throw new AbInputError(`bootstrap must be an integer of at least 100, got ${resamples}`);
	const total = data.label.values.length;
	if (data.champion.values.length !== total || data.challenger.values.length !== total) {
		throw new AbInputError('label, champion and challenger columns must have the same length');
	}

	// Task and per-row values; rows with anything missing are dropped.
	let task = options.task;
	const labelNumeric = isNumeric(data.label);
	const labelsNum = labelNumeric ? numericValues(data.label, `label "${names.label}"`) : undefined;
	if (!task) {
		if (!labelsNum) task = 'multiclass';
		else {
			let binary = true;
			for (let i = 0; i < total; i++) if (!Number.isNaN(labelsNum[i]) && labelsNum[i] !== 0 && labelsNum[i] !== 1) binary = false;
			task = binary ? 'binary' : 'regression';
		}
	}
	const sliceStrings = data.slice ? strings(data.slice) : undefined;
	const time = data.time ? timeValues(data.time, `time "${names.time}"`, options.timeUnit) : undefined;

	const rows: number[] = [];
	let y: Float64Array = new Float64Array(0);
	let p1: Float64Array = new Float64Array(0);
	let p2: Float64Array = new Float64Array(0);
	let yStr: (string | null)[] = [];
	let s1Str: (string | null)[] = [];
	let s2Str: (string | null)[] = [];
	if (task === 'multiclass') {
		yStr = strings(data.label);
		s1Str = strings(data.champion);
		s2Str = strings(data.challenger);
		for (let i = 0; i < total; i++) if (yStr[i] !== null && s1Str[i] !== null && s2Str[i] !== null) rows.push(i);
	} else {
		if (!labelsNum) throw new AbInputError(`label "${names.label}" must be numeric for a ${task} comparison`);
		y = labelsNum;
		p1 = numericValues(data.champion, `champion "${names.champion}"`);
		p2 = numericValues(data.challenger, `challenger "${names.challenger}"`);
		for (let i = 0; i < total; i++) if (!Number.isNaN(y[i]) && !Number.isNaN(p1[i]) && !Number.isNaN(p2[i])) rows.push(i);
		if (task === 'binary') {
			for (const i of rows) {
				if (y[i] !== 0 && y[i] !== 1) throw new AbInputError(`label "${names.label}" must be 0 or 1 for a binary comparison, got ${y[i]} (row ${i + 1})`, i);
				for (const [p, who] of [
					[p1[i], names.champion],
					[p2[i], names.challenger]
				] as const) {
					if (!(p >= 0 && p <= 1)) throw new AbInputError(`${who}: predictions must be probabilities in [0, 1] or 0/1 classes, got ${p} (row ${i + 1})`, i);
				}
			}
		}
	}
	const n = rows.length;
	if (n < 2) throw new AbInputError(`only ${n} row${n === 1 ? '' : 's'} with a label and both predictions`);

	const metrics: ChampionMetric[] = [];
	const additive: Additive[] = [];
	let correct1: Uint8Array | undefined;
	let correct2: Uint8Array | undefined;
	let mcnemar: ChampionReport['mcnemar'];
	let delong: ChampionReport['delong'];
	let primary: ChampionMetricName;

	if (task === 'binary' || task === 'multiclass') {
		correct1 = new Uint8Array(n);
		correct2 = new Uint8Array(n);
		rows.forEach((row, k) => {
			if (task === 'binary') {
				correct1![k] = Number(p1[row] >= threshold) === y[row] ? 1 : 0;
				correct2![k] = Number(p2[row] >= threshold) === y[row] ? 1 : 0;
			} else {
				correct1![k] = s1Str[row] === yStr[row] ? 1 : 0;
				correct2![k] = s2Str[row] === yStr[row] ? 1 : 0;
			}
		});
		let both = 0;
		let only1 = 0;
		let only2 = 0;
		for (let k = 0; k < n; k++) {
			if (correct1[k] && correct2[k]) both++;
			else if (correct1[k]) only1++;
			else if (correct2[k]) only2++;
		}
		const mc = mcnemarExact(only1, only2);
		mcnemar = {
			both_right: both,
			champion_only: only1,
			challenger_only: only2,
			both_wrong: n - both - only1 - only2,
			statistic: mc.statistic,
			p_value: mc.pValue
		};
		additive.push({ name: 'accuracy', a: Float64Array.from(correct1), b: Float64Array.from(correct2) });
		primary = 'accuracy';
		if (task === 'binary') {
			const yy = Float64Array.from(rows, (i) => y[i]);
			const a = Float64Array.from(rows, (i) => p1[i]);
			const b = Float64Array.from(rows, (i) => p2[i]);
			const brier = (p: Float64Array) => p.map((v, k) => (v - yy[k]) ** 2);
			const eps = 1e-15;
			const logloss = (p: Float64Array) =>
				p.map((v, k) => {
					const q = Math.min(1 - eps, Math.max(eps, v));
					return yy[k] === 1 ? -Math.log(q) : -Math.log1p(-q);
				});
			additive.push({ name: 'brier', a: brier(a), b: brier(b) }, { name: 'log_loss', a: logloss(a), b: logloss(b) });
			let positives = 0;
			for (const v of yy) positives += v;
			if (positives >= 2 && n - positives >= 2) {
				const d = delongTest(yy, a, b, alpha);
				delong = {
					auc_champion: d.auc1,
					auc_challenger: d.auc2,
					difference: d.difference,
					se: d.se,
					z: d.z,
					p_value: d.pValue,
					ci_low: d.ciLow,
					ci_high: d.ciHigh
				};
				metrics.push({
					metric: 'auc',
					higher_is_better: true,
					champion: d.auc1,
					challenger: d.auc2,
					difference: d.difference,
					ci_low: d.ciLow,
					ci_high: d.ciHigh,
					p_value: d.pValue,
					method: 'delong',
					outcome: outcomeOf('auc', d.difference, d.ciLow, d.ciHigh, d.pValue, alpha)
				});
				const hard = (p: Float64Array) => p.every((v) => v === 0 || v === 1);
				if (!hard(a) || !hard(b)) primary = 'auc';
			}
		}
	} else {
		const abs = (p: Float64Array) => Float64Array.from(rows, (i) => Math.abs(p[i] - y[i]));
		const sq = (p: Float64Array) => Float64Array.from(rows, (i) => (p[i] - y[i]) ** 2);
		additive.push({ name: 'mae', a: abs(p1), b: abs(p2) }, { name: 'rmse', a: sq(p1), b: sq(p2), finish: Math.sqrt });
		primary = 'rmse';
	}

	const intervals = pairedBootstrap(additive, n, resamples, seed, alpha);
	const bootMetrics: ChampionMetric[] = additive.map((m) => {
		const f = m.finish ?? ((x: number) => x);
		const champion = f(mean(m.a));
		const challenger = f(mean(m.b));
		const [lo, hi] = intervals.get(m.name)!;
		const p = m.name === 'accuracy' ? mcnemar!.p_value : null;
		return {
			metric: m.name,
			higher_is_better: HIGHER_IS_BETTER[m.name],
			champion,
			challenger,
			difference: challenger - champion,
			ci_low: lo,
			ci_high: hi,
			p_value: p,
			method: m.name === 'accuracy' ? 'mcnemar_exact+bootstrap' : 'paired_bootstrap',
			outcome: outcomeOf(m.name, challenger - champion, lo, hi, p, alpha)
		};
	});
	metrics.unshift(...bootMetrics.filter((m) => m.metric === 'accuracy'));
	metrics.push(...bootMetrics.filter((m) => m.metric !== 'accuracy'));

	// Agreement and the disagreeing rows.
	const disagreements: ChampionDisagreement[] = [];
	let agree = 0;
	let tolerance: number | undefined;
	const value = (col: Column, row: number): string | number => (col.type === 'number' ? col.values[row] : String(col.values[row]));
	if (task === 'regression') {
		const ys = Float64Array.from(rows, (i) => y[i]);
		const m = mean(ys);
		let s = 0;
		for (const v of ys) s += (v - m) ** 2;
		tolerance = options.tolerance ?? 0.1 * Math.sqrt(s / Math.max(1, n - 1));
		const gaps: { row: number; gap: number }[] = [];
		for (const row of rows) {
			const gap = Math.abs(p1[row] - p2[row]);
			if (gap <= tolerance) agree++;
			else gaps.push({ row, gap });
		}
		gaps.sort((a, b) => b.gap - a.gap || a.row - b.row);
		for (const { row } of gaps.slice(0, maxRows)) {
			const e1 = Math.abs(p1[row] - y[row]);
			const e2 = Math.abs(p2[row] - y[row]);
			disagreements.push({
				row,
				label: y[row],
				champion: p1[row],
				challenger: p2[row],
				right: e1 < e2 ? 'champion' : e2 < e1 ? 'challenger' : 'both',
				...(sliceStrings ? { slice: sliceStrings[row] ?? '' } : {})
			});
		}
	} else {
		rows.forEach((row, k) => {
			const same = task === 'binary' ? p1[row] >= threshold === p2[row] >= threshold : s1Str[row] === s2Str[row];
			if (same) {
				agree++;
				return;
			}
			if (disagreements.length >= maxRows) return;
			disagreements.push({
				row,
				label: value(data.label, row),
				champion: value(data.champion, row),
				challenger: value(data.challenger, row),
				right: correct1![k] ? 'champion' : correct2![k] ? 'challenger' : 'neither',
				...(sliceStrings ? { slice: sliceStrings[row] ?? '' } : {})
			});
		});
	}

	// Per-row primary loss for slices and canary: correctness, or absolute error.
	const sliceMetric: 'accuracy' | 'mae' = task === 'regression' ? 'mae' : 'accuracy';
	const perRow1 = sliceMetric === 'accuracy' ? Float64Array.from(correct1!) : additive[0].a;
	const perRow2 = sliceMetric === 'accuracy' ? Float64Array.from(correct2!) : additive[0].b;

	let slices: ChampionReport['slices'];
	if (sliceStrings) {
		const byslice = new Map<string, number[]>();
		rows.forEach((row, k) => {
			const key = sliceStrings[row] ?? '(missing)';
			const list = byslice.get(key) ?? [];
			list.push(k);
			byslice.set(key, list);
		});
		const entries = [...byslice.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
		const raw = entries.map(([slice, ks]) => {
			const a = Float64Array.from(ks, (k) => perRow1[k]);
			const b = Float64Array.from(ks, (k) => perRow2[k]);
			let p: number;
			if (sliceMetric === 'accuracy') {
				let only1 = 0;
				let only2 = 0;
				for (let j = 0; j < a.length; j++) {
					if (a[j] && !b[j]) only1++;
					else if (b[j] && !a[j]) only2++;
				}
				p = mcnemarExact(only1, only2).pValue;
			} else {
				p = pairedT(b.map((v, j) => v - a[j]));
			}
			return { slice, n: ks.length, champion: mean(a), challenger: mean(b), p };
		});
		const adjusted = holm(raw.map((r) => r.p));
		slices = {
			column: names.slice,
			metric: sliceMetric,
			rows: raw.map((r, k) => {
				const difference = r.challenger - r.champion;
				const good = sliceMetric === 'accuracy' ? difference > 0 : difference < 0;
				return {
					slice: r.slice,
					n: r.n,
					champion: r.champion,
					challenger: r.challenger,
					difference,
					p_value: r.p,
					p_value_adjusted: adjusted[k],
					outcome: adjusted[k] < alpha && difference !== 0 ? (good ? 'wins' : 'loses') : 'tie'
				};
			})
		};
	}

	let canary: ChampionReport['canary'];
	if (time) {
		const timed = rows.map((row, k) => ({ row, k })).filter(({ row }) => !Number.isNaN(time.values[row]));
		if (timed.length > 0) {
			const starts = bucketStarts(
				time.values,
				timed.map((t) => t.row),
				time.unit
			);
			const buckets = new Map<number, number[]>();
			for (const { row, k } of timed) {
				const b = starts.get(row)!;
				const list = buckets.get(b) ?? [];
				list.push(k);
				buckets.set(b, list);
			}
			canary = {
				unit: time.unit,
				metric: sliceMetric,
				points: [...buckets.entries()]
					.sort((a, b) => a[0] - b[0])
					.map(([t, ks]) => ({
						time: t,
						n: ks.length,
						share: ks.length / timed.length,
						champion: mean(Float64Array.from(ks, (k) => perRow1[k])),
						challenger: mean(Float64Array.from(ks, (k) => perRow2[k]))
					}))
			};
		}
	}

	const report: ChampionReport = {
		task,
		n,
		dropped_rows: total - n,
		alpha,
		bootstrap: { resamples, seed },
		primary,
		metrics,
		agreement: { rate: agree / n, agree, disagree: n - agree, ...(tolerance !== undefined ? { tolerance } : {}) },
		disagreements,
		verdict: { decision: 'inconclusive', headline: '', details: [] }
	};
	if (mcnemar) report.mcnemar = mcnemar;
	if (delong) report.delong = delong;
	if (slices) report.slices = slices;
	if (canary) report.canary = canary;
	report.verdict = championVerdict(report, names);
	return report;
}

function describe(m: ChampionMetric, alpha: number): string {
	const level = `${formatNumber(100 * (1 - alpha))}% CI`;
	const p = m.p_value !== null ? `, ${formatPValue(m.p_value, 'sentence')}` : '';
	return `${LABELS[m.metric]} ${formatNumber(m.champion, PRECISE)} → ${formatNumber(m.challenger, PRECISE)} (${formatSigned(m.difference)}, ${level} ${formatSigned(m.ci_low)} to ${formatSigned(m.ci_high)}${p})`;
}

function championVerdict(report: ChampionReport, names: { champion: string; challenger: string }): ChampionReport['verdict'] {
	const details = report.metrics.map(
		(m) => `${describe(m, report.alpha)}: ${m.outcome === 'inconclusive' ? 'no significant difference' : `challenger ${m.outcome}`}.`
	);
	const primary = report.metrics.find((m) => m.metric === report.primary)!;
	const worse = report.metrics.filter((m) => m.outcome === 'worse');
	const better = report.metrics.filter((m) => m.outcome === 'better');
	const who = `${names.challenger} (challenger)`;
	const agreement = `The models agree on ${formatNumber(100 * report.agreement.rate)}% of ${report.n} rows.`;
	if (primary.outcome === 'better' && worse.length === 0) {
		return {
			decision: 'promote',
			headline: `Promote ${who}: ${describe(primary, report.alpha)} is significantly better, and no metric is significantly worse. ${agreement}`,
			details
		};
	}
	if (primary.outcome === 'worse') {
		return {
			decision: 'keep',
			headline: `Keep ${names.champion} (champion): the challenger's ${describe(primary, report.alpha)} is significantly worse. ${agreement}`,
			details
		};
	}
	if (better.length > 0 && worse.length > 0) {
		return {
			decision: 'review',
			headline: `Mixed result, review before switching: the challenger is better on ${better.map((m) => LABELS[m.metric]).join(', ')} but worse on ${worse.map((m) => LABELS[m.metric]).join(', ')}. ${agreement}`,
			details
		};
	}
	return {
		decision: 'inconclusive',
		headline: `Not proven: the challenger's ${describe(primary, report.alpha)} is not significantly different; keep ${names.champion} (champion) unless other reasons favour the switch. ${agreement}`,
		details
	};
}
