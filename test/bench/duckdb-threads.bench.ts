/**
 * Re-checks DuckDB-WASM's threaded ("coi": cross-origin isolated, pthreads) build against the
 * single-threaded "eh" build the app ships, in Debian chromium on a cross-origin-isolated page,
 * and records what each step did: `ok` with its time, `error` with the message, or `hung` when it
 * did not answer within STEP_LIMIT_S. It is the minimal reproduction behind issue 18's "loads
 * within 2.5× of native" row: the app can only take the threaded build once every step here is
 * `ok` for `coi` and its read_csv is faster than `eh`'s. Run it after every DuckDB-WASM upgrade.
 *
 * Each run has its own browser: eh, coi with its default thread count, and coi after
 * `SET threads = 2` (this machine's cores). Steps: instantiate, `SELECT 1`, the SET (third run),
 * read_csv of the datasets benchmark's CSV (scripts/bench-datasets.ts; BENCH_DATASETS_ROWS rows,
 * 1,000,000 by default) into a table, a count, and the datasets benchmark's GROUP BY. A step that
 * hangs or fails ends that run (DuckDB's state after it is unknown).
 *
 * Output: $BENCH_OUT/duckdb-threads.json. No assertions.
 * Run: npm run bench duckdb-threads
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sirv from 'sirv';
import { build } from 'vite';
import { freePort } from '../support/app-server';
import { launchBenchChromium } from '../support/bench-chromium';
import { generateBenchData, GROUP_BY } from '../../scripts/bench-datasets';

const ROWS = Number(process.env.BENCH_DATASETS_ROWS ?? 1_000_000);
const STEP_LIMIT_S = 120;
/** BENCH_DUCKDB_WASM_DIST: another release's dist/ (e.g. one installed into a scratch directory) to re-check it without switching the app. */
const DIST = process.env.BENCH_DUCKDB_WASM_DIST ?? join(process.cwd(), 'node_modules/@duckdb/duckdb-wasm/dist');

type Step = { step: string; outcome: 'ok'; seconds: number; detail?: string } | { step: string; outcome: 'error' | 'hung'; detail: string };

/** The page's side: one bundle, step by step, each step raced against the limit. */
const PAGE_ENTRY = `
import * as duckdb from '@duckdb/duckdb-wasm';
window.probe = async (bundle, setThreads, limitMs, groupBy) => {
	const steps = [];
	const worker = new Worker('/dist/duckdb-browser-' + bundle + '.worker.js');
	const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
	let conn;
	const run = async (step, work) => {
		const started = performance.now();
		let timer;
		const limit = new Promise((resolve) => (timer = setTimeout(() => resolve('hung'), limitMs)));
		try {
			const result = await Promise.race([work(), limit]);
			if (result === 'hung') {
				steps.push({ step, outcome: 'hung', detail: 'no answer after ' + limitMs / 1000 + ' s' });
				return false;
			}
			steps.push({ step, outcome: 'ok', seconds: Math.round(performance.now() - started) / 1000, ...(result === undefined ? {} : { detail: String(result) }) });
			return true;
		} catch (error) {
			steps.push({ step, outcome: 'error', detail: String(error).slice(0, 300) });
			return false;
		} finally {
			clearTimeout(timer);
		}
	};
	const ok =
		(await run('instantiate', async () => {
			await db.instantiate('/dist/duckdb-' + bundle + '.wasm', bundle === 'coi' ? '/dist/duckdb-browser-coi.pthread.worker.js' : undefined);
			await db.open({});
			conn = await db.connect();
		})) &&
		(await run('select_1', async () => String((await conn.query('SELECT 1 AS x')).toArray()[0].x))) &&
		(!setThreads || (await run('set_threads_2', () => conn.query('SET threads = 2').then(() => undefined)))) &&
		(await run('read_csv', async () => {
			await db.registerFileBuffer('bench.csv', new Uint8Array(await (await fetch('/bench.csv')).arrayBuffer()));
			await conn.query("CREATE TABLE bench AS SELECT * FROM read_csv('bench.csv')");
			return 'threads=' + (await conn.query("SELECT current_setting('threads') AS t")).toArray()[0].t;
		})) &&
		(await run('count', async () => String((await conn.query('SELECT count(*)::INTEGER AS n FROM bench')).toArray()[0].n))) &&
		(await run('group_by', () => conn.query(groupBy).then(() => undefined)));
	void ok;
	await db.terminate();
	return steps;
};
`;

async function bundlePage(dir: string): Promise<void> {
	writeFileSync(join(dir, 'entry.js'), PAGE_ENTRY);
	writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="/page.js"></script>');
	await build({
		configFile: false,
		logLevel: 'warn',
		// The entry lives in a temporary directory, outside node_modules' reach.
		resolve: { alias: { '@duckdb/duckdb-wasm': join(DIST, 'duckdb-browser.mjs') } },
		build: { outDir: dir, emptyOutDir: false, minify: false, lib: { entry: join(dir, 'entry.js'), formats: ['es'], fileName: () => 'page.js' } }
	});
}

/** The probe page and DuckDB-WASM's files, cross-origin isolated as the app is (threads need it). */
function isolatedServer(dir: string, port: number): Promise<http.Server> {
	const page = sirv(dir, { dev: true });
	const dist = sirv(DIST, { dev: true });
	const server = http.createServer((req, res) => {
		res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
		res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
		const notFound = () => void res.writeHead(404).end();
		if (req.url?.startsWith('/dist/')) {
			req.url = req.url.slice('/dist'.length);
			return dist(req, res, notFound);
		}
		page(req, res, notFound);
	});
	return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

async function probe(base: string, bundle: 'eh' | 'coi', setThreads = false): Promise<{ steps: Step[]; page_crashed: boolean }> {
	const browser = await launchBenchChromium();
	try {
		const page = await browser.newPage();
		let crashed = false;
		page.on('crash', () => (crashed = true));
		await page.goto(`${base}/index.html`);
		await page.waitForFunction(() => 'probe' in window && crossOriginIsolated);
		const steps = await Promise.race([
			page.evaluate(([b, set, limit, sql]) => (window as unknown as { probe: (...a: unknown[]) => Promise<Step[]> }).probe(b, set, limit, sql), [
				bundle,
				setThreads,
				STEP_LIMIT_S * 1000,
				GROUP_BY
			] as const),
			new Promise<Step[]>((resolve) => page.on('crash', () => resolve([])))
		]);
		return { steps, page_crashed: crashed };
	} finally {
		await browser.close();
	}
}

const dir = mkdtempSync(join(tmpdir(), 'driftbook-duckdb-threads-'));
try {
	await generateBenchData(dir, ROWS);
	rmSync(join(dir, 'bench.parquet'));
	await bundlePage(dir);
	const port = await freePort();
	const server = await isolatedServer(dir, port);
	const base = `http://127.0.0.1:${port}`;
	const version = JSON.parse(readFileSync(join(DIST, '../package.json'), 'utf8')).version as string;
	const eh = await probe(base, 'eh');
	console.log('eh', JSON.stringify(eh));
	const coi = await probe(base, 'coi');
	console.log('coi', JSON.stringify(coi));
	const coiTwoThreads = await probe(base, 'coi', true);
	console.log('coi, SET threads = 2', JSON.stringify(coiTwoThreads));
	server.close();
	const readCsv = (run: { steps: Step[] }) => run.steps.find((s) => s.step === 'read_csv');
	const ehCsv = readCsv(eh);
	const coiCsv = readCsv(coi);
	const completed = (run: { steps: Step[]; page_crashed: boolean }, steps: number) =>
		!run.page_crashed && run.steps.length === steps && run.steps.every((s) => s.outcome === 'ok');
	const usable = completed(coi, eh.steps.length) && completed(coiTwoThreads, eh.steps.length + 1);
	const result = {
		duckdb_wasm: version,
		rows: ROWS,
		step_limit_s: STEP_LIMIT_S,
		eh,
		coi,
		coi_set_threads_2: coiTwoThreads,
		coi_usable: usable,
		coi_read_csv_speedup: usable && ehCsv?.outcome === 'ok' && coiCsv?.outcome === 'ok' ? Math.round((ehCsv.seconds / coiCsv.seconds) * 100) / 100 : null
	};
	const out = process.env.BENCH_OUT ?? 'bench/results';
	writeFileSync(join(out, 'duckdb-threads.json'), JSON.stringify(result, null, 2) + '\n');
	console.log(JSON.stringify({ coi_usable: result.coi_usable, coi_read_csv_speedup: result.coi_read_csv_speedup }));
} finally {
	rmSync(dir, { recursive: true, force: true });
}
