import { describe, expect, it } from 'vitest';
import { columnFromStrings, driftReport, pValueMethods, searchSegments, segmentDrift, segmentGroups, selectColumns } from '#lib/stats/index.ts';
import { expectClose } from './fixtures';
import { TESTED, columnsOf, overTime } from './over-time-data';

const reference = columnsOf(overTime.reference, TESTED);
const current = columnsOf(overTime.current, TESTED);
const expected = overTime.segment_search;

describe('segmentGroups', () => {
	it('groups rows by value as written, most rows first, skipping missing values', () => {
		const g = segmentGroups(columnFromStrings(['a', 'b', '', 'a', 'NA']), columnFromStrings(['b', 'c', 'b']))!;
		expect(g.values).toEqual(['b', 'a', 'c']);
		expect(Array.from(g.reference.get('a')!)).toEqual([0, 3]);
		expect(Array.from(g.current.get('b')!)).toEqual([0, 2]);
		expect(g.reference.has('c')).toBe(false);
	});
	it('gives up beyond the value limit', () => {
		expect(segmentGroups(columnFromStrings(['a', 'b', 'c']), columnFromStrings(['d']), 3)).toBeNull();
		expect(segmentGroups(columnFromStrings(['a', 'b']), columnFromStrings(['c']), 3)).not.toBeNull();
	});
});

describe('segmentDrift', () => {
	it('is the drift report of each segment, without the segment column', async () => {
		const result = await segmentDrift(reference, current, 'region', { methods: ['ks', 'chisquare'] });
		expect(result.segment_column).toBe('region');
		expect(result.segments.map((s) => s.value)).toEqual(['north', 'south', 'east', 'west']);
		const region = overTime.reference.region;
		const cregion = overTime.current.region;
		for (const s of result.segments) {
			const r = region.flatMap((v, i) => (v === s.value ? [i] : []));
			const c = cregion.flatMap((v, i) => (v === s.value ? [i] : []));
			const names = TESTED.filter((n) => n !== 'region');
			const direct = driftReport(selectColumns(reference, r, names), selectColumns(current, c, names), { methods: ['ks', 'chisquare'] });
			expect(s.report).toEqual(direct);
			expect([s.reference_rows, s.current_rows]).toEqual([r.length, c.length]);
		}
		const east = result.segments.find((s) => s.value === 'east')!.report!;
		expect(east.columns.find((c) => c.column === 'x')!.drifted).toBe(true);
		const north = result.segments.find((s) => s.value === 'north')!.report!;
		expect(north.columns.find((c) => c.column === 'x')!.drifted).toBe(false);
	});

	it('skips segments with too few rows and says why', async () => {
		const result = await segmentDrift(reference, current, 'region', { minRows: 150 });
		const west = result.segments.find((s) => s.value === 'west')!;
		expect(west.report).toBeNull();
		expect(west.skipped).toBe('fewer than 150 rows in the current sample');
	});

	it('names an unknown segment column', async () => {
		await expect(segmentDrift(reference, current, 'nope')).rejects.toThrow(/segment column "nope" is not in the reference data/);
	});
});

describe('searchSegments (p-value tests, Benjamini–Hochberg over all of them)', () => {
	it('picks ks for numerical and chisquare otherwise, or the first requested p-value test that applies', () => {
		expect(pValueMethods()).toEqual(['ks', 'chisquare']);
		expect(pValueMethods(['auto', 'psi'])).toEqual(['ks', 'chisquare']);
		expect(pValueMethods(['ztest', 'ks'])).toEqual(['ks', 'ztest', 'chisquare']);
	});

	it('matches SciPy and statsmodels for every (segment, column) test', async () => {
		const result = await searchSegments(reference, current, { fdr: expected.fdr });
		expect(result.segment_columns).toEqual(expected.segment_columns);
		expect(result.skipped_columns.map((s) => s.column)).toEqual(['x', 'y']);
		expect(result.hypotheses).toBe(expected.tests.length);
		const key = (t: { segment_column: string; segment_value: string; column: string }) => `${t.segment_column}=${t.segment_value}:${t.column}`;
		const found = new Map(result.findings.map((f) => [key(f), f]));
		for (const e of expected.tests) {
			const f = found.get(key(e));
			expect(f, key(e)).toBeDefined();
			expect(f!.kind, key(e)).toBe(e.kind);
			expect(f!.method, key(e)).toBe(e.method);
			expectClose(f!.statistic, e.statistic, `${key(e)} statistic`, 1e-12);
			expectClose(f!.p_value, e.p_value, `${key(e)} p`, 1e-9, 1e-300);
			expectClose(f!.p_adjusted, e.p_adjusted, `${key(e)} adjusted`, 1e-9, 1e-300);
			expectClose(f!.effect_size!, e.effect_size, `${key(e)} effect`, 1e-12);
			expect(f!.drifted, key(e)).toBe(e.drifted);
			expect([f!.reference_rows, f!.current_rows]).toEqual([e.reference_rows, e.current_rows]);
		}
	});

	it('ranks drifted findings by effect size and segments by their largest drifted effect', async () => {
		const result = await searchSegments(reference, current);
		const drifted = result.findings.filter((f) => f.drifted);
		expect(result.findings.slice(0, drifted.length).every((f) => f.drifted)).toBe(true);
		const effects = drifted.map((f) => f.effect_size!);
		expect(effects).toEqual([...effects].sort((a, b) => b - a));
		const rest = result.findings.slice(drifted.length).map((f) => f.p_adjusted);
		expect(rest).toEqual([...rest].sort((a, b) => a - b));
		const withDrift = result.segments.filter((s) => s.drifted_columns.length > 0);
		expect(result.segments.slice(0, withDrift.length)).toEqual(withDrift);
		expect(withDrift.map((s) => s.max_effect)).toEqual(withDrift.map((s) => s.max_effect).sort((a, b) => b - a));
		// The planted shift: x moved only for region = east.
		const east = result.findings.find((f) => f.segment_column === 'region' && f.segment_value === 'east' && f.column === 'x')!;
		expect(east.drifted).toBe(true);
		for (const region of ['north', 'south', 'west']) {
			const other = result.findings.find((f) => f.segment_column === 'region' && f.segment_value === region && f.column === 'x');
			expect(other?.drifted ?? false, region).toBe(false);
		}
	});

	it('reports progress to the end and stops on abort', async () => {
		const seen: [number, number][] = [];
		await searchSegments(reference, current, { onProgress: (d, t) => seen.push([d, t]) });
		expect(seen.at(-1)![0]).toBe(seen.at(-1)![1]);
		const controller = new AbortController();
		controller.abort(new Error('cancelled'));
		await expect(searchSegments(reference, current, { signal: controller.signal })).rejects.toThrow('cancelled');
		await expect(searchSegments(reference, current, { fdr: 1.5 })).rejects.toThrow(/fdr must be between 0 and 1/);
	});
});
