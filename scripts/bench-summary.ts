/**
 * The issues' benchmark table (issue 18, issue 19's CBPE + PCA row, issue 20's prediction-log and serving rows) from the JSON files the
 * benchmarks wrote: for each row driftbook's time, the reference's time from the same run, their
 * ratio, the goal and whether it is met. `npm run bench` (scripts/bench.js) runs
 * `tsx scripts/bench-summary.ts DIR SINCE` last: it writes DIR/summary.json and prints the table.
 * A row whose file is missing is listed as not measured; a row whose file predates SINCE (a
 * benchmark not chosen this time) is marked `stale`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/* eslint-disable @typescript-eslint/no-explicit-any -- each benchmark's JSON has its own shape, read by the row that knows it */
type Result = Record<string, any>;

export type Goal =
	| { kind: 'faster' | 'seconds'; value: number }
	/** `of`: what the reference is called in the goal's text; default `native`. */
	| { kind: 'slower'; value: number; of?: string }
	| { kind: 'none'; read?: 'faster' | 'slower' };

interface RowSpec {
	step: string;
	file: string;
	reference: string | null;
	goal: Goal;
	/** driftbook's seconds and the reference's (null: none, or not measured). */
	times(result: Result): [number | null | undefined, number | null | undefined];
	size(result: Result): string;
	/** What else the row's file says that the table should show. */
	note?(result: Result): string;
}

export interface SummaryRow {
	step: string;
	reference: string | null;
	goal: string;
	source: string;
	size?: string;
	driftbook_s: number | null;
	reference_s: number | null;
	ratio: number | null;
	met: boolean | null;
	measured_at?: string;
	stale?: boolean;
	note?: string;
}

export interface Summary {
	date: string;
	notes: string[];
	rows: SummaryRow[];
}

/**
 * goal.kind: `faster` — ratio = reference / driftbook, met when ≥ goal.value; `slower` — ratio =
 * driftbook / reference, met when ≤ goal.value; `seconds` — no reference, met when driftbook ≤
 * goal.value; `none` — the ratio is reported (read as `faster` unless `read` says `slower`), no goal set.
 */
const ROWS: RowSpec[] = [
	{
		step: '`driftbook drift --method ks` from CSV, whole command',
		file: 'cli.json',
		reference: 'pandas.read_csv ×2 + scipy ks_2samp per column',
		goal: { kind: 'faster', value: 3 },
		times: (r) => [r.cli_s, r.python_s],
		size: (r) => `${r.data.reference_rows}+${r.data.current_rows} × ${r.data.columns}`
	},
	...['ks', 'auto'].map((method) => ({
		step: `drift cell in the browser, \`${method}\` (DuckDB query → worker → results)`,
		file: 'drift.json',
		reference: 'scipy statistics alone (data in memory)',
		goal: { kind: 'faster', value: 2 } as const,
		times: (r: Result): [number, number] => [r.methods[method].browser?.cell_s, r.methods[method].scipy_s],
		size: driftSize
	})),
	{
		step: 'stats worker alone, `ks` (in the browser)',
		file: 'drift.json',
		reference: 'scipy statistics alone (data in memory)',
		goal: { kind: 'faster', value: 3 },
		times: (r) => [r.methods.ks.browser?.worker_analysis_s, r.methods.ks.scipy_s],
		size: driftSize
	},
	{
		step: 'sample notebook: click → first drift result (Debian chromium, WASM, cold cache)',
		file: 'coldstart.json',
		reference: null,
		goal: { kind: 'seconds', value: 3 },
		times: (r) => [r.cold.first_drift_s, null],
		size: (r) => `median of ${r.runs} runs`
	},
	{
		step: 'sample notebook: click → all cells done (cold cache)',
		file: 'coldstart.json',
		reference: null,
		goal: { kind: 'seconds', value: 5 },
		times: (r) => [r.cold.all_cells_s, null],
		size: (r) => `median of ${r.runs} runs`
	},
	...[
		{ key: 'load_csv', step: 'load a CSV in the browser', times: 2.5 },
		{ key: 'load_parquet', step: 'load the same as Parquet in the browser', times: 2.5 },
		{ key: 'group_by', step: 'GROUP BY on it in the browser', times: 2 }
	].map(({ key, step, times }) => ({
		step,
		file: 'datasets.json',
		reference: '@duckdb/node-api, all threads',
		goal: { kind: 'slower', value: times } as const,
		times: (r: Result): [number, number] => [r.steps[key].browser_s, r.steps[key].native_s],
		size: (r: Result) => `${r.rows} × ${r.columns} (CSV ${megabytes(r.files.csv_bytes)} MB, Parquet ${megabytes(r.files.parquet_bytes)} MB)`
	})),
	{
		step: 'CBPE + PCA reconstruction in a browser worker (issue 19)',
		file: 'cbpe-pca.json',
		reference: 'the same algorithms on NumPy + scikit-learn (/usr/bin/python3)',
		goal: { kind: 'none' },
		times: (r) => [r.steps.both.browser_worker_s, r.steps.both.python_s],
		size: (r) => `${r.data.reference_rows}+${r.data.analysis_rows} × ${r.data.features}`
	},
	...['batch 100', 'batch 1'].map((shape) => ({
		step: `prediction-log flush of 5,000 rows (${shape} requests): longest event-loop stall (issue 20)`,
		file: 'prediction-log-flush.json',
		reference: 'the same NDJSON text built at once on the main thread (the log before its thread)',
		goal: { kind: 'none' } as const,
		times: (r: Result): [number, number] => [seconds(r.results[shape].thread.maxDelayMs), seconds(r.results[shape].main.maxDelayMs)],
		size: (r: Result) => `${r.results[shape].rows} rows`,
		note: (r: Result) => {
			const { flush, thread, main } = r.results[shape];
			return `whole flush (thread, then DuckDB COPY to Parquet): stall ${flush.maxDelayMs.toFixed(1)} ms; main-thread busy ${thread.busyMs.toFixed(0)} ms on the thread vs ${main.busyMs.toFixed(0)} ms at once`;
		}
	})),
	...[1, 100].map((batch) => ({
		step: `POST /invocations p50 at batch ${batch}, 50 concurrent clients on loopback (issue 20)`,
		file: 'serving.json',
		reference: 'onnxruntime-node session.run in process, same concurrency (the floor)',
		goal: batch === 100 ? ({ kind: 'slower', value: 1.5, of: 'floor' } as const) : ({ kind: 'none', read: 'slower' } as const),
		times: (r: Result): [number, number] => [
			seconds(r.results[`batch_${batch}`].server.latency_p50_ms),
			seconds(r.results[`batch_${batch}`].floor.latency_p50_ms)
		],
		size: (r: Result) => `${batch} × 11, ${r.settings.connections} clients`,
		note: (r: Result) => {
			const { server, floor, ratio } = r.results[`batch_${batch}`];
			return `p99 ${server.latency_p99_ms} ms vs ${floor.latency_p99_ms.toFixed(2)} ms (${ratio.p99}×); throughput ${server.requests_per_s.toFixed(0)} vs ${floor.requests_per_s.toFixed(0)} req/s (${ratio.throughput}×)`;
		}
	}))
];

/** Milliseconds as seconds to the microsecond. */
const seconds = (ms: number) => Math.round(ms * 1000) / 1e6;
const megabytes = (bytes: number) => Math.round(bytes / 1e6);

function driftSize(r: Result): string {
	return `${r.data.reference_rows}+${r.data.current_rows} × ${r.data.numerical_columns + r.data.categorical_columns}`;
}

export function goalText(goal: Goal): string {
	switch (goal.kind) {
		case 'faster':
			return `≥${goal.value}× faster`;
		case 'slower':
			return `≤${goal.value}× ${goal.of ?? 'native'}`;
		case 'seconds':
			return `≤${goal.value} s`;
		case 'none':
			return 'ratio reported';
	}
}

const round = (x: number) => Math.round(x * 100) / 100;

/** The row's ratio (as its goal reads it) and whether the goal is met; null where a time is missing or no goal is set. */
export function judge(goal: Goal, driftbook: number | null | undefined, reference: number | null | undefined): { ratio: number | null; met: boolean | null } {
	if (driftbook == null) return { ratio: null, met: null };
	if (goal.kind === 'seconds') return { ratio: null, met: driftbook <= goal.value };
	if (reference == null) return { ratio: null, met: null };
	if (goal.kind === 'slower') return { ratio: round(driftbook / reference), met: driftbook / reference <= goal.value };
	if (goal.kind === 'none' && goal.read === 'slower') return { ratio: round(driftbook / reference), met: null };
	const timesFaster = reference / driftbook;
	return { ratio: round(timesFaster), met: goal.kind === 'faster' ? timesFaster >= goal.value : null };
}

/** Reads `dir`'s results and writes `dir`/summary.json; `since`: when this invocation started. */
export function writeSummary(dir: string, since: Date): Summary {
	const rows = ROWS.map((row): SummaryRow => {
		const path = join(dir, row.file);
		const base = { step: row.step, reference: row.reference, goal: goalText(row.goal), source: row.file };
		if (!existsSync(path)) return { ...base, driftbook_s: null, reference_s: null, ratio: null, met: null, note: 'not measured (no result file)' };
		const result = JSON.parse(readFileSync(path, 'utf8')) as Result;
		const [driftbook, reference] = row.times(result);
		return {
			...base,
			size: row.size(result),
			driftbook_s: driftbook ?? null,
			reference_s: reference ?? null,
			...judge(row.goal, driftbook, reference),
			measured_at: result.date,
			stale: new Date(result.date as string) < since,
			...(driftbook == null ? { note: 'not measured in that run (e.g. the browser part was left out)' } : row.note && { note: row.note(result) })
		};
	});
	const summary = {
		date: new Date().toISOString(),
		notes: [
			'ratio: reference_s / driftbook_s for goals "faster" and where no goal is set (above 1: driftbook is faster); driftbook_s / reference_s for goals "≤k× native" and the serving rows (the overhead over the floor).',
			'Each ratio compares two timings of the same run of one benchmark; stale: the file predates this `npm run bench` (that benchmark was not run this time).'
		],
		rows
	};
	writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
	return summary;
}

/** The summary as a fixed-width table for the terminal. */
export function formatSummary(summary: Summary): string {
	const cell = (v: unknown) => (v === null || v === undefined ? '—' : v === true ? 'yes' : v === false ? 'NO' : String(v));
	const header = ['step', 'size (rows × columns)', 'driftbook s', 'reference s', 'ratio', 'goal', 'met'];
	const lines = summary.rows.map((r): string[] => [
		r.step + (r.stale ? ' (stale)' : ''),
		cell(r.size),
		cell(r.driftbook_s),
		cell(r.reference_s),
		cell(r.ratio),
		r.goal,
		cell(r.met)
	]);
	const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
	return [header, ...lines].map((l) => l.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const [dir = 'bench/results', since] = process.argv.slice(2);
	console.log(formatSummary(writeSummary(dir, since ? new Date(since) : new Date(0))));
}
