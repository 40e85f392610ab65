import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatSummary, judge, writeSummary, type Summary } from '../../../scripts/bench-summary';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function resultsDir(files: Record<string, unknown>): string {
	const dir = mkdtempSync(join(tmpdir(), 'driftbook-bench-summary-'));
	dirs.push(dir);
	for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(content));
	return dir;
}

const row = (summary: Summary, source: string, step: string) => summary.rows.find((r) => r.source === source && r.step.includes(step))!;

describe('judge', () => {
	it('reads "≥k× faster" as reference ÷ driftbook and "≤k× native" as driftbook ÷ reference', () => {
		expect(judge({ kind: 'faster', value: 3 }, 2, 7)).toEqual({ ratio: 3.5, met: true });
		expect(judge({ kind: 'faster', value: 3 }, 4, 7)).toEqual({ ratio: 1.75, met: false });
		expect(judge({ kind: 'slower', value: 2.5 }, 5, 2)).toEqual({ ratio: 2.5, met: true });
		expect(judge({ kind: 'slower', value: 2 }, 5, 2)).toEqual({ ratio: 2.5, met: false });
		expect(judge({ kind: 'seconds', value: 3 }, 3.2, null)).toEqual({ ratio: null, met: false });
		expect(judge({ kind: 'none' }, 2, 1)).toEqual({ ratio: 0.5, met: null });
		expect(judge({ kind: 'none', read: 'slower' }, 2, 1)).toEqual({ ratio: 2, met: null });
		expect(judge({ kind: 'faster', value: 2 }, null, 1)).toEqual({ ratio: null, met: null });
	});
});

describe('writeSummary', () => {
	it("writes every row of the issues' table from the benchmarks' files, marking missing and older ones", () => {
		const since = new Date('2026-06-01T00:00:00Z');
		const dir = resultsDir({
			'cli.json': { date: '2026-06-01T01:00:00Z', cli_s: 2, python_s: 9, data: { reference_rows: 10, current_rows: 10, columns: 8 } },
			'datasets.json': {
				date: '2026-05-01T00:00:00Z',
				rows: 10,
				columns: 20,
				files: { csv_bytes: 135e6, parquet_bytes: 54e6 },
				steps: { load_csv: { browser_s: 3, native_s: 1 }, load_parquet: { browser_s: 1, native_s: 1 }, group_by: { browser_s: 0.3, native_s: 0.2 } }
			},
			'coldstart.json': { date: '2026-06-01T01:00:00Z', runs: 3, cold: { first_drift_s: 2.5, all_cells_s: 6 } }
		});
		const summary = writeSummary(dir, since);
		expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))).toEqual(summary);
		expect(summary.rows).toHaveLength(14);
		expect(row(summary, 'cli.json', 'driftbook drift')).toMatchObject({
			driftbook_s: 2,
			reference_s: 9,
			ratio: 4.5,
			goal: '≥3× faster',
			met: true,
			stale: false
		});
		expect(row(summary, 'datasets.json', 'load a CSV')).toMatchObject({
			ratio: 3,
			goal: '≤2.5× native',
			met: false,
			stale: true,
			size: '10 × 20 (CSV 135 MB, Parquet 54 MB)'
		});
		expect(row(summary, 'datasets.json', 'GROUP BY')).toMatchObject({ ratio: 1.5, met: true });
		expect(row(summary, 'coldstart.json', 'first drift')).toMatchObject({ driftbook_s: 2.5, reference_s: null, met: true });
		expect(row(summary, 'coldstart.json', 'all cells')).toMatchObject({ driftbook_s: 6, met: false });
		for (const source of ['drift.json', 'cbpe-pca.json', 'prediction-log-flush.json', 'serving.json']) {
			for (const r of summary.rows.filter((x) => x.source === source))
				expect(r).toMatchObject({ driftbook_s: null, met: null, note: 'not measured (no result file)' });
		}
		const table = formatSummary(summary).split('\n');
		expect(table).toHaveLength(15);
		expect(table.find((l) => l.startsWith('load a CSV'))).toMatch(/\(stale\).*\bNO$/);
	});

	it("judges serving's p50 against the floor at the same concurrency, the goal at batch 100 only", () => {
		const measured = (p50: number, p99: number, perSecond: number) => ({ latency_p50_ms: p50, latency_p99_ms: p99, requests_per_s: perSecond });
		const dir = resultsDir({
			'serving.json': {
				date: '2026-06-01T01:00:00Z',
				settings: { connections: 50 },
				results: {
					batch_1: { floor: measured(0.8, 4, 9000), server: measured(2, 10, 3000), ratio: { p50: 2.5, p99: 2.5, throughput: 0.33 } },
					batch_100: { floor: measured(2, 8, 5000), server: measured(2.8, 30, 2000), ratio: { p50: 1.4, p99: 3.75, throughput: 0.4 } }
				}
			}
		});
		const summary = writeSummary(dir, new Date(0));
		expect(row(summary, 'serving.json', 'batch 100')).toMatchObject({
			driftbook_s: 0.0028,
			reference_s: 0.002,
			ratio: 1.4,
			goal: '≤1.5× floor',
			met: true,
			size: '100 × 11, 50 clients',
			note: 'p99 30 ms vs 8.00 ms (3.75×); throughput 2000 vs 5000 req/s (0.4×)'
		});
		expect(row(summary, 'serving.json', 'batch 1,')).toMatchObject({ ratio: 2.5, goal: 'ratio reported', met: null });
	});

	it("reports the prediction log's flush stall on its thread against the text built at once on the main thread", () => {
		const measured = (maxDelayMs: number, busyMs: number) => ({ maxDelayMs, busyMs, wallMs: 2 * busyMs });
		const shape = (rows: number) => ({ rows, main: measured(120, 110), 'main-sliced': measured(8, 115), thread: measured(4, 30), flush: measured(12, 60) });
		const dir = resultsDir({ 'prediction-log-flush.json': { date: '2026-06-01T01:00:00Z', results: { 'batch 100': shape(5000), 'batch 1': shape(5000) } } });
		const summary = writeSummary(dir, new Date(0));
		expect(row(summary, 'prediction-log-flush.json', 'batch 100 requests')).toMatchObject({
			driftbook_s: 0.004,
			reference_s: 0.12,
			ratio: 30,
			goal: 'ratio reported',
			met: null,
			size: '5000 rows',
			note: 'whole flush (thread, then DuckDB COPY to Parquet): stall 12.0 ms; main-thread busy 30 ms on the thread vs 110 ms at once'
		});
		expect(row(summary, 'prediction-log-flush.json', 'batch 1 requests')).toMatchObject({ ratio: 30, stale: false });
	});

	it('leaves the browser rows unmeasured when the drift benchmark ran without the browser', () => {
		const method = { scipy_s: 4, browser: null };
		const dir = resultsDir({
			'drift.json': {
				date: '2026-06-01T01:00:00Z',
				data: { reference_rows: 10, current_rows: 10, numerical_columns: 20, categorical_columns: 5 },
				methods: { ks: method, auto: method }
			}
		});
		const summary = writeSummary(dir, new Date(0));
		for (const r of summary.rows.filter((x) => x.source === 'drift.json'))
			expect(r).toMatchObject({ driftbook_s: null, reference_s: 4, ratio: null, met: null, size: '10+10 × 25' });
	});
});
