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
		expect(summary.rows).toHaveLength(10);
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
		for (const source of ['drift.json', 'cbpe-pca.json']) {
			for (const r of summary.rows.filter((x) => x.source === source))
				expect(r).toMatchObject({ driftbook_s: null, met: null, note: 'not measured (no result file)' });
		}
		const table = formatSummary(summary).split('\n');
		expect(table).toHaveLength(11);
		expect(table.find((l) => l.startsWith('load a CSV'))).toMatch(/\(stale\).*\bNO$/);
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
