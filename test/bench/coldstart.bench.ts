/**
 * Cold start of the bundled sample notebook (notebooks/churn-model-drift-review.driftbook.md) in
 * Debian's chromium against the production build (npm run build, node server/main.js on a free
 * port with a temporary DRIFTBOOK_DATA_DIR): from the click on its link on the home page to the
 * drift cell done ("first drift result") and to every cell done, and when each cell finished.
 *
 * Two visits per run: `cold` in a new browser context (empty HTTP cache: every WASM module and the
 * data are downloaded and compiled), then `warm` in the same context after a full reload of the
 * home page (the HTTP cache and the compiled-code cache hold what the first visit fetched).
 * Medians of BENCH_COLDSTART_RUNS runs (default 3) go to $BENCH_OUT/coldstart.json, with the
 * goals of issue 18 (first drift result ≤ 3 s, all cells ≤ 5 s). BENCH_SKIP_BUILD=1 reuses build/.
 *
 * Run: npm run bench coldstart
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from '@playwright/test';
import { launchBenchChromium } from '../support/bench-chromium';
import { startApp } from '../support/app-server';

const SLUG = 'churn-model-drift-review';
const DRIFT_CELL = 'drift';
const DATA_CELL = 'churn_events';
const RUNS = Number(process.env.BENCH_COLDSTART_RUNS ?? 3);
const GOALS = { first_drift_s: 3, all_cells_s: 5 };
const started = performance.now();
const seconds = (ms: number) => Math.round(ms) / 1000;

function log(message: string) {
	console.log(`[coldstart bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);
}

interface Visit {
	first_drift_s: number;
	all_cells_s: number;
	/** Seconds from the click to each cell's first `done`. */
	cells_s: Record<string, number>;
	/** The drift cell's own split (its data-*-ms attributes): DuckDB query, worker round trip, Arrow → columns, statistics, results table. */
	drift_ms: Record<string, number>;
	/** The data cell's own load (from opening the file to the table ready; DuckDB's start not counted). */
	data_load_s: number;
}

/** Opens the home page, clicks the sample notebook's link and times every cell to `done`. */
async function visit(context: BrowserContext, base: string): Promise<Visit> {
	const page = context.pages()[0] ?? (await context.newPage());
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(e.message));
	await page.goto(`${base}/`);
	const link = page.locator(`[data-notebook="${SLUG}"] a`);
	await link.waitFor();
	const t0 = performance.now();
	await link.click();
	await page.locator(`[data-cell="${DRIFT_CELL}"]`).waitFor();
	const names = await page.locator('[data-cell]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-cell')!));
	const done: Record<string, number> = {};
	const deadline = t0 + 300_000;
	// Polled from here rather than awaited in the page: a cell's `done` is stamped within one poll (~20 ms).
	while (Object.keys(done).length < names.length) {
		if (performance.now() > deadline) throw new Error(`cells not done after 300 s: ${names.filter((n) => !(n in done)).join(', ')}; ${errors.join('; ')}`);
		const states = await page.evaluate((list) => list.map((n) => window.driftbook?.status(n)), names);
		const now = performance.now();
		states.forEach((s, i) => {
			if (s?.status === 'error') throw new Error(`cell ${names[i]} failed: ${s.error}`);
			if (s?.status === 'done' && !(names[i] in done)) done[names[i]] = seconds(now - t0);
		});
		await new Promise((r) => setTimeout(r, 20));
	}
	page.removeAllListeners('pageerror');
	const timings = page.locator(`[data-cell="${DRIFT_CELL}"] [data-testid=drift-timings]`);
	const drift_ms: Record<string, number> = {};
	for (const part of ['query', 'worker', 'convert', 'analysis', 'write']) drift_ms[part] = Math.round(Number(await timings.getAttribute(`data-${part}-ms`)));
	const data_load_s = Number(await page.locator(`[data-cell="${DATA_CELL}"] [data-testid=load-seconds]`).textContent());
	return { first_drift_s: done[DRIFT_CELL], all_cells_s: Math.max(...Object.values(done)), cells_s: done, drift_ms, data_load_s };
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : seconds(((sorted[mid - 1] + sorted[mid]) / 2) * 1000);
}

function summary(visits: Visit[]) {
	const cells = Object.keys(visits[0].cells_s);
	return {
		first_drift_s: median(visits.map((v) => v.first_drift_s)),
		all_cells_s: median(visits.map((v) => v.all_cells_s)),
		runs_first_drift_s: visits.map((v) => v.first_drift_s),
		runs_all_cells_s: visits.map((v) => v.all_cells_s),
		data_load_s: median(visits.map((v) => v.data_load_s)),
		cells_s: Object.fromEntries(cells.map((c) => [c, median(visits.map((v) => v.cells_s[c]))])),
		drift_ms: Object.fromEntries(Object.keys(visits[0].drift_ms).map((part) => [part, median(visits.map((v) => v.drift_ms[part]))])),
		goals_met: {
			first_drift: median(visits.map((v) => v.first_drift_s)) <= GOALS.first_drift_s,
			all_cells: median(visits.map((v) => v.all_cells_s)) <= GOALS.all_cells_s
		}
	};
}

async function main() {
	const appData = mkdtempSync(join(tmpdir(), 'driftbook-bench-coldstart-'));
	let app: ChildProcess | undefined;
	try {
		if (process.env.BENCH_SKIP_BUILD !== '1') {
			log('npm run build');
			const build = spawnSync('npm', ['run', 'build'], { encoding: 'utf8', maxBuffer: 1 << 26 });
			if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
		}
		const served = await startApp(appData);
		app = served.server;
		// The flags of playwright.config.ts's `wasm` project: no WebGPU, so the model runs on WASM.
		const browser = await launchBenchChromium(['--disable-sync', '--no-first-run']);
		const cold: Visit[] = [];
		const warm: Visit[] = [];
		try {
			for (let run = 1; run <= RUNS; run++) {
				const context = await browser.newContext();
				try {
					log(`run ${run} of ${RUNS}: cold`);
					cold.push(await visit(context, served.base));
					log(`  first drift ${cold.at(-1)!.first_drift_s} s, all cells ${cold.at(-1)!.all_cells_s} s; warm`);
					warm.push(await visit(context, served.base));
					log(`  first drift ${warm.at(-1)!.first_drift_s} s, all cells ${warm.at(-1)!.all_cells_s} s`);
				} finally {
					await context.close();
				}
			}
			const result = {
				benchmark: 'coldstart',
				date: new Date().toISOString(),
				notes: [
					'Seconds from the click on the sample notebook on the home page to its drift cell done (first_drift_s) and to every cell done (all_cells_s); medians of the runs listed.',
					'cold: a new browser context (empty cache); warm: the same context after reloading the home page (cached WASM and data).',
					'chromium without WebGPU (the model cell runs on WASM); the machine may be shared, so compare runs of one invocation.'
				],
				goals: GOALS,
				machine: {
					cpus: cpus().length,
					cpu: cpus()[0]?.model,
					memory_gb: Math.round(totalmem() / 2 ** 30),
					node: process.version,
					chromium: browser.version()
				},
				runs: RUNS,
				cold: summary(cold),
				warm: summary(warm)
			};
			const out = process.env.BENCH_OUT ?? 'bench/results';
			mkdirSync(out, { recursive: true });
			writeFileSync(join(out, 'coldstart.json'), JSON.stringify(result, null, '\t') + '\n');
			console.log(JSON.stringify({ cold: result.cold, warm: result.warm }, null, 2));
		} finally {
			await browser.close();
		}
	} finally {
		app?.kill('SIGTERM');
		rmSync(appData, { recursive: true, force: true });
	}
}

await main();
