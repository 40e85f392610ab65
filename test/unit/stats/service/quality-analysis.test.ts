/**
 * The stats worker's data-quality analysis (src/lib/stats/service/chunked-analyses.ts) on Arrow
 * tables as the quality cell sends them: the suite it learns and its verdicts are the library's
 * own (suiteFromReference, runSuite) on the same columns, a suite given instead is run as it is,
 * chunks by week follow the time column, progress reaches its total, and a cancel stops it.
 */
import { describe, expect, it } from 'vitest';
import { tableFromArrays, type Table } from 'apache-arrow';
import type { Column } from '#lib/stats/column.ts';
import { periodChunks } from '#lib/stats/chunks/index.ts';
import { runSuite, suiteFromReference, type QualitySuite } from '#lib/stats/quality/index.ts';
import { qualityAnalysis, type QualityRequest } from '#lib/stats/service/chunked-analyses.ts';
import { loadColumns } from '../quality/quality-fixtures';

const reference = loadColumns('injected', 'reference');
const analysis = loadColumns('injected', 'analysis');
const COLUMNS = Object.keys(reference);

/** Columns as Arrow: numbers as Float64 (NaN missing), text as strings (null missing), plus an optional time column. */
function arrow(columns: Record<string, Column>, time?: Float64Array): Table {
	const data: Record<string, Float64Array | (string | null)[]> = {};
	for (const [name, c] of Object.entries(columns)) data[name] = c.type === 'number' ? c.values : Array.from(c.values, (v) => (v === null ? null : String(v)));
	if (time) data.__time = time;
	return tableFromArrays(data as Parameters<typeof tableFromArrays>[0]);
}

const request = (extra: Partial<QualityRequest> = {}): QualityRequest => ({
	jobId: 'q',
	chunking: { chunkSize: 400 },
	suite: null,
	columns: COLUMNS,
	...extra
});

describe('qualityAnalysis', () => {
	it('learns the suite the library learns and gives the library’s verdicts on both tables', async () => {
		const result = await qualityAnalysis(arrow(reference), arrow(analysis), request(), new AbortController().signal);
		const suite = suiteFromReference(reference, { chunking: { chunkSize: 400 } });
		expect(result.suite).toEqual(suite);
		expect(result.reference).toEqual(runSuite(suite, reference));
		expect(result.analysis).toEqual(runSuite(suite, analysis));
		expect(result.analysis.failed).toBe(5);
		expect(result.times).toEqual(Array(result.reference.chunks.length + result.analysis.chunks.length).fill(null));
	});

	it('runs a suite it is given, with fixed bounds where the request asks for them', async () => {
		const fixed = await qualityAnalysis(
			arrow(reference),
			arrow(analysis),
			request({ columns: ['age'], thresholds: { missing_values_rate: { type: 'constant', lower: null, upper: 0.5 } } }),
			new AbortController().signal
		);
		expect(fixed.suite.checks.map((c) => c.check)).toEqual(['value_type', 'missing_values_rate', 'out_of_range_values_rate']);
		expect(fixed.suite.checks[1]).toMatchObject({ upper: 0.5, source: 'fixed' });
		expect(fixed.analysis.outcomes[1].passed).toBe(true);
		// The suite edited: colour's categories gain the one the analysis brought, and a column the tables lack.
		const edited: QualitySuite = {
			version: 1,
			chunking: 'default',
			checks: [
				{ check: 'missing_values_rate', column: 'gone', lower: null, upper: 0, source: 'fixed' },
				{
					check: 'unseen_values_rate',
					column: 'colour',
					lower: null,
					upper: 0,
					source: 'fixed',
					categories: ['blue', 'green', 'grey', 'red', 'violet'],
					missingSeen: true
				}
			]
		};
		const given = await qualityAnalysis(arrow(reference), arrow(analysis), request({ suite: edited, columns: [] }), new AbortController().signal);
		expect(given.suite).toBe(edited);
		expect(given.analysis.chunks).toHaveLength(10);
		expect(given.analysis.outcomes.map((o) => [o.passed, o.message.split(':')[0]])).toEqual([
			[false, 'gone'],
			[true, 'colour']
		]);
	});

	it('chunks by week of the time column, each table by its own weeks, and dates the chunks', async () => {
		const rows = (columns: Record<string, Column>) => columns.age.values.length;
		const week = 7 * 86_400_000;
		const times = (n: number, from: number) => Float64Array.from({ length: n }, (_, i) => from + Math.floor((i * 3 * week) / n) + 1);
		const refTime = times(rows(reference), Date.UTC(2026, 0, 5));
		const anaTime = times(rows(analysis), Date.UTC(2026, 0, 26));
		const result = await qualityAnalysis(
			arrow(reference, refTime),
			arrow(analysis, anaTime),
			request({ chunking: { period: 'week' }, timeColumn: '__time' }),
			new AbortController().signal
		);
		expect(result.suite.chunking).toEqual({ period: 'week' });
		expect(result.reference.chunks).toEqual(periodChunks(refTime, 'week'));
		expect(result.analysis.chunks).toEqual(periodChunks(anaTime, 'week'));
		expect(result.times[0]).toEqual({ start: refTime[0], end: refTime[result.reference.chunks[0].end_index] });
		expect(result.suite.checks.some((c) => c.column === '__time')).toBe(false);
	});

	it('reports progress up to its total, and stops on cancel', async () => {
		const seen: [number, number][] = [];
		await qualityAnalysis(arrow(reference), arrow(analysis), request(), new AbortController().signal, (done, total) => seen.push([done, total]));
		const [done, total] = seen[seen.length - 1];
		expect(done).toBe(total);
		expect(total).toBe(COLUMNS.length + 2 * suiteFromReference(reference, { chunking: { chunkSize: 400 } }).checks.length);
		const controller = new AbortController();
		controller.abort(new Error('cancelled'));
		await expect(qualityAnalysis(arrow(reference), arrow(analysis), request(), controller.signal)).rejects.toThrow('cancelled');
	});

	it('names the table and column it cannot learn from', async () => {
		await expect(qualityAnalysis(arrow(reference), arrow(analysis), request({ columns: ['agee'] }), new AbortController().signal)).rejects.toThrow(
			/^the reference table: no column "agee" in the reference/
		);
	});
});
