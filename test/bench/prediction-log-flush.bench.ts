/**
 * How long a prediction-log flush of 5,000 rows stalls the event loop: the longest delay
 * `monitorEventLoopDelay` sees while the rows' NDJSON file is written, for
 * - `main`: the text built at once on the main thread (the log before the thread),
 * - `main-sliced`: the same text built on the main thread 250 rows at a time, yielding between,
 * - `thread`: the values handed to the log's worker thread 250 rows at a time (prediction-lines.ts),
 * and the whole flush of the log as it is now (`flush`: thread, then DuckDB's COPY to Parquet).
 * Rows like the churn model's (9 features, label + 2 probabilities), as 50 requests of 100 rows
 * and 5,000 requests of 1 row; variants interleaved, median of 7 runs each.
 * `npx tsx test/bench/prediction-log-flush.bench.ts`; writes BENCH_OUT/prediction-log-flush.json.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { LinesThread, predictionLines, slices, type PredictionBatch } from '#server/serving/prediction-lines.ts';
import { PredictionLog } from '#server/serving/prediction-log.ts';

const RUNS = 7;

function batches(requests: number, rows: number): PredictionBatch[] {
	return Array.from({ length: requests }, (_, r) => ({
		request_id: `00000000-0000-4000-8000-${String(r).padStart(12, '0')}`,
		time: Date.UTC(2026, 11, 7) + r,
		model: 'churn',
		version: '3',
		route: r % 10 === 0 ? 'canary' : 'primary',
		inputs: Array.from({ length: rows }, (_, i) => ({
			tenure_months: (r * rows + i) % 72,
			monthly_charges: 20 + ((r * 7 + i) % 100) * 0.9,
			sessions_per_week: (i % 14) + 0.5,
			avg_session_minutes: 12.25 + (i % 30),
			support_tickets: i % 5,
			days_since_last_login: (r + i) % 60,
			plan: i % 3 === 0 ? 'premium' : 'standard',
			region: ['north', 'south', 'east', 'west'][i % 4],
			autopay: i % 2 === 0
		})),
		outputs: Array.from({ length: rows }, (_, i) => ({ label: i % 2, probabilities: [1 - (i % 100) / 100, (i % 100) / 100] })),
		latency_ms: 1.234 + r / 1000
	}));
}

async function mainSliced(path: string, all: readonly PredictionBatch[]): Promise<void> {
	const parts: string[] = [];
	for (const slice of slices(all)) {
		parts.push(predictionLines(slice));
		await nextTurn();
	}
	await writeFile(path, parts.join('\n'));
}

/** The longest event-loop delay (ms), the main thread's busy time (ms, event-loop utilization) and the wall time (ms) while `work` runs. */
async function measure(work: () => Promise<void>): Promise<{ maxDelayMs: number; busyMs: number; wallMs: number }> {
	const histogram = monitorEventLoopDelay({ resolution: 1 });
	await nextTurn();
	histogram.enable();
	// the histogram's timer must be running when the work starts, or a stall at once is not seen
	await new Promise((resolve) => setTimeout(resolve, 5));
	const started = performance.now();
	const utilization = performance.eventLoopUtilization();
	await work();
	const busyMs = performance.eventLoopUtilization(utilization).active;
	const wallMs = performance.now() - started;
	await nextTurn();
	histogram.disable();
	return { maxDelayMs: histogram.max / 1e6, busyMs, wallMs };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = await mkdtemp(join(tmpdir(), 'driftbook-flush-bench-'));
const thread = new LinesThread();
const results: Record<string, unknown> = {};
try {
	for (const [shape, requests, rows] of [
		['batch 100', 50, 100],
		['batch 1', 5_000, 1]
	] as const) {
		const data = batches(requests, rows);
		const expected = predictionLines(data);
		await thread.write(join(dir, 'warm.ndjson'), data); // the thread starts once, before timing
		const variants: Record<string, (path: string) => Promise<void>> = {
			main: (path) => writeFile(path, predictionLines(data)),
			'main-sliced': (path) => mainSliced(path, data),
			thread: (path) => thread.write(path, data)
		};
		const seen: Record<string, { maxDelayMs: number; busyMs: number; wallMs: number }[]> = { main: [], 'main-sliced': [], thread: [], flush: [] };
		for (let run = 0; run < RUNS; run++) {
			for (const [name, write] of Object.entries(variants)) {
				const path = join(dir, `${name}-${run}.ndjson`);
				seen[name].push(await measure(() => write(path)));
				if ((await readFile(path, 'utf8')) !== expected) throw new Error(`${name} wrote different text`);
			}
			const logDir = join(dir, `log-${shape.replace(' ', '')}-${run}`);
			await mkdir(logDir, { recursive: true });
			const log = new PredictionLog({ dir: logDir, flushRows: 1_000_000 });
			await log.lines.write(join(dir, 'warm-log.ndjson'), data.slice(0, 1));
			for (const b of data) log.append(b);
			seen.flush.push(await measure(() => log.flush()));
			await log.close();
		}
		const summary = Object.fromEntries(
			Object.entries(seen).map(([name, list]) => [
				name,
				{
					maxDelayMs: median(list.map((m) => m.maxDelayMs)),
					busyMs: median(list.map((m) => m.busyMs)),
					wallMs: median(list.map((m) => m.wallMs)),
					runs: list
				}
			])
		);
		const base = (summary.main as { maxDelayMs: number }).maxDelayMs;
		results[shape] = {
			rows: requests * rows,
			...summary,
			ratioToMain: Object.fromEntries(Object.entries(summary).map(([name, s]) => [name, (s as { maxDelayMs: number }).maxDelayMs / base]))
		};
		console.log(
			`${shape} (${requests * rows} rows): longest event-loop delay, median of ${RUNS} (ms): ` +
				Object.entries(summary)
					.map(([name, s]) => {
						const m = s as { maxDelayMs: number; busyMs: number; wallMs: number };
						return `${name} ${m.maxDelayMs.toFixed(1)} (main busy ${m.busyMs.toFixed(0)}, wall ${m.wallMs.toFixed(0)})`;
					})
					.join(', ')
		);
	}
} finally {
	await thread.close();
	await rm(dir, { recursive: true, force: true });
}
if (process.env.BENCH_OUT) {
	await mkdir(process.env.BENCH_OUT, { recursive: true });
	await writeFile(join(process.env.BENCH_OUT, 'prediction-log-flush.json'), JSON.stringify({ date: new Date().toISOString(), results }, null, 2));
}
