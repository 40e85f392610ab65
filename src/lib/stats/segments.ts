/**
 * Segment drift: the drift report within each value of one column (reference rows with that
 * value against current rows with that value), and an automatic search over single-column
 * segments (column = value) ranked by drift, with Benjamini–Hochberg control of the false
 * discovery rate over every (segment, column) test.
 *
 * A segment's value is the column's value as written (numbers as `String(n)`), as the library's
 * categories are; rows missing the segment column belong to no segment.
 */

import { isMissingString, type Column } from './column';
import type { ColumnKind } from './column-kind';
import {
	DRIFT_METHODS,
	driftColumn,
	driftReport,
	isDriftMethod,
	type DriftColumnReport,
	type DriftMethod,
	type DriftReport,
	type DriftReportOptions
} from './drift-report';
import { benjaminiHochberg } from './fdr';
import { Steps } from './progress';
import { selectColumns } from './windows';

/** Fewest rows a segment needs in each sample to be tested. */
export const SEGMENT_MIN_ROWS = 30;
/** Columns with more distinct values than this are not searched as segments. */
export const SEGMENT_MAX_VALUES = 20;
export const DEFAULT_FDR = 0.05;

export interface SegmentGroups {
	/** Distinct values, most rows (reference + current) first, then by value. */
	values: string[];
	reference: Map<string, Uint32Array>;
	current: Map<string, Uint32Array>;
}

function keys(column: Column): (string | null)[] {
	const out: (string | null)[] = new Array(column.values.length);
	if (column.type === 'number') {
		const v = column.values;
		for (let i = 0; i < v.length; i++) out[i] = Number.isNaN(v[i]) ? null : String(v[i]);
	} else {
		const v = column.values;
		for (let i = 0; i < v.length; i++) out[i] = isMissingString(v[i]) ? null : String(v[i]);
	}
	return out;
}

function group(column: Column, limit: number): Map<string, number[]> | null {
	const map = new Map<string, number[]>();
	const k = keys(column);
	for (let i = 0; i < k.length; i++) {
		const key = k[i];
		if (key === null) continue;
		let rows = map.get(key);
		if (!rows) {
			if (map.size >= limit) return null;
			rows = [];
			map.set(key, rows);
		}
		rows.push(i);
	}
	return map;
}

/** Rows of each value of a column in both samples; null when it has more than `limit` values. */
export function segmentGroups(reference: Column, current: Column, limit = Infinity): SegmentGroups | null {
	const r = group(reference, limit);
	const c = r && group(current, limit);
	if (!r || !c) return null;
	const total = new Map<string, number>();
	for (const [k, rows] of r) total.set(k, rows.length);
	for (const [k, rows] of c) total.set(k, (total.get(k) ?? 0) + rows.length);
	if (total.size > limit) return null;
	const values = [...total.keys()].sort((a, b) => total.get(b)! - total.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
	const typed = (m: Map<string, number[]>) => new Map([...m].map(([k, rows]) => [k, Uint32Array.from(rows)]));
	return { values, reference: typed(r), current: typed(c) };
}

export interface SegmentReport {
	value: string;
	reference_rows: number;
	current_rows: number;
	/** null when the segment was not tested (see `skipped`). */
	report: DriftReport | null;
	skipped?: string;
}

export interface SegmentDriftReport {
	segment_column: string;
	segments: SegmentReport[];
	/** Values beyond `maxSegments` (the smallest segments), not reported. */
	omitted: number;
}

export interface SegmentDriftOptions extends DriftReportOptions {
	minRows?: number;
	maxSegments?: number;
}

/** The drift report within each value of `segmentColumn` (which is itself left out of the report). */
export async function segmentDrift(
	reference: Record<string, Column>,
	current: Record<string, Column>,
	segmentColumn: string,
	options: SegmentDriftOptions = {}
): Promise<SegmentDriftReport> {
	if (!reference[segmentColumn]) throw new Error(`segment column "${segmentColumn}" is not in the reference data`);
	if (!current[segmentColumn]) throw new Error(`segment column "${segmentColumn}" is not in the current data`);
	const minRows = options.minRows ?? SEGMENT_MIN_ROWS;
	const maxSegments = options.maxSegments ?? 50;
	const groups = segmentGroups(reference[segmentColumn], current[segmentColumn])!;
	const columns = (options.columns ?? Object.keys(reference)).filter((c) => c !== segmentColumn);
	const values = groups.values.slice(0, maxSegments);
	const steps = new Steps(values.length, options.signal, options.onProgress);
	const segments: SegmentReport[] = [];
	for (const value of values) {
		const r = groups.reference.get(value) ?? new Uint32Array(0);
		const c = groups.current.get(value) ?? new Uint32Array(0);
		const entry: SegmentReport = { value, reference_rows: r.length, current_rows: c.length, report: null };
		if (r.length < minRows || c.length < minRows) {
			entry.skipped = `fewer than ${minRows} rows in the ${r.length < minRows ? 'reference' : 'current'} sample`;
		} else {
			try {
				entry.report = driftReport(selectColumns(reference, r, columns), selectColumns(current, c, columns), {
					columns,
					methods: options.methods,
					threshold: options.threshold
				});
			} catch (error) {
				entry.skipped = (error as Error).message;
			}
		}
		segments.push(entry);
		await steps.advance();
	}
	return { segment_column: segmentColumn, segments, omitted: groups.values.length - values.length };
}

/** For each column kind, the p-value test the search uses: the first requested that applies, else ks / chisquare. */
export function pValueMethods(requested: readonly string[] = []): DriftMethod[] {
	const methods = requested.filter((m): m is DriftMethod => isDriftMethod(m) && DRIFT_METHODS[m].type === 'p_value');
	const pick = (kind: ColumnKind, fallback: DriftMethod) => methods.find((m) => DRIFT_METHODS[m].kinds.includes(kind)) ?? fallback;
	return [...new Set([pick('numerical', 'ks'), pick('binary', 'chisquare'), pick('categorical', 'chisquare')])];
}

export interface SegmentFinding {
	segment_column: string;
	segment_value: string;
	column: string;
	kind: ColumnKind;
	method: DriftMethod;
	statistic: number;
	p_value: number;
	/** Benjamini–Hochberg adjusted p-value over every test of the search. */
	p_adjusted: number;
	/** KS D for numerical columns, Cramér's V otherwise: both 0 (same) to 1. */
	effect_size: number | null;
	/** Rejected at the FDR level. */
	drifted: boolean;
	reference_rows: number;
	current_rows: number;
}

export interface SegmentSummary {
	segment_column: string;
	segment_value: string;
	reference_rows: number;
	current_rows: number;
	tests: number;
	drifted_columns: string[];
	/** Largest effect size among the drifted columns (0 when none drifted). */
	max_effect: number;
	min_p_adjusted: number | null;
}

export interface SegmentSearch {
	fdr: number;
	/** Number of (segment, column) tests corrected for. */
	hypotheses: number;
	segment_columns: string[];
	/** Candidate columns left out, with why. */
	skipped_columns: { column: string; reason: string }[];
	/** Segments with at least one drifted column first, by largest drifted effect; then by smallest adjusted p. */
	segments: SegmentSummary[];
	/** Every test, drifted first by effect size, then by adjusted p-value. */
	findings: SegmentFinding[];
}

export interface SegmentSearchOptions extends Pick<DriftReportOptions, 'columns' | 'methods' | 'signal' | 'onProgress'> {
	/** Columns whose values define segments (default: the tested columns). */
	segmentColumns?: string[];
	fdr?: number;
	minRows?: number;
	maxValues?: number;
}

/**
 * Tests every column within every single-column segment (column = value) with a p-value
 * test, corrects the p-values with Benjamini–Hochberg and ranks segments by drift.
 */
export async function searchSegments(
	reference: Record<string, Column>,
	current: Record<string, Column>,
	options: SegmentSearchOptions = {}
): Promise<SegmentSearch> {
	const fdr = options.fdr ?? DEFAULT_FDR;
	if (!(fdr > 0 && fdr < 1)) throw new Error(`fdr must be between 0 and 1 (got ${fdr})`);
	const minRows = options.minRows ?? SEGMENT_MIN_ROWS;
	const maxValues = options.maxValues ?? SEGMENT_MAX_VALUES;
	const columns = options.columns ?? Object.keys(reference);
	const candidates = options.segmentColumns ?? columns;
	const methods = pValueMethods(options.methods);
	const skipped: { column: string; reason: string }[] = [];
	const plans: { column: string; groups: SegmentGroups }[] = [];
	for (const column of candidates) {
		if (!reference[column] || !current[column]) throw new Error(`segment column "${column}" is not in both samples`);
		const groups = segmentGroups(reference[column], current[column], maxValues);
		if (!groups) skipped.push({ column, reason: `more than ${maxValues} distinct values` });
		else if (groups.values.length < 2) skipped.push({ column, reason: 'a single value' });
		else plans.push({ column, groups });
	}
	const total = plans.reduce((s, p) => s + p.groups.values.length, 0);
	const steps = new Steps(total, options.signal, options.onProgress);

	type Raw = Omit<SegmentFinding, 'p_adjusted' | 'drifted'>;
	const raw: Raw[] = [];
	const summaries: SegmentSummary[] = [];
	for (const { column: segmentColumn, groups } of plans) {
		const tested = columns.filter((c) => c !== segmentColumn);
		for (const value of groups.values) {
			const r = groups.reference.get(value) ?? new Uint32Array(0);
			const c = groups.current.get(value) ?? new Uint32Array(0);
			const summary: SegmentSummary = {
				segment_column: segmentColumn,
				segment_value: value,
				reference_rows: r.length,
				current_rows: c.length,
				tests: 0,
				drifted_columns: [],
				max_effect: 0,
				min_p_adjusted: null
			};
			summaries.push(summary);
			if (r.length >= minRows && c.length >= minRows) {
				const refSeg = selectColumns(reference, r, tested);
				const curSeg = selectColumns(current, c, tested);
				for (const name of tested) {
					let report: DriftColumnReport;
					try {
						report = driftColumn(name, refSeg[name], curSeg[name], { methods });
					} catch {
						continue; // empty after dropping missing values
					}
					const test = report.tests[0];
					if (!test || test.p_value === null) continue;
					summary.tests++;
					raw.push({
						segment_column: segmentColumn,
						segment_value: value,
						column: name,
						kind: report.kind,
						method: test.method,
						statistic: test.statistic,
						p_value: test.p_value,
						effect_size: test.effect_size ?? null,
						reference_rows: r.length,
						current_rows: c.length
					});
				}
			}
			await steps.advance();
		}
	}

	const bh = benjaminiHochberg(
		raw.map((f) => f.p_value),
		fdr
	);
	const findings: SegmentFinding[] = raw.map((f, i) => ({ ...f, p_adjusted: bh.adjusted[i], drifted: bh.rejected[i] }));
	const key = (s: string, v: string) => JSON.stringify([s, v]);
	const byKey = new Map(summaries.map((s) => [key(s.segment_column, s.segment_value), s]));
	for (const f of findings) {
		const s = byKey.get(key(f.segment_column, f.segment_value))!;
		if (s.min_p_adjusted === null || f.p_adjusted < s.min_p_adjusted) s.min_p_adjusted = f.p_adjusted;
		if (f.drifted) {
			s.drifted_columns.push(f.column);
			s.max_effect = Math.max(s.max_effect, Math.abs(f.effect_size ?? 0));
		}
	}
	const effect = (f: SegmentFinding) => Math.abs(f.effect_size ?? 0);
	findings.sort((a, b) => Number(b.drifted) - Number(a.drifted) || (a.drifted ? effect(b) - effect(a) : 0) || a.p_adjusted - b.p_adjusted);
	const ranked = summaries
		.filter((s) => s.tests > 0)
		.sort(
			(a, b) =>
				Number(b.drifted_columns.length > 0) - Number(a.drifted_columns.length > 0) ||
				b.max_effect - a.max_effect ||
				(a.min_p_adjusted ?? 1) - (b.min_p_adjusted ?? 1)
		);
	return {
		fdr,
		hypotheses: findings.length,
		segment_columns: plans.map((p) => p.column),
		skipped_columns: skipped,
		segments: ranked,
		findings
	};
}
