/**
 * Cold start of the bundled sample notebook (notebooks/churn-model-drift-review.driftbook.md) in
 * Debian's chromium against the production build (npm run build, node server/main.js on a free
 * port with a temporary DRIFTBOOK_DATA_DIR): from the click on its link on the home page to the
 * drift cell done ("first drift result") and to every cell done, and when each cell finished.
 *
 * Two visits per run: `cold` in a browser with a new profile (empty HTTP cache: every WASM module and
 * the data are downloaded and compiled), then `warm` in the same browser after a full reload of the
 * home page (the HTTP cache and the compiled-code cache hold what the first visit fetched). A
 * profile on disk, as a user's: an off-the-record context keeps no compiled code between visits.
 * Medians of BENCH_COLDSTART_RUNS runs (default 3) go to $BENCH_OUT/coldstart.json, with the
 * goals of issue 18 (first drift result ≤ 3 s, all cells ≤ 5 s). BENCH_SKIP_BUILD=1 reuses build/.
 *
 * Each visit also records, in milliseconds from the click, the page's `driftbook:` performance
 * marks (DuckDB's start, the data cell's phases, the model cell's engine: `marks`) and when the
 * big downloads (WASM, workers, the data, the model) started and ended (`requests`).
 *
 * BENCH_COLDSTART_BASELINE=<dir> also serves another checkout's build (its server/ and build/, e.g.
 * a copy of main's) on a second port and times it in the same runs, alternating which goes first:
 * on a shared machine only such side-by-side numbers compare. Its medians go to `baseline`, and
 * `ratio` is baseline ÷ this build.
 *
 * Run: npm run bench coldstart
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from '@playwright/test';
import { launchBenchProfile } from '../support/bench-chromium';
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
	/** Milliseconds from the click to each `driftbook:` performance mark of the page (the last one of a name). */
	marks: Record<string, number>;
	/** Milliseconds from the click to the start and end of each large download (by file, hash dropped). */
	requests: Record<string, [number, number]>;
}

/** The downloads worth a line: WASM, worker scripts, the sample data and model. */
const WATCHED = /\.(wasm|parquet|onnx)$|worker[^/]*\.js$/;
const shortName = (url: string) =>
	new URL(url).pathname
		.split('/')
		.pop()!
		.replace(/\.[A-Za-z0-9_-]{8}\.(js|wasm)$/, '.$1');

/** Opens the home page, clicks the sample notebook's link and times every cell to `done`. */
async function visit(context: BrowserContext, base: string): Promise<Visit> {
	const page = context.pages()[0] ?? (await context.newPage());
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(e.message));
	await page.goto(`${base}/`);
	const link = page.locator(`[data-notebook="${SLUG}"] a`);
	await link.waitFor();
	// Absolute times here, from the click once it is known (a download may start before it: a preload).
	const fetched: Record<string, [number, number]> = {};
	const opened = new Map<object, number>();
	const onRequest = (r: { url(): string }) => void (WATCHED.test(new URL(r.url()).pathname) && opened.set(r, performance.now()));
	const onFinished = (r: { url(): string }) => {
		const from = opened.get(r);
		if (from !== undefined) fetched[shortName(r.url())] = [from, performance.now()];
	};
	page.on('request', onRequest);
	page.on('requestfinished', onFinished);
	await page.evaluate(() => performance.mark('bench:click'));
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
	page.off('request', onRequest);
	page.off('requestfinished', onFinished);
	const marks = await page.evaluate(() => {
		const click = performance.getEntriesByName('bench:click').at(-1)?.startTime ?? 0;
		const out: Record<string, number> = {};
		for (const m of performance.getEntriesByType('mark'))
			if (m.name.startsWith('driftbook:')) out[m.name.slice('driftbook:'.length)] = Math.round(m.startTime - click);
		return out;
	});
	const requests = Object.fromEntries(
		Object.entries(fetched).map(([name, [from, to]]) => [name, [Math.round(from - t0), Math.round(to - t0)] as [number, number]])
	);
	const timings = page.locator(`[data-cell="${DRIFT_CELL}"] [data-testid=drift-timings]`);
	const drift_ms: Record<string, number> = {};
	for (const part of ['query', 'worker', 'convert', 'analysis', 'write']) drift_ms[part] = Math.round(Number(await timings.getAttribute(`data-${part}-ms`)));
	const data_load_s = Number(await page.locator(`[data-cell="${DATA_CELL}"] [data-testid=load-seconds]`).textContent());
	return { first_drift_s: done[DRIFT_CELL], all_cells_s: Math.max(...Object.values(done)), cells_s: done, drift_ms, data_load_s, marks, requests };
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : seconds(((sorted[mid - 1] + sorted[mid]) / 2) * 1000);
}

/** Each key's median over the records that have it, in the order of its median. */
function medianOf(records: Record<string, number>[]): Record<string, number> {
	const keys = [...new Set(records.flatMap((r) => Object.keys(r)))];
	const medians = keys.map((k) => [k, median(records.filter((r) => k in r).map((r) => r[k]))] as const);
	return Object.fromEntries(medians.sort((a, b) => a[1] - b[1]));
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
		marks_ms: medianOf(visits.map((v) => v.marks)),
		requests_ms: Object.fromEntries(
			[...new Set(visits.flatMap((v) => Object.keys(v.requests)))].map((name) => {
				const seen = visits.filter((v) => name in v.requests);
				return [name, [median(seen.map((v) => v.requests[name][0])), median(seen.map((v) => v.requests[name][1]))]];
			})
		),
		goals_met: {
			first_drift: median(visits.map((v) => v.first_drift_s)) <= GOALS.first_drift_s,
			all_cells: median(visits.map((v) => v.all_cells_s)) <= GOALS.all_cells_s
		}
	};
}

async function main() {
	const appData = mkdtempSync(join(tmpdir(), 'driftbook-bench-coldstart-'));
	let app: ChildProcess | undefined;
	let baseline: ChildProcess | undefined;
	let baselineData: string | undefined;
	const servers: { label: string; base: string }[] = [];
	try {
		if (process.env.BENCH_SKIP_BUILD !== '1') {
			log('npm run build');
			const build = spawnSync('npm', ['run', 'build'], { encoding: 'utf8', maxBuffer: 1 << 26 });
			if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
		}
		const served = await startApp(appData);
		app = served.server;
		const baselineDir = process.env.BENCH_COLDSTART_BASELINE;
		if (baselineDir) {
			baselineData = mkdtempSync(join(tmpdir(), 'driftbook-bench-coldstart-base-'));
			const base = await startApp(baselineData, { cwd: baselineDir });
			baseline = base.server;
			servers.push({ label: 'baseline', base: base.base });
		}
		servers.unshift({ label: 'this build', base: served.base });
		let chromiumVersion = '';
		const visits = new Map(servers.map((s) => [s.label, { cold: [] as Visit[], warm: [] as Visit[] }]));
		for (let run = 1; run <= RUNS; run++) {
			// Alternate which build goes first, so that neither always meets the machine's load first.
			const order = run % 2 ? servers : [...servers].reverse();
			for (const server of order) {
				const { cold, warm } = visits.get(server.label)!;
				const profile = mkdtempSync(join(tmpdir(), 'driftbook-bench-coldstart-profile-'));
				// The flags of playwright.config.ts's `wasm` project: no WebGPU, so the model runs on WASM.
				const context = await launchBenchProfile(profile, ['--disable-sync', '--no-first-run']);
				chromiumVersion = context.browser()?.version() ?? chromiumVersion;
				try {
					log(`run ${run} of ${RUNS}, ${server.label}: cold`);
					cold.push(await visit(context, server.base));
					log(`  first drift ${cold.at(-1)!.first_drift_s} s, all cells ${cold.at(-1)!.all_cells_s} s; warm`);
					warm.push(await visit(context, server.base));
					log(`  first drift ${warm.at(-1)!.first_drift_s} s, all cells ${warm.at(-1)!.all_cells_s} s`);
				} finally {
					await context.close();
					rmSync(profile, { recursive: true, force: true });
				}
			}
		}
		const mine = visits.get('this build')!;
		const theirs = visits.get('baseline');
		const compared = theirs && {
			baseline: { dir: baselineDir, cold: summary(theirs.cold), warm: summary(theirs.warm) },
			ratio: Object.fromEntries(
				(['cold', 'warm'] as const).map((visitKind) => {
					const a = summary(theirs[visitKind]);
					const b = summary(mine[visitKind]);
					return [
						visitKind,
						{ first_drift: Math.round((a.first_drift_s / b.first_drift_s) * 100) / 100, all_cells: Math.round((a.all_cells_s / b.all_cells_s) * 100) / 100 }
					];
				})
			)
		};
		const result = {
			benchmark: 'coldstart',
			date: new Date().toISOString(),
			notes: [
				'Seconds from the click on the sample notebook on the home page to its drift cell done (first_drift_s) and to every cell done (all_cells_s); medians of the runs listed.',
				'cold: a browser with a new profile (empty cache); warm: the same browser after reloading the home page (cached WASM, data and compiled code).',
				'chromium without WebGPU (the model cell runs on WASM); the machine may be shared, so compare runs of one invocation.',
				...(compared
					? ['baseline: another build timed in the same runs, alternating which went first; ratio: baseline ÷ this build (above 1: this build is faster).']
					: [])
			],
			goals: GOALS,
			machine: {
				cpus: cpus().length,
				cpu: cpus()[0]?.model,
				memory_gb: Math.round(totalmem() / 2 ** 30),
				node: process.version,
				chromium: chromiumVersion,
				load_average: loadavg().map((l) => Math.round(l * 100) / 100)
			},
			runs: RUNS,
			cold: summary(mine.cold),
			warm: summary(mine.warm),
			...compared
		};
		const out = process.env.BENCH_OUT ?? 'bench/results';
		mkdirSync(out, { recursive: true });
		writeFileSync(join(out, 'coldstart.json'), JSON.stringify(result, null, '\t') + '\n');
		console.log(JSON.stringify({ cold: result.cold, warm: result.warm, ...compared }, null, 2));
	} finally {
		app?.kill('SIGTERM');
		baseline?.kill('SIGTERM');
		rmSync(appData, { recursive: true, force: true });
		if (baselineData) rmSync(baselineData, { recursive: true, force: true });
	}
}

await main();
