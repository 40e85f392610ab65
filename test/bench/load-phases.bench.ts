/**
 * Where a data cell's load time goes, in the browser, for the datasets benchmark's CSV and Parquet
 * (scripts/bench-datasets.ts; BENCH_DATASETS_ROWS rows, 1,000,000 by default), loaded by URL through
 * the built app: the load's seconds and its phases as the data cell reports them (opening the
 * source, waiting for the loader worker's next chunk, inserting into DuckDB-WASM, finishing; and
 * the loader's own time making the chunks, which overlaps the inserts).
 *
 * BENCH_APPS=dirA,dirB runs several built copies of the app (each a directory with server/main.js
 * and build/) side by side, alternating, BENCH_LOAD_RUNS times each (default 3), so an old build
 * and a new one are compared in the same run on a shared machine: compare ratios, not seconds.
 *
 * Output: $BENCH_OUT/load-phases.json. No assertions.
 * Run: npm run bench load-phases
 */
import { type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from '@playwright/test';
import { DuckDBInstance } from '@duckdb/node-api';
import { freePort, startApp } from '../support/app-server';
import { launchBenchChromium } from '../support/bench-chromium';
import { benchDataServer } from '../support/bench-data-host';
import { encodeShareFragment } from '#lib/notebook/share.ts';
import { generateBenchData } from '../../scripts/bench-datasets';

const ROWS = Number(process.env.BENCH_DATASETS_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_LOAD_RUNS ?? 3);
const APPS = (process.env.BENCH_APPS ?? '.').split(',').map((d) => resolve(d));
const FORMATS = (process.env.BENCH_LOAD_FORMATS ?? 'csv,parquet').split(',') as Array<'csv' | 'parquet'>;

interface Phases {
	open_s: number;
	wait_s: number;
	insert_s: number;
	finish_s: number;
	loader_s: number;
}
interface Run {
	app: string;
	format: 'csv' | 'parquet';
	seconds: number;
	phases: Phases | null;
}

function median(values: number[]): number {
	const s = [...values].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

function log(message: string) {
	console.log(`[load-phases] ${message}`);
}

async function loadOnce(browser: Browser, base: string, dataUrl: string, format: 'csv' | 'parquet'): Promise<{ seconds: number; phases: Phases | null }> {
	const notebook = `---\ntitle: Load phases (${format})\n---\n\n\`\`\`data name=bench\nurl: ${dataUrl}/bench.${format}\n\`\`\`\n`;
	const page = await browser.newPage();
	try {
		page.on('pageerror', (e) => log(`page error: ${e.message}`));
		await page.goto(`${base}/view#${await encodeShareFragment(notebook)}`);
		await page.waitForFunction(() => ['done', 'error'].includes(window.driftbook?.status('bench')?.status ?? ''), undefined, {
			timeout: 600_000,
			polling: 200
		});
		const state = await page.evaluate(() => window.driftbook!.status('bench'));
		if (state?.status !== 'done') throw new Error(`the ${format} load failed: ${state?.error}`);
		const seconds = page.locator('[data-cell="bench"] [data-testid=load-seconds]');
		const phases = await seconds.getAttribute('data-phases');
		return { seconds: Number(await seconds.textContent()), phases: phases ? (JSON.parse(phases) as Phases) : null };
	} finally {
		await page.close();
	}
}

async function main() {
	const dir = mkdtempSync(join(tmpdir(), 'driftbook-bench-load-phases-'));
	const servers: ChildProcess[] = [];
	const dataDirs: string[] = [];
	let files: http.Server | undefined;
	let browser: Browser | undefined;
	try {
		log(`generating ${ROWS.toLocaleString('en-US')} rows`);
		await generateBenchData(dir, ROWS);
		const native: Record<string, number> = {};
		for (const format of FORMATS) {
			const instance = await DuckDBInstance.create(':memory:');
			const conn = await instance.connect();
			const t = performance.now();
			await conn.run(`CREATE TABLE bench AS SELECT * FROM ${format === 'csv' ? 'read_csv' : 'read_parquet'}('${join(dir, `bench.${format}`)}')`);
			native[format] = Math.round(performance.now() - t) / 1000;
			conn.closeSync();
			instance.closeSync();
		}
		const bases: string[] = [];
		for (const app of APPS) {
			const data = mkdtempSync(join(tmpdir(), 'driftbook-bench-app-'));
			dataDirs.push(data);
			const cwd = process.cwd();
			process.chdir(app);
			try {
				const started = await startApp(data);
				servers.push(started.server);
				bases.push(started.base);
			} finally {
				process.chdir(cwd);
			}
		}
		const port = await freePort();
		files = await benchDataServer(dir, port);
		browser = await launchBenchChromium();
		const runs: Run[] = [];
		for (let r = 0; r < RUNS; r++) {
			for (const format of FORMATS) {
				for (let a = 0; a < APPS.length; a++) {
					const result = await loadOnce(browser, bases[a], `http://127.0.0.1:${port}`, format);
					runs.push({ app: APPS[a], format, ...result });
					log(`${format} ${APPS[a]}: ${result.seconds} s ${JSON.stringify(result.phases)}`);
				}
			}
		}
		const summary = FORMATS.flatMap((format) =>
			APPS.map((app) => {
				const mine = runs.filter((x) => x.app === app && x.format === format);
				const seconds = median(mine.map((x) => x.seconds));
				return {
					app,
					format,
					median_s: seconds,
					runs_s: mine.map((x) => x.seconds),
					native_all_threads_s: native[format],
					ratio_to_native: Math.round((seconds / native[format]) * 10) / 10
				};
			})
		);
		const out = process.env.BENCH_OUT ?? 'bench/results';
		mkdirSync(out, { recursive: true });
		writeFileSync(
			join(out, 'load-phases.json'),
			JSON.stringify({ benchmark: 'load-phases', date: new Date().toISOString(), rows: ROWS, native_all_threads_s: native, summary, runs }, null, 2) + '\n'
		);
		for (const s of summary)
			log(`${s.format.padEnd(8)} ${s.app}: median ${s.median_s} s (${s.runs_s.join(', ')}), native ${s.native_all_threads_s} s, ${s.ratio_to_native}x`);
	} finally {
		await browser?.close().catch(() => {});
		files?.close();
		for (const s of servers) s.kill('SIGTERM');
		rmSync(dir, { recursive: true, force: true });
		for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
	}
}

await main();
