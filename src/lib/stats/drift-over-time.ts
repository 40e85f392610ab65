/**
 * Drift over time: every window of the current data (and of the reference, when it has times)
 * tested against the whole reference, column by column, with the method the overall report
 * chose for that column, so that a column's row of the heatmap shares one statistic.
 *
 * Thresholds are either the method's fixed threshold (as in the report) or, with
 * `threshold: 'reference'`, learnt from the statistic on the reference windows (each reference
 * window against the whole reference, as NannyML does): mean ± 3σ, clipped to the statistic's
 * range; a window drifts when its statistic falls outside. For p-value tests the learnt bounds
 * apply to the test statistic (KS D, chi-squared, z), not to the p-value.
 */

import type { Column } from './column';
import type { ColumnKind } from './column-kind';
import { parseNumber } from './column-kind';
import { isMissingString } from './column';
import { driftColumn, type DriftMethod, type DriftReport } from './drift-report';
import { Steps } from './progress';
import { sortFloat64 } from './sort';
import { driftThreshold, outsideThreshold, type ReferenceThreshold } from './thresholds';
import { describeWindow, selectRows, windowRows, type TimeWindow, type Windowing } from './windows';

export interface DriftWindow extends TimeWindow {
	period: 'reference' | 'current';
	/** Index within its own period's windows. */
	period_index: number;
}

export interface WindowDrift {
	statistic: number | null;
	p_value: number | null;
	effect_size: number | null;
	drifted: boolean | null;
	/** Non-missing values of the column in the window. */
	count: number;
	/** Why there is no statistic. */
	note?: string;
}

export type ColumnThreshold = { mode: 'fixed'; value: number } | ({ mode: 'reference' } & ReferenceThreshold);

export interface ColumnOverTime {
	column: string;
	kind: ColumnKind;
	method: DriftMethod;
	threshold: ColumnThreshold | null;
	/** One per window, in the order of `DriftOverTime.windows`. */
	values: WindowDrift[];
	/** Windows flagged as drifted (current period only). */
	drifted_windows: number;
}

export interface DriftOverTime {
	/** `day`, `week` or `N rows`. */
	window: string;
	threshold_mode: 'fixed' | 'reference';
	/** Reference windows first (when the reference has times), then current windows, each in time order. */
	windows: DriftWindow[];
	columns: ColumnOverTime[];
	/** Columns the overall report had no test for (no applicable method). */
	skipped: string[];
}

export interface DriftOverTimeOptions {
	/** The overall report: its columns, kinds and first methods are reused. */
	report: DriftReport;
	currentWindows: Windowing;
	/** Windows of the reference (needed for `threshold: 'reference'`). */
	referenceWindows?: Windowing | null;
	/** A fixed threshold (overrides the method's default), or 'reference' to learn one per column. */
	threshold?: number | 'reference';
	multiplier?: number;
	signal?: AbortSignal;
	onProgress?: (done: number, total: number) => void;
}

/** The reference column as sorted numbers without missing values, when numerical: prepared once, not per window. */
export function canonicalReference(column: Column, kind: ColumnKind): Column {
	if (kind !== 'numerical') return column;
	const v = column.values;
	const out = new Float64Array(v.length);
	let k = 0;
	for (let i = 0; i < v.length; i++) {
		const x = column.type === 'number' ? (v[i] as number) : isMissingString(v[i] as string | null) ? NaN : parseNumber(String(v[i]));
		if (!Number.isNaN(x)) out[k++] = x;
	}
	return { type: 'number', values: sortFloat64(out.subarray(0, k)), sorted: true };
}

export async function driftOverTime(reference: Record<string, Column>, current: Record<string, Column>, options: DriftOverTimeOptions): Promise<DriftOverTime> {
	const mode = options.threshold === 'reference' ? 'reference' : 'fixed';
	const fixed = typeof options.threshold === 'number' ? options.threshold : undefined;
	const refWindowing = options.referenceWindows ?? null;
	if (mode === 'reference' && !refWindowing) throw new Error('threshold: reference needs windows of the reference data (a time column in it)');
	const refRows = refWindowing ? windowRows(refWindowing) : [];
	const curRows = windowRows(options.currentWindows);
	const windows: DriftWindow[] = [
		...(refWindowing?.windows ?? []).map((w, i) => ({ ...w, index: i, period: 'reference' as const, period_index: i })),
		...options.currentWindows.windows.map((w, i) => ({ ...w, index: refRows.length + i, period: 'current' as const, period_index: i }))
	];
	const tested = options.report.columns.filter((c) => c.tests.length > 0);
	const skipped = options.report.columns.filter((c) => c.tests.length === 0).map((c) => c.column);
	const steps = new Steps(tested.length * windows.length, options.signal, options.onProgress);
	const columns: ColumnOverTime[] = [];
	for (const col of tested) {
		const method = col.tests[0].method;
		const ref = canonicalReference(reference[col.column], col.kind);
		const values: WindowDrift[] = [];
		const sides: [Column, Uint32Array[]][] = [
			[reference[col.column], refRows],
			[current[col.column], curRows]
		];
		let threshold: number | null = null;
		for (const [source, rows] of sides) {
			for (const r of rows) {
				const slice = selectRows(source, r);
				try {
					const report = driftColumn(col.column, ref, slice, { methods: [method], threshold: fixed });
					const test = report.tests[0];
					if (!test) {
						values.push({
							statistic: null,
							p_value: null,
							effect_size: null,
							drifted: null,
							count: report.current.count,
							note: `${method} does not apply: the column is ${report.kind} in this window`
						});
					} else {
						threshold = test.threshold;
						values.push({
							statistic: test.statistic,
							p_value: test.p_value,
							effect_size: test.effect_size ?? null,
							drifted: test.drifted,
							count: report.current.count
						});
					}
				} catch {
					values.push({ statistic: null, p_value: null, effect_size: null, drifted: null, count: 0, note: 'no values in this window' });
				}
				await steps.advance();
			}
		}
		let columnThreshold: ColumnThreshold | null = threshold === null ? null : { mode: 'fixed', value: threshold };
		if (mode === 'reference') {
			const learnt = driftThreshold(
				method,
				values.slice(0, refRows.length).map((v) => v.statistic),
				options.multiplier
			);
			columnThreshold = { mode: 'reference', ...learnt };
			for (const v of values) v.drifted = v.statistic === null ? null : outsideThreshold(v.statistic, learnt);
		}
		columns.push({
			column: col.column,
			kind: col.kind,
			method,
			threshold: columnThreshold,
			values,
			drifted_windows: values.slice(refRows.length).filter((v) => v.drifted === true).length
		});
	}
	return { window: describeWindow(options.currentWindows.spec), threshold_mode: mode, windows, columns, skipped };
}
