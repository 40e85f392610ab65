/**
 * Drift report benchmark: 1,000,000 reference + 1,000,000 current rows × 20 numerical + 5
 * categorical columns, with `ks` and with `auto`, timed three ways on the same data:
 *
 * - SciPy/NumPy (scripts/bench/drift_scipy.py): ks_2samp, wasserstein_distance,
 *   jensenshannon, chi2_contingency, column by column, loading not timed;
 * - Node: the statistics library directly on columns already in memory, what the stats worker
 *   runs: on one thread (driftReport) and on two (driftReportSplit with a worker thread peer,
 *   cli/threads/stats-peer.ts, as the browser's stats worker does with its peer worker);
 * - headless chromium: the built app (npm run build, node server/main.js on a free port with
 *   a temporary DRIFTBOOK_DATA_DIR), a shared-link notebook whose data cells load the Parquet
 *   files (served with CORS from a second local port) into DuckDB-WASM, then a drift cell; timed once the data is in DuckDB: the cell's
 *   run (DuckDB query → Arrow → stats worker → results table) and, inside it, the worker's
 *   statistics alone.
 *
 * Ratios (node/scipy, browser/scipy), the rows as speed-ups over SciPy (`rows`) and the
 * agreement of the statistics with SciPy's go to $BENCH_OUT/drift.json. Data is generated into
 * a temporary directory, removed afterwards. BENCH_DRIFT_ROWS changes the row count (default
 * 1,000,000), BENCH_DRIFT_NUMERICAL the numerical columns (default 20), BENCH_DRIFT_REPEAT the
 * SciPy and Node runs (default 2, the fastest counts); BENCH_SKIP_BUILD=1 reuses build/,
 * BENCH_DRIFT_BROWSER=0 leaves out the browser (a quick run: scipy and Node only).
 *
 * Run: npm run bench drift
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { freePort, startApp } from '../support/app-server';
import type { Browser } from '@playwright/test';
import { launchBenchChromium } from '../support/bench-chromium';
import { Float64, Table, Utf8, makeVector, tableToIPC, vectorFromArray } from 'apache-arrow';
import { driftReport, driftReportSplit, type Column, type DriftReport } from '#lib/stats/index.ts';
import { startStatsPeer } from '#cli/threads/stats-peer.ts';
import { encodeShareFragment } from '#lib/notebook/share.ts';
import { mulberry32 } from '../support/mulberry32';

const ROWS = Number(process.env.BENCH_DRIFT_ROWS ?? 1_000_000);
/** SciPy and Node run this many times (alternating methods) and report the fastest: this machine may be shared. */
const REPEAT = Number(process.env.BENCH_DRIFT_REPEAT ?? 2);
const NUMERICAL = Number(process.env.BENCH_DRIFT_NUMERICAL ?? 20);
const BROWSER = process.env.BENCH_DRIFT_BROWSER !== '0';
const CATEGORIES = [3, 5, 8, 12, 4];
const METHODS = ['ks', 'auto'] as const;
type Method = (typeof METHODS)[number];
const started = performance.now();
const seconds = (ms: number) => Math.round(ms) / 1000;

function log(message: string) {
	console.log(`[drift bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);
}

// ————— data —————

function normals(out: Float64Array, random: () => number) {
	for (let i = 0; i < out.length; i += 2) {
		const r = Math.sqrt(-2 * Math.log(1 - random()));
		const t = 2 * Math.PI * random();
		out[i] = r * Math.cos(t);
		if (i + 1 < out.length) out[i + 1] = r * Math.sin(t);
	}
}

interface Sample {
	numerical: Float64Array; // column-major, NUMERICAL × rows
	codes: Uint8Array; // column-major, categorical × rows
}

const numericalNames = Array.from({ length: NUMERICAL }, (_, k) => `num_${String(k).padStart(2, '0')}`);
const categorical = CATEGORIES.map((k, c) => ({ name: `cat_${c}`, categories: Array.from({ length: k }, (_, j) => `c${c}_${String.fromCharCode(97 + j)}`) }));

/**
 * Column k: normal, lognormal, uniform or normal rounded to 0.1 (ties), by k mod 4 (uniform
 * columns draw their own values). In the
 * current sample columns with k mod 5 = 0 shift by 0.02 SD and k mod 5 = 1 widen by 1%; a few
 * columns have 0.5% missing values (NaN). Categorical shares move in the current sample for
 * even columns.
 */
function generate(rows: number, current: boolean): Sample {
	const numerical = new Float64Array(NUMERICAL * rows);
	const random = mulberry32(current ? 2 : 1);
	for (let k = 0; k < NUMERICAL; k++) {
		const col = numerical.subarray(k * rows, (k + 1) * rows);
		normals(col, random);
		const shift = current && k % 5 === 0 ? 0.02 : 0;
		const scale = current && k % 5 === 1 ? 1.01 : 1;
		for (let i = 0; i < rows; i++) {
			const z = col[i] * scale + shift;
			switch (k % 4) {
				case 0:
					col[i] = 50 + 10 * z;
					break;
				case 1:
					col[i] = Math.exp(0.5 * z);
					break;
				case 2:
					col[i] = random() * scale + shift * 0.3;
					break;
				case 3:
					col[i] = Math.round((20 + 3 * z) * 10) / 10;
					break;
			}
			if (k % 7 === 3 && random() < 0.005) col[i] = NaN;
		}
	}
	const codes = new Uint8Array(CATEGORIES.length * rows);
	CATEGORIES.forEach((k, c) => {
		const weights = Array.from({ length: k }, (_, j) => 1 / (j + 1 + (current && c % 2 === 0 ? 0.02 * j : 0)));
		const total = weights.reduce((s, w) => s + w, 0);
		const cum: number[] = [];
		weights.reduce((s, w) => (cum.push((s + w) / total), s + w), 0);
		for (let i = 0; i < rows; i++) {
			const u = random();
			let j = 0;
			while (j < k - 1 && u >= cum[j]) j++;
			codes[c * rows + i] = j;
		}
	});
	return { numerical, codes };
}

function columnsOf(sample: Sample, rows: number): Record<string, Column> {
	const out: Record<string, Column> = {};
	numericalNames.forEach((name, k) => (out[name] = { type: 'number', values: sample.numerical.subarray(k * rows, (k + 1) * rows) }));
	categorical.forEach((c, j) => {
		const values = new Array<string>(rows);
		const codes = sample.codes.subarray(j * rows, (j + 1) * rows);
		for (let i = 0; i < rows; i++) values[i] = c.categories[codes[i]];
		out[c.name] = { type: 'string', values };
	});
	return out;
}

async function writeParquet(path: string, columns: Record<string, Column>) {
	const parquet = await import('parquet-wasm/node');
	const vectors: Record<string, ReturnType<typeof makeVector>> = {};
	for (const [name, col] of Object.entries(columns)) {
		vectors[name] = col.type === 'number' ? makeVector(col.values) : vectorFromArray(col.values as string[], new Utf8());
	}
	const table = new Table(vectors);
	if (!(table.schema.fields[0].type instanceof Float64)) throw new Error('expected float64 columns');
	const bytes = parquet.writeParquet(parquet.Table.fromIPCStream(tableToIPC(table, 'stream')));
	writeFileSync(path, bytes);
	return bytes.length;
}

// ————— SciPy —————

interface ScipyResult {
	versions: Record<string, string>;
	load_s: number;
	methods: Record<Method, { seconds: number; runs: number[]; columns: Record<string, { statistic: number; p_value?: number; effect_size?: number }> }>;
}

function runScipy(dir: string): ScipyResult {
	const r = spawnSync('/usr/bin/python3', ['scripts/bench/drift_scipy.py', dir, String(REPEAT)], { encoding: 'utf8', maxBuffer: 1 << 26 });
	if (r.status !== 0) throw new Error(`drift_scipy.py failed (${r.status}):\n${r.stderr}`);
	return JSON.parse(r.stdout) as ScipyResult;
}

/** Largest relative difference of the statistics (and p-values above 1e-300) from SciPy's. */
function agreement(method: Method, statistics: Record<string, { statistic: number; p_value: number | null }>, scipy: ScipyResult): number {
	let worst = 0;
	const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), 1e-300));
	for (const [name, expected] of Object.entries(scipy.methods[method].columns)) {
		const got = statistics[name];
		if (!got) throw new Error(`${method}: no result for ${name}`);
		worst = Math.max(worst, rel(got.statistic, expected.statistic));
		if (expected.p_value !== undefined && expected.p_value > 1e-300 && got.p_value !== null) worst = Math.max(worst, rel(got.p_value, expected.p_value));
	}
	return worst;
}

function statisticsOf(report: DriftReport) {
	return Object.fromEntries(report.columns.filter((c) => c.tests[0]).map((c) => [c.column, { statistic: c.tests[0].statistic, p_value: c.tests[0].p_value }]));
}

// ————— browser —————

/** Serves the Parquet files to the page's DuckDB: CORS (the page is cross-origin isolated) and byte ranges. */
function dataServer(dir: string, port: number): Promise<http.Server> {
	const server = http.createServer((req, res) => {
		res.setHeader('Access-Control-Allow-Origin', '*');
		res.setHeader('Access-Control-Allow-Headers', '*');
		res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
		res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range, Accept-Ranges');
		res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
		res.setHeader('Accept-Ranges', 'bytes');
		if (req.method === 'OPTIONS') return void res.writeHead(204).end();
		const name = (req.url ?? '').split('?')[0].replace(/^\//, '');
		if (!/^(ref|cur)\.parquet$/.test(name)) return void res.writeHead(404).end();
		const path = join(dir, name);
		const size = statSync(path).size;
		const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
		let start = 0;
		let end = size - 1;
		if (range) {
			if (range[1] === '') start = Math.max(0, size - Number(range[2]));
			else {
				start = Number(range[1]);
				if (range[2] !== '') end = Math.min(size - 1, Number(range[2]));
			}
			res.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${size}`, 'Content-Length': end - start + 1, 'Content-Type': 'application/octet-stream' });
		} else {
			res.writeHead(200, { 'Content-Length': size, 'Content-Type': 'application/octet-stream' });
		}
		if (req.method === 'HEAD') return void res.end();
		createReadStream(path, { start, end }).pipe(res);
	});
	return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

interface BrowserRun {
	load_s: { reference: number; current: number };
	cell_s: number;
	query_s: number;
	worker_roundtrip_s: number;
	worker_convert_s: number;
	worker_analysis_s: number;
	write_s: number;
	statistics: Record<string, { statistic: number; p_value: number | null }>;
}

async function runBrowser(browser: Browser, base: string, dataUrl: string, method: Method): Promise<BrowserRun> {
	const notebook = `---
title: Drift benchmark (${method})
---

\`\`\`data name=ref
url: ${dataUrl}/ref.parquet
\`\`\`

\`\`\`data name=cur
url: ${dataUrl}/cur.parquet
\`\`\`

\`\`\`drift name=drift
reference: ref
current: cur
method: ${method}
\`\`\`
`;
	const page = await browser.newPage();
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(e.message));
	try {
		await page.goto(`${base}/view#${await encodeShareFragment(notebook)}`);
		await page.waitForFunction(() => ['ref', 'cur', 'drift'].every((n) => ['done', 'error'].includes(window.driftbook?.status(n)?.status ?? '')), null, {
			timeout: 600_000,
			polling: 250
		});
		const states = await page.evaluate(() => ['ref', 'cur', 'drift'].map((n) => window.driftbook!.status(n)));
		for (const s of states) if (s?.status !== 'done') throw new Error(`a cell failed: ${s?.error} ${errors.join('; ')}`);
		const duration = async (cell: string) => {
			const text = (await page.locator(`[data-cell="${cell}"] [data-testid=cell-status]`).textContent()) ?? '';
			const m = /([\d.]+)\s*s/.exec(text);
			if (!m) throw new Error(`no duration in "${text}"`);
			return Number(m[1]);
		};
		const t = page.locator('[data-cell="drift"] [data-testid=drift-timings]');
		const attr = async (name: string) => Math.round(Number(await t.getAttribute(name))) / 1000;
		const rows = (await page.evaluate(() => window.driftbook!.query(`SELECT "column", statistic, p_value FROM drift WHERE scope = 'overall'`))) as {
			column: string;
			statistic: number;
			p_value: number | null;
		}[];
		return {
			load_s: { reference: await duration('ref'), current: await duration('cur') },
			cell_s: await duration('drift'),
			query_s: await attr('data-query-ms'),
			worker_roundtrip_s: await attr('data-worker-ms'),
			worker_convert_s: await attr('data-convert-ms'),
			worker_analysis_s: await attr('data-analysis-ms'),
			write_s: await attr('data-write-ms'),
			statistics: Object.fromEntries(rows.map((r) => [r.column, { statistic: r.statistic, p_value: r.p_value }]))
		};
	} finally {
		await page.close();
	}
}

// ————— main —————

async function main() {
	const dir = mkdtempSync(join(tmpdir(), 'driftbook-bench-drift-'));
	const appData = mkdtempSync(join(tmpdir(), 'driftbook-bench-app-'));
	let app: ChildProcess | undefined;
	let files: http.Server | undefined;
	let browser: Browser | undefined;
	try {
		log(
			`generating ${ROWS.toLocaleString('en-US')} + ${ROWS.toLocaleString('en-US')} rows × ${NUMERICAL} numerical + ${CATEGORIES.length} categorical columns in ${dir}`
		);
		let t = performance.now();
		const ref = generate(ROWS, false);
		const cur = generate(ROWS, true);
		writeFileSync(join(dir, 'ref_num.f64'), ref.numerical);
		writeFileSync(join(dir, 'cur_num.f64'), cur.numerical);
		writeFileSync(join(dir, 'ref_cat.u8'), ref.codes);
		writeFileSync(join(dir, 'cur_cat.u8'), cur.codes);
		writeFileSync(join(dir, 'meta.json'), JSON.stringify({ rows: { reference: ROWS, current: ROWS }, numerical: numericalNames, categorical }));
		const refColumns = columnsOf(ref, ROWS);
		const curColumns = columnsOf(cur, ROWS);
		const parquetBytes = BROWSER ? (await writeParquet(join(dir, 'ref.parquet'), refColumns)) + (await writeParquet(join(dir, 'cur.parquet'), curColumns)) : 0;
		const generateS = seconds(performance.now() - t);

		log('SciPy/NumPy');
		const scipy = runScipy(dir);

		const peer = startStatsPeer();
		type NodeRun = { seconds: number; runs: number[]; report: DriftReport };
		const node = {} as Record<Method, NodeRun>;
		const twoThreads = {} as Record<Method, NodeRun>;
		const best = (previous: NodeRun | undefined, s: number, report: DriftReport): NodeRun => {
			const runs = [...(previous?.runs ?? []), s];
			return { seconds: Math.min(...runs), runs, report };
		};
		let identical = true;
		try {
			for (let run = 0; run < REPEAT; run++) {
				for (const method of METHODS) {
					log(`Node, ${method}, run ${run + 1} of ${REPEAT}: one thread, then two`);
					t = performance.now();
					const report = driftReport(refColumns, curColumns, { methods: [method] });
					node[method] = best(node[method], seconds(performance.now() - t), report);
					t = performance.now();
					const split = await driftReportSplit(refColumns, curColumns, { methods: [method], peer: peer.peer });
					twoThreads[method] = best(twoThreads[method], seconds(performance.now() - t), split);
					identical &&= JSON.stringify(split) === JSON.stringify(report);
				}
			}
		} finally {
			await peer.close();
		}

		const browserRuns: Partial<Record<Method, BrowserRun>> = {};
		if (BROWSER) {
			if (process.env.BENCH_SKIP_BUILD !== '1') {
				log('npm run build');
				const build = spawnSync('npm', ['run', 'build'], { encoding: 'utf8', maxBuffer: 1 << 26 });
				if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
			}
			const appStarted = await startApp(appData);
			app = appStarted.server;
			const dataPort = await freePort();
			files = await dataServer(dir, dataPort);
			browser = await launchBenchChromium();
			for (const method of METHODS) {
				log(`headless chromium, ${method}`);
				browserRuns[method] = await runBrowser(browser, appStarted.base, `http://127.0.0.1:${dataPort}`, method);
			}
		}

		const ratio = (x: number) => Number(x.toFixed(2));
		const methods = Object.fromEntries(
			METHODS.map((method) => {
				const py = scipy.methods[method].seconds;
				const b = browserRuns[method];
				const browserPart = b && (({ statistics, load_s, ...times }) => (void statistics, void load_s, times))(b);
				return [
					method,
					{
						columns_tested: Object.keys(scipy.methods[method].columns).length,
						scipy_s: seconds(py * 1000),
						scipy_runs_s: scipy.methods[method].runs.map((x) => seconds(x * 1000)),
						node_s: node[method].seconds,
						node_runs_s: node[method].runs,
						node_two_threads_s: twoThreads[method].seconds,
						node_two_threads_runs_s: twoThreads[method].runs,
						browser: browserPart ?? null,
						ratios: {
							'node/scipy': ratio(node[method].seconds / py),
							'node_two_threads/scipy': ratio(twoThreads[method].seconds / py),
							...(b && { 'browser/scipy': ratio(b.worker_analysis_s / py), 'browser_cell/scipy': ratio(b.cell_s / py) })
						},
						agreement_with_scipy: {
							node_max_relative_difference: agreement(method, statisticsOf(node[method].report), scipy),
							...(b && { browser_max_relative_difference: agreement(method, b.statistics, scipy) })
						},
						dataset_drift: node[method].report.dataset_drift,
						drifted_columns: node[method].report.drifted_columns
					}
				];
			})
		);
		/** The rows (#18): how many times faster than SciPy on the same data in this run, and the goal. */
		const rows = METHODS.flatMap((method) => {
			const py = scipy.methods[method].seconds;
			const b = browserRuns[method];
			const row = (step: string, driftbook: number, goal: number) => ({
				step,
				driftbook_s: driftbook,
				scipy_s: seconds(py * 1000),
				times_faster: ratio(py / driftbook),
				goal_times_faster: goal
			});
			return [
				row(`stats worker alone, ${method}: library in Node, one thread`, node[method].seconds, 3),
				row(`stats worker alone, ${method}: library in Node, two threads`, twoThreads[method].seconds, 3),
				...(b
					? [
							row(`stats worker alone, ${method}: in chromium`, b.worker_analysis_s, 3),
							row(`drift cell in chromium, ${method}: DuckDB query → worker → results`, b.cell_s, 2)
						]
					: [])
			];
		});
		const result = {
			benchmark: 'drift',
			date: new Date().toISOString(),
			notes: [
				'scipy_s / node_s: the statistics on data already in memory (loading not timed), the fastest of the runs listed (the machine may be shared); the browser runs once per method.',
				'node_two_threads_s: the same report with numerical columns fed to a worker thread as it finishes them (driftReportSplit); two_thread_report_identical says whether it equals the one-thread report exactly.',
				"browser: worker_analysis_s is the stats worker's statistics (the drift report plus each column's distribution for the overlays); cell_s is the whole drift cell once the data is in DuckDB-WASM: query_s (DuckDB to Arrow), worker_convert_s (Arrow to columns), worker_analysis_s and write_s (results table).",
				'browser/scipy uses worker_analysis_s; browser_cell/scipy uses cell_s. rows[].times_faster is scipy_s / driftbook_s (above 1: faster than SciPy).',
				`ks applies to the ${NUMERICAL} numerical columns only; auto picks wasserstein_norm (numerical) and jensenshannon (categorical) above 1000 reference rows.`
			],
			machine: {
				cpus: cpus().length,
				cpu: cpus()[0]?.model,
				memory_gb: Math.round(totalmem() / 2 ** 30),
				load_average: loadavg().map((x) => Number(x.toFixed(1))),
				node: process.version,
				chromium: browser?.version() ?? null,
				...scipy.versions
			},
			data: {
				reference_rows: ROWS,
				current_rows: ROWS,
				numerical_columns: NUMERICAL,
				categorical_columns: CATEGORIES.length,
				generate_s: generateS,
				parquet_mb: Math.round(parquetBytes / 2 ** 20)
			},
			rows,
			two_thread_report_identical: identical,
			browser_load_s: browserRuns.ks?.load_s ?? null,
			methods,
			total_s: seconds(performance.now() - startedAt)
		};
		const outDir = process.env.BENCH_OUT ?? 'bench/results';
		mkdirSync(outDir, { recursive: true });
		writeFileSync(join(outDir, 'drift.json'), JSON.stringify(result, null, 2) + '\n');
		for (const r of rows) log(`${r.step}: ${r.driftbook_s} s vs scipy ${r.scipy_s} s, ×${r.times_faster} faster (goal ×${r.goal_times_faster})`);
		log(`two-thread report identical to one-thread: ${identical}`);
		log(`wrote ${join(outDir, 'drift.json')}`);
	} finally {
		await browser?.close();
		files?.close();
		app?.kill('SIGTERM');
		rmSync(dir, { recursive: true, force: true });
		rmSync(appData, { recursive: true, force: true });
	}
}

const startedAt = started;
main().catch((error) => {
	console.error(error);
	process.exit(1);
});
