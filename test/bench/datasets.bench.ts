/**
 * Dataset benchmark: a 1,000,000-row × 20-column table (scripts/bench-datasets.ts makes it, as
 * CSV and as Parquet, into a temporary directory), timed the same way in both engines:
 *
 * - native: @duckdb/node-api in this process (all cores, and again with one thread, since
 *   DuckDB-WASM's eh build runs on one): CREATE TABLE from read_csv (the dialect and types the
 *   app detects) and from read_parquet, a GROUP BY, and the column profile query;
 * - headless chromium: the built app (node server/main.js, temporary data directory), a
 *   shared-link notebook whose data cell loads the file by URL through the app's own path
 *   (loader worker → chunks → DuckDB-WASM), then the same GROUP BY and profile SQL through
 *   window.driftbook.query. Peak browser memory: the sum of RSS over chromium's processes,
 *   sampled every 200 ms, plus performance.measureUserAgentSpecificMemory() and DuckDB's own
 *   duckdb_memory() after each step.
 *
 * Every step's browser/native ratio goes to $BENCH_OUT/datasets.json (bench/results/ by
 * default). No assertions on time. BENCH_DATASETS_ROWS changes the row count; BENCH_SKIP_BUILD=1
 * reuses build/.
 *
 * Run: npm run bench datasets
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { freePort, startApp } from '../support/app-server';
import type { Browser, Page } from '@playwright/test';
import { launchBenchChromium } from '../support/bench-chromium';
import { benchDataServer } from '../support/bench-data-host';
import { DuckDBInstance } from '@duckdb/node-api';
import { encodeShareFragment } from '#lib/notebook/share.ts';
import { readCsvSql, type CsvDialect } from '#lib/ingest/read-options.ts';
import { sniffCsv } from '#lib/ingest/csv/dialect.ts';
import { byteQuoting, csvChunkBytes, headerExtent, scanCsv } from '#lib/ingest/csv/chunks.ts';
import { describeQuery, profileQuery, type ProfileColumn } from '#lib/sql/profile.ts';
import { generateBenchData, BENCH_COLUMNS, GROUP_BY } from '../../scripts/bench-datasets';

const ROWS = Number(process.env.BENCH_DATASETS_ROWS ?? 1_000_000);
const REPEATS = 3;
const started = performance.now();
const seconds = (ms: number) => Math.round(ms) / 1000;

function log(message: string) {
	console.log(`[datasets bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);
}

function median(values: number[]): number {
	const s = [...values].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

// ————— native —————

interface Steps {
	load_csv_s: number;
	load_parquet_s: number;
	group_by_s: number;
	profile_s: number;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
	const t = performance.now();
	const value = await work();
	return [value, seconds(performance.now() - t)];
}

async function runNative(
	dir: string,
	csvRead: string,
	threads?: number
): Promise<Steps & { load_csv_cpu_s: number; load_parquet_cpu_s: number; append_only_s: number; append_only_cpu_s: number; check: unknown }> {
	const fresh = async () => {
		const instance = await DuckDBInstance.create(':memory:', threads ? { threads: String(threads) } : {});
		return { instance, conn: await instance.connect() };
	};
	let { instance, conn } = await fresh();
	const cpu0 = process.cpuUsage();
	const [, loadCsv] = await timed(() => conn.run(`CREATE TABLE bench AS SELECT * FROM ${csvRead}`));
	const cpu = process.cpuUsage(cpu0);
	const loadCsvCpu = seconds((cpu.user + cpu.system) / 1000);
	const columns = (await conn.runAndReadAll(describeQuery('bench'))).getRowObjectsJson() as unknown as ProfileColumn[];
	const profile = profileQuery('bench', columns);
	const groupBy: number[] = [];
	const profiles: number[] = [];
	for (let i = 0; i < REPEATS; i++) {
		groupBy.push((await timed(() => conn.runAndReadAll(GROUP_BY)))[1]);
		profiles.push((await timed(() => conn.runAndReadAll(profile)))[1]);
	}
	const check = (await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n, round(sum(revenue), 2)::DOUBLE AS revenue FROM bench`)).getRowObjectsJson()[0];
	conn.closeSync();
	instance.closeSync();
	({ instance, conn } = await fresh());
	const cpuParquet0 = process.cpuUsage();
	const [, loadParquet] = await timed(() => conn.run(`CREATE TABLE bench AS SELECT * FROM read_parquet('${join(dir, 'bench.parquet')}')`));
	const cpuParquet = process.cpuUsage(cpuParquet0);
	// The append alone: the loaded table copied into a new one (no parsing, no decoding).
	const cpuCopy0 = process.cpuUsage();
	const [, appendOnly] = await timed(() => conn.run('CREATE TABLE bench_copy AS SELECT * FROM bench'));
	const cpuCopy = process.cpuUsage(cpuCopy0);
	conn.closeSync();
	instance.closeSync();
	return {
		load_csv_s: loadCsv,
		load_csv_cpu_s: loadCsvCpu,
		load_parquet_s: loadParquet,
		load_parquet_cpu_s: seconds((cpuParquet.user + cpuParquet.system) / 1000),
		append_only_s: appendOnly,
		append_only_cpu_s: seconds((cpuCopy.user + cpuCopy.system) / 1000),
		group_by_s: median(groupBy),
		profile_s: median(profiles),
		check
	};
}

// ————— the engine alone —————

interface EngineRun {
	chunks: number;
	/** The loader's JS split into whole-record chunks (scanCsv), CPU seconds. */
	js_split_cpu_s: number;
	/** DuckDB-WASM's read_csv over those chunks into one table: wall and CPU seconds. */
	wasm_read_csv_s: number;
	wasm_read_csv_cpu_s: number;
	/** The same with the whole body as one chunk (the fixed cost per chunk is the difference). */
	wasm_read_csv_one_chunk_s: number;
	/**
	 * duckdb_extensions()' install_mode of `parquet` in the app's DuckDB-WASM build: anything but
	 * STATICALLY_LINKED means read_parquet would download the extension (extensions.duckdb.org),
	 * so the app cannot hand Parquet files to DuckDB-WASM offline and reads them with parquet-wasm.
	 */
	parquet_extension: string;
	/**
	 * Where a Parquet load's CPU goes, one thread each (CPU seconds hold up on a loaded machine):
	 * parquet-wasm decoding every row group into Arrow IPC (the loader worker's share), DuckDB-WASM
	 * appending those IPC batches (the DuckDB worker's share: the two overlap in the app), and
	 * DuckDB-WASM copying the loaded table into a new one, which is the append alone (no parsing, no
	 * Arrow): the floor of any load into one single-threaded DuckDB-WASM.
	 */
	parquet: { row_groups: number; decode_cpu_s: number; insert_arrow_cpu_s: number; append_only_cpu_s: number };
}

/**
 * DuckDB-WASM without the app: the eh build in this process (blocking, one thread) reads the
 * CSV in the loader's chunks (csvChunkBytes, scanCsv, readCsvSql), so the browser's load time
 * splits into engine (this, against native one-thread) and app (download, workers, transfers).
 */
interface WasmConnection {
	query(sql: string): unknown;
	insertArrowFromIPCStream(ipc: Uint8Array, options: { name: string; create: boolean }): void;
}

/** The Parquet rows of EngineRun: parquet-wasm's decode, DuckDB-WASM's Arrow append, its plain append. */
async function wasmParquet(conn: WasmConnection, path: string, cpu: () => number): Promise<EngineRun['parquet']> {
	const require = createRequire(import.meta.url);
	const parquet = require('parquet-wasm/node') as typeof import('parquet-wasm/esm');
	const file = await parquet.ParquetFile.fromFile(new Blob([new Uint8Array(readFileSync(path))]));
	const meta = file.metadata();
	const groups = meta.numRowGroups();
	const ipcs: Uint8Array[] = [];
	let c = cpu();
	for (let g = 0; g < groups; g++) {
		// As the loader reads them: one Arrow batch per row group.
		const table = await file.read({ rowGroups: [g], batchSize: Math.max(1024, meta.rowGroup(g).numRows()) });
		ipcs.push(table.intoIPCStream());
	}
	const decode = cpu() - c;
	conn.insertArrowFromIPCStream(ipcs[0].slice(), { name: 'warm_arrow', create: true });
	conn.query('DROP TABLE warm_arrow');
	c = cpu();
	ipcs.forEach((ipc, g) => conn.insertArrowFromIPCStream(ipc, { name: 'bench_parquet', create: g === 0 }));
	const insert = cpu() - c;
	c = cpu();
	conn.query('CREATE TABLE bench_copy AS SELECT * FROM bench_parquet');
	const append = cpu() - c;
	conn.query('DROP TABLE bench_copy; DROP TABLE bench_parquet');
	const r = (x: number) => Math.round(x * 1000) / 1000;
	return { row_groups: groups, decode_cpu_s: r(decode), insert_arrow_cpu_s: r(insert), append_only_cpu_s: r(append) };
}

async function runWasmEngine(path: string, dialect: CsvDialect, parquetPath: string): Promise<EngineRun> {
	const require = createRequire(import.meta.url);
	const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
	const dist = join(process.cwd(), 'node_modules/@duckdb/duckdb-wasm/dist');
	const db = await duckdb.createDuckDB(
		{ mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: '' }, eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: '' } },
		new duckdb.VoidLogger(),
		duckdb.NODE_RUNTIME
	);
	await db.instantiate();
	const conn = db.connect();
	const parquetExtension = String(conn.query(`SELECT install_mode FROM duckdb_extensions() WHERE extension_name = 'parquet'`).toArray()[0]?.install_mode);
	const bytes = new Uint8Array(readFileSync(path));
	const quoting = byteQuoting(dialect);
	const body = bytes.subarray(headerExtent(bytes, quoting).bytes);
	const cpu = () => {
		const u = process.cpuUsage();
		return (u.user + u.system) / 1e6;
	};
	const c = cpu();
	const chunks: Uint8Array[] = [];
	const size = csvChunkBytes(bytes.byteLength, dialect.columns.length);
	for (let rest = body; rest.byteLength > 0;) {
		const scan = scanCsv(rest.subarray(0, size), quoting, rest.byteLength <= size);
		chunks.push(rest.slice(0, scan.boundary));
		rest = rest.subarray(scan.boundary);
	}
	const split = cpu() - c;
	const read = (parts: Uint8Array[]) => {
		conn.query('DROP TABLE IF EXISTS bench');
		const t = performance.now();
		const c0 = cpu();
		// As the app loads with on_error stop: every chunk in one transaction (data.ts, startCsvTransaction).
		conn.query('BEGIN');
		parts.forEach((part, n) => {
			db.registerFileBuffer(`chunk_${n}.csv`, part);
			conn.query(`${n === 0 ? 'CREATE TABLE bench AS' : 'INSERT INTO bench'} SELECT * FROM ${readCsvSql(`chunk_${n}.csv`, dialect, undefined, false)}`);
			db.dropFile(`chunk_${n}.csv`);
		});
		conn.query('COMMIT');
		return { wall: seconds(performance.now() - t), cpu: Math.round((cpu() - c0) * 1000) / 1000 };
	};
	read(chunks.slice(0, 1)); // warm up (wasm tier-up)
	const chunked = read(chunks.map((p) => p.slice()));
	const whole = read([body.slice()]);
	const parquetBreakdown = await wasmParquet(conn, parquetPath, cpu);
	conn.close();
	return {
		chunks: chunks.length,
		js_split_cpu_s: Math.round(split * 1000) / 1000,
		wasm_read_csv_s: chunked.wall,
		wasm_read_csv_cpu_s: chunked.cpu,
		wasm_read_csv_one_chunk_s: whole.wall,
		parquet_extension: parquetExtension,
		parquet: parquetBreakdown
	};
}

// ————— browser —————

/** RSS of a process and all its descendants (Linux /proc), in bytes. */
function treeRss(pid: number): number {
	return Object.values(rssByType(pid)).reduce((a, b) => a + b, 0);
}

/** RSS of chromium's processes by kind (browser, renderer, gpu-process, utility, …). */
function rssByType(pid: number): Record<string, number> {
	const out: Record<string, number> = {};
	const stack = [pid];
	const seen = new Set<number>();
	while (stack.length) {
		const p = stack.pop()!;
		if (seen.has(p)) continue;
		seen.add(p);
		try {
			const status = readFileSync(`/proc/${p}/status`, 'utf8');
			const m = /VmRSS:\s+(\d+) kB/.exec(status);
			const type = /--type=([\w-]+)/.exec(readFileSync(`/proc/${p}/cmdline`, 'utf8').replaceAll('\0', ' '))?.[1] ?? 'browser';
			if (m) out[type] = (out[type] ?? 0) + Number(m[1]) * 1024;
			for (const task of readdirSync(`/proc/${p}/task`)) {
				const children = readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim();
				if (children) stack.push(...children.split(/\s+/).map(Number));
			}
		} catch {
			// the process ended
		}
	}
	return out;
}

interface MemorySnapshot {
	step: string;
	/** performance.measureUserAgentSpecificMemory(): the page and its workers (wasm memory included). */
	ua_specific_bytes: number | null;
	/** The main thread's JS heap (Chrome's performance.memory). */
	js_heap_bytes: number | null;
	/** duckdb_memory(): what DuckDB itself holds. */
	duckdb_bytes: number;
	/** Sum of RSS over chromium's processes at that moment. */
	browser_rss_bytes: number;
	/** The same, by process kind. */
	rss_by_process: Record<string, number>;
}

async function snapshot(page: Page, step: string, pid: number | undefined): Promise<MemorySnapshot> {
	const measured = await page.evaluate(async () => {
		const perf = performance as Performance & {
			measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }>;
			memory?: { usedJSHeapSize: number };
		};
		let ua: number | null = null;
		if (perf.measureUserAgentSpecificMemory && self.crossOriginIsolated) {
			ua = await Promise.race([perf.measureUserAgentSpecificMemory().then((m) => m.bytes), new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
		}
		const duck = await window.driftbook!.query('SELECT coalesce(sum(memory_usage_bytes), 0)::DOUBLE AS b FROM duckdb_memory()');
		return { ua, heap: perf.memory?.usedJSHeapSize ?? null, duck: Number(duck[0].b) };
	});
	return {
		step,
		ua_specific_bytes: measured.ua,
		js_heap_bytes: measured.heap,
		duckdb_bytes: measured.duck,
		browser_rss_bytes: pid ? treeRss(pid) : 0,
		rss_by_process: pid ? rssByType(pid) : {}
	};
}

/** The data cell's own load time (open → table ready) and the whole cell run, which also starts DuckDB-WASM and the loader worker. */
async function loadSeconds(page: Page, cell: string): Promise<{ load: number; cell: number }> {
	const cellS = await cellSeconds(page, cell);
	const load = Number(await page.locator(`[data-cell="${cell}"] [data-testid=load-seconds]`).textContent());
	return { load, cell: cellS };
}

async function cellSeconds(page: Page, cell: string): Promise<number> {
	await page.waitForFunction((name) => ['done', 'error'].includes(window.driftbook?.status(name)?.status ?? ''), cell, { timeout: 600_000, polling: 200 });
	const state = await page.evaluate((name) => window.driftbook!.status(name), cell);
	if (state?.status !== 'done') throw new Error(`cell ${cell} failed: ${state?.error}`);
	const text = (await page.locator(`[data-cell="${cell}"] [data-testid=cell-status]`).textContent()) ?? '';
	const m = /([\d.]+)\s*s/.exec(text);
	if (!m) throw new Error(`no duration in "${text}"`);
	return Number(m[1]);
}

async function queryMs(page: Page, sql: string): Promise<number> {
	return page.evaluate(async (q) => {
		const t = performance.now();
		await window.driftbook!.query(q);
		return performance.now() - t;
	}, sql);
}

async function openNotebook(browser: Browser, base: string, format: 'csv' | 'parquet', dataUrl: string): Promise<Page> {
	const notebook = `---
title: Dataset benchmark (${format})
---

\`\`\`data name=bench
url: ${dataUrl}/bench.${format}
\`\`\`
`;
	const page = await browser.newPage();
	page.on('pageerror', (e) => log(`page error: ${e.message}`));
	await page.goto(`${base}/view#${await encodeShareFragment(notebook)}`);
	return page;
}

interface BrowserRun extends Steps {
	check: unknown;
	memory: MemorySnapshot[];
	peak_browser_rss_bytes: number;
	/** The data cell's whole run, DuckDB-WASM's and the loader worker's start included. */
	cell_with_engine_start_s: { csv: number; parquet: number };
	duckdb_memory_limit: string;
	user_agent: string;
}

/** The chromium process launched with `marker` among its arguments (its children do not carry it). */
function browserPid(marker: string): number | undefined {
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) return Number(entry);
		} catch {
			// gone
		}
	}
	return undefined;
}

async function runBrowser(browser: Browser, base: string, dataUrl: string, profile: string, marker: string): Promise<BrowserRun> {
	const pid = browserPid(marker);
	if (!pid) log('could not find the chromium process: no RSS figures');
	let peak = 0;
	const sampler = setInterval(() => {
		if (pid) peak = Math.max(peak, treeRss(pid));
	}, 200);
	const memory: MemorySnapshot[] = [];
	try {
		log('browser: CSV through the data cell');
		const idle = await browser.newPage();
		await idle.goto(`${base}/view#${await encodeShareFragment('---\ntitle: Baseline\n---\n\n```sql name=one\nSELECT 1 AS x\n```\n')}`);
		await cellSeconds(idle, 'one');
		memory.push(await snapshot(idle, 'baseline: the app with DuckDB-WASM started, no data', pid));
		await idle.close();
		let page = await openNotebook(browser, base, 'csv', dataUrl);
		const loadCsv = await loadSeconds(page, 'bench');
		memory.push(await snapshot(page, 'after CSV load', pid));
		const groupBy: number[] = [];
		const profiles: number[] = [];
		log('browser: GROUP BY and profile');
		for (let i = 0; i < REPEATS; i++) {
			groupBy.push(seconds(await queryMs(page, GROUP_BY)));
			profiles.push(seconds(await queryMs(page, profile)));
		}
		memory.push(await snapshot(page, 'after GROUP BY and profile', pid));
		const check = (
			await page.evaluate(() => window.driftbook!.query(`SELECT count(*)::INTEGER AS n, round(sum(revenue), 2)::DOUBLE AS revenue FROM bench`))
		)[0];
		const limit = (await page.evaluate(() => window.driftbook!.query(`SELECT current_setting('memory_limit') AS l`)))[0].l as string;
		const userAgent = await page.evaluate(() => navigator.userAgent);
		await page.close();

		log('browser: Parquet through the data cell');
		page = await openNotebook(browser, base, 'parquet', dataUrl);
		const loadParquet = await loadSeconds(page, 'bench');
		memory.push(await snapshot(page, 'after Parquet load', pid));
		await page.close();
		return {
			load_csv_s: loadCsv.load,
			load_parquet_s: loadParquet.load,
			cell_with_engine_start_s: { csv: loadCsv.cell, parquet: loadParquet.cell },
			group_by_s: median(groupBy),
			profile_s: median(profiles),
			check,
			memory,
			peak_browser_rss_bytes: peak,
			duckdb_memory_limit: limit,
			user_agent: userAgent
		};
	} finally {
		clearInterval(sampler);
	}
}

function ratio(browser: number, native: number): number {
	return Math.round((browser / Math.max(native, 1e-3)) * 10) / 10;
}

async function main() {
	const dir = mkdtempSync(join(tmpdir(), 'driftbook-bench-datasets-'));
	const appData = mkdtempSync(join(tmpdir(), 'driftbook-bench-app-'));
	let app: ChildProcess | undefined;
	let files: http.Server | undefined;
	let browser: Browser | undefined;
	try {
		log(`generating ${ROWS.toLocaleString('en-US')} rows × ${BENCH_COLUMNS} columns (CSV and Parquet) in ${dir}`);
		let t = performance.now();
		const generated = await generateBenchData(dir, ROWS);
		const generateS = seconds(performance.now() - t);
		log(`CSV ${(generated.csvBytes / 1e6).toFixed(1)} MB, Parquet ${(generated.parquetBytes / 1e6).toFixed(1)} MB in ${generateS} s`);

		// The dialect and types the app detects, so both engines read the CSV the same way.
		const sample = readFileSync(join(dir, 'bench.csv'))
			.subarray(0, 1 << 20)
			.toString('utf8');
		const sniff = sniffCsv(sample, { onError: 'stop' }, false);
		const csvRead = readCsvSql(join(dir, 'bench.csv'), sniff.dialect);

		log('native DuckDB, all threads');
		const native = await runNative(dir, csvRead);
		log('native DuckDB, one thread');
		const nativeOne = await runNative(dir, csvRead, 1);
		log("DuckDB-WASM alone (Node, one thread), the loader's chunks");
		const {
			parquet_extension: wasmParquetExtension,
			parquet: wasmParquetRun,
			...engine
		} = await runWasmEngine(join(dir, 'bench.csv'), sniff.dialect, join(dir, 'bench.parquet'));
		log(`DuckDB-WASM's parquet extension: ${wasmParquetExtension}`);

		const probe = await (await DuckDBInstance.create(':memory:')).connect();
		await probe.run(`CREATE TABLE bench AS SELECT * FROM read_parquet('${join(dir, 'bench.parquet')}') LIMIT 0`);
		const columns = (await probe.runAndReadAll(describeQuery('bench'))).getRowObjectsJson() as unknown as ProfileColumn[];
		probe.closeSync();
		const profile = profileQuery('bench', columns);

		if (process.env.BENCH_SKIP_BUILD !== '1') {
			log('npm run build');
			const build = spawnSync('npm', ['run', 'build'], { encoding: 'utf8', maxBuffer: 1 << 26 });
			if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
		}
		const appStarted = await startApp(appData);
		app = appStarted.server;
		const dataPort = await freePort();
		files = await benchDataServer(dir, dataPort);
		const marker = `--driftbook-bench=${process.pid}-${Date.now()}`;
		browser = await launchBenchChromium([marker, '--enable-blink-features=ForceEagerMeasureMemory']);
		t = performance.now();
		const web = await runBrowser(browser, appStarted.base, `http://127.0.0.1:${dataPort}`, profile, marker);
		const browserS = seconds(performance.now() - t);

		const steps = ['load_csv_s', 'load_parquet_s', 'group_by_s', 'profile_s'] as const;
		const table = Object.fromEntries(
			steps.map((step) => [
				step.replace(/_s$/, ''),
				{
					browser_s: web[step],
					native_s: native[step],
					native_1_thread_s: nativeOne[step],
					ratio_browser_to_native: ratio(web[step], native[step]),
					ratio_browser_to_native_1_thread: ratio(web[step], nativeOne[step])
				}
			])
		);
		const result = {
			benchmark: 'datasets',
			date: new Date().toISOString(),
			rows: ROWS,
			columns: BENCH_COLUMNS,
			files: { csv_bytes: generated.csvBytes, parquet_bytes: generated.parquetBytes, generate_s: generateS },
			machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memory_bytes: totalmem(), node: process.version },
			csv_dialect: sniff.dialect,
			steps: table,
			wasm_parquet_extension: wasmParquetExtension,
			csv_load_breakdown: {
				...engine,
				native_1_thread_s: nativeOne.load_csv_s,
				native_1_thread_cpu_s: nativeOne.load_csv_cpu_s,
				// CPU seconds hold up on a loaded machine where wall times do not.
				ratio_wasm_engine_cpu_to_native_1_thread_cpu: ratio(engine.wasm_read_csv_cpu_s, nativeOne.load_csv_cpu_s),
				ratio_wasm_engine_to_native_1_thread: ratio(engine.wasm_read_csv_s, nativeOne.load_csv_s),
				ratio_wasm_engine_to_native: ratio(engine.wasm_read_csv_s, native.load_csv_s),
				app_beyond_engine_s: seconds((web.load_csv_s - engine.wasm_read_csv_s) * 1000)
			},
			parquet_load_breakdown: {
				...wasmParquetRun,
				native_all_threads_s: native.load_parquet_s,
				native_all_threads_cpu_s: native.load_parquet_cpu_s,
				native_1_thread_s: nativeOne.load_parquet_s,
				native_1_thread_cpu_s: nativeOne.load_parquet_cpu_s,
				native_append_only_1_thread_cpu_s: nativeOne.append_only_cpu_s,
				native_append_only_all_threads_s: native.append_only_s,
				// The browser cannot load faster than DuckDB-WASM appends on its one thread.
				ratio_wasm_append_only_cpu_to_native_append_only_cpu: ratio(wasmParquetRun.append_only_cpu_s, nativeOne.append_only_cpu_s),
				ratio_wasm_insert_arrow_cpu_to_native_all_threads_wall: ratio(wasmParquetRun.insert_arrow_cpu_s, native.load_parquet_s)
			},
			same_data: JSON.stringify(web.check) === JSON.stringify(native.check),
			checks: { browser: web.check, native: native.check },
			browser: {
				user_agent: web.user_agent,
				duckdb_memory_limit: web.duckdb_memory_limit,
				peak_browser_rss_bytes: web.peak_browser_rss_bytes,
				data_cell_with_engine_start_s: web.cell_with_engine_start_s,
				memory: web.memory,
				total_s: browserS
			},
			notes: [
				'browser loads go through the app: loader worker (fetch, CSV chunks / parquet-wasm row groups) → DuckDB-WASM (eh build, one thread)',
				"browser load_*: the data cell's own load time (open the source → table ready), as shown under its table; the whole cell run, which also starts DuckDB-WASM and the loader worker, is browser.data_cell_with_engine_start_s",
				'native loads are one CREATE TABLE AS over read_csv (same dialect and types) or read_parquet; the instance is created before timing',
				`group_by and profile: median of ${REPEATS} runs on the table loaded from CSV`,
				"wasm_parquet_extension: duckdb_extensions()' install_mode of parquet in DuckDB-WASM; unless STATICALLY_LINKED, read_parquet would download the extension, so the browser loads Parquet with parquet-wasm into Arrow and inserts that",
				'parquet_load_breakdown: CPU seconds in this process, one thread each: parquet-wasm decoding the row groups (the loader worker does this in the app), DuckDB-WASM appending the Arrow batches (its worker, overlapping the decode), and the plain append (a table copied into a new one) in DuckDB-WASM and natively',
				"csv_load_breakdown: DuckDB-WASM (eh build, in Node, one thread) reading the same chunks the loader makes, without the app: wasm_read_csv_s against native_1_thread_s is the engine's share; app_beyond_engine_s is download, workers, transfers and the table swap"
			]
		};
		const out = process.env.BENCH_OUT ?? 'bench/results';
		mkdirSync(out, { recursive: true });
		writeFileSync(join(out, 'datasets.json'), JSON.stringify(result, null, 2) + '\n');
		console.log('\nstep            browser s   native s   ratio   native 1-thread s   ratio');
		for (const [step, r] of Object.entries(table)) {
			console.log(
				`${step.padEnd(15)} ${String(r.browser_s).padStart(9)} ${String(r.native_s).padStart(10)} ${String(r.ratio_browser_to_native).padStart(7)} ${String(r.native_1_thread_s).padStart(19)} ${String(r.ratio_browser_to_native_1_thread).padStart(7)}`
			);
		}
		console.log(
			`CSV load: DuckDB-WASM engine alone ${engine.wasm_read_csv_s} s over ${engine.chunks} chunks (${engine.wasm_read_csv_one_chunk_s} s as one; JS split ${engine.js_split_cpu_s} s CPU), ` +
				`${result.csv_load_breakdown.ratio_wasm_engine_to_native_1_thread}x native one-thread (CPU: ${engine.wasm_read_csv_cpu_s} s vs ${nativeOne.load_csv_cpu_s} s, ${result.csv_load_breakdown.ratio_wasm_engine_cpu_to_native_1_thread_cpu}x); the app adds ${result.csv_load_breakdown.app_beyond_engine_s} s`
		);
		console.log(
			`Parquet load: parquet-wasm decode ${wasmParquetRun.decode_cpu_s} s CPU (loader worker) beside DuckDB-WASM's Arrow append ${wasmParquetRun.insert_arrow_cpu_s} s CPU ` +
				`(its plain append alone ${wasmParquetRun.append_only_cpu_s} s, native one-thread ${nativeOne.append_only_cpu_s} s); native read_parquet ${native.load_parquet_s} s all threads (${native.load_parquet_cpu_s} s CPU)`
		);
		console.log(`peak browser RSS ${(web.peak_browser_rss_bytes / 1e6).toFixed(0)} MB; same data in both: ${result.same_data}`);
		console.log(`wrote ${join(out, 'datasets.json')} (${seconds(performance.now() - started)} s)`);
	} finally {
		await browser?.close().catch(() => {});
		files?.close();
		app?.kill('SIGTERM');
		rmSync(dir, { recursive: true, force: true });
		rmSync(appData, { recursive: true, force: true });
	}
}

if (!existsSync('server/main.js')) throw new Error('run from the repository root (npm run bench datasets)');
await main();
