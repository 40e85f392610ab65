/**
 * Inference benchmark: every bundled sample model (static/models, from
 * scripts/models/generate_models.py) at batch sizes 1, 64 and 10,000, on the same inputs:
 *
 * - onnxruntime-node (native CPU, 1 intra-op and 1 inter-op thread): the reference;
 * - headless chromium, onnxruntime-web 1.30 as the app's worker loads it: the plain `wasm` build
 *   for the WASM backend, the `all` bundle (JSEP wasm) for WebGPU; WASM with 1 thread, WASM with threads (cross-origin isolated page, one thread per core up
 *   to 4), and WebGPU on SwiftShader (`--enable-unsafe-webgpu`, no GPU here: for correctness,
 *   its speed means nothing).
 *
 * Each cell of the grid runs the batch repeatedly for a time budget after a warm-up and reports
 * rows/s; ratios are native ÷ browser (the goal: WASM within 3× of native on the MLP, 2× on the
 * trees). Every browser run's outputs are compared with native's (max abs difference).
 * Results go to $BENCH_OUT/inference.json. BENCH_INFERENCE_BUDGET_MS changes the time per cell
 * (default 400).
 *
 * Run: npm run bench inference
 */
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus } from 'node:os';
import { extname, join, normalize } from 'node:path';
import * as ort from 'onnxruntime-node';
import { chromium, type Page } from '@playwright/test';
import { makeVector, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { freePort } from '../support/app-server';
import { buildTensor, parseFeatures, parseStandardize } from '../../src/lib/inference/features';

const BATCHES = [1, 64, 10_000];
const BUDGET_MS = Number(process.env.BENCH_INFERENCE_BUDGET_MS ?? 400);
const MAX_ROWS = 10_000;
const started = performance.now();
const log = (m: string) => console.log(`[inference bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${m}`);

interface ModelCase {
	file: string;
	input: string;
	width: number;
	/** MAX_ROWS rows, row-major. */
	data: Float32Array;
	goal?: number;
}

// ————— inputs: the sample's first 10,000 rows through the cell's own pre-processing —————

function churnInputs(): { raw: Float32Array; standardized: Float32Array } {
	const meta = JSON.parse(readFileSync('static/models/churn_mlp.json', 'utf8')) as { columns: string[]; standardize: Record<string, { mean: number; sd: number }> };
	const [header, ...lines] = readFileSync('static/samples/churn_events.csv', 'utf8').split('\n', MAX_ROWS + 1);
	const names = header.split(',');
	const cells = lines.map((l) => l.split(','));
	const col = (n: string) => cells.map((c) => c[names.indexOf(n)]);
	const numeric = ['tenure_months', 'monthly_charges', 'sessions_per_week', 'avg_session_minutes', 'support_tickets', 'days_since_last_login'];
	const table = new Table({
		...Object.fromEntries(numeric.map((n) => [n, makeVector(Float64Array.from(col(n), Number))])),
		plan: vectorFromArray(col('plan'), new Utf8()),
		channel: vectorFromArray(col('channel'), new Utf8()),
		autopay: makeVector(Float64Array.from(col('autopay'), (v) => (v === 'true' ? 1 : 0)))
	});
	const scale = parseStandardize(Object.entries(meta.standardize).map(([c, s]) => `${c} mean=${s.mean} sd=${s.sd}`).join(', '), 'bench');
	return {
		raw: buildTensor(table, parseFeatures(meta.columns, new Map(), 'bench')),
		standardized: buildTensor(table, parseFeatures(meta.columns, scale, 'bench'))
	};
}

function digitInputs(): Float32Array {
	// Deterministic "images": blobs of ink 0–16, like the 8×8 digits.
	let seed = 20261125;
	const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
	return Float32Array.from({ length: MAX_ROWS * 64 }, () => Math.floor(random() * random() * 17));
}

// ————— native —————

async function nativeRun(c: ModelCase, batch: number) {
	const session = await ort.InferenceSession.create(`static/models/${c.file}`, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' });
	const feed = (start: number) => ({ [c.input]: new ort.Tensor('float32', c.data.subarray(start * c.width, (start + batch) * c.width), [batch, c.width]) });
	const first = await session.run(feed(0));
	const outputs = Object.fromEntries(Object.entries(first).map(([k, t]) => [k, Array.from(t.data as ArrayLike<number | bigint>, Number)]));
	let rows = 0;
	let reps = 0;
	const t0 = performance.now();
	while (performance.now() - t0 < BUDGET_MS || reps < 3) {
		await session.run(feed(((reps * batch) % MAX_ROWS) + batch > MAX_ROWS ? 0 : (reps * batch) % MAX_ROWS));
		rows += batch;
		reps++;
	}
	const ms = performance.now() - t0;
	await session.release();
	return { rowsPerSecond: rows / (ms / 1000), outputs };
}

// ————— browser —————

const TYPES: Record<string, string> = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.onnx': 'application/octet-stream', '.html': 'text/html', '.bin': 'application/octet-stream' };

function serve(inputs: Map<string, Float32Array>, port: number): http.Server {
	const server = http.createServer((req, res) => {
		const path = decodeURIComponent(new URL(req.url!, 'http://x').pathname);
		const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'same-origin' };
		if (path === '/') {
			res.writeHead(200, { ...headers, 'Content-Type': 'text/html' });
			res.end(`<!doctype html><script type="module">${PAGE_SCRIPT}</script>`);
			return;
		}
		if (path.startsWith('/input/')) {
			const data = inputs.get(path.slice('/input/'.length));
			if (!data) return void res.writeHead(404, headers).end();
			res.writeHead(200, { ...headers, 'Content-Type': 'application/octet-stream' });
			return void res.end(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
		}
		const roots: Record<string, string> = { '/ort/': 'node_modules/onnxruntime-web/dist/', '/models/': 'static/models/' };
		const prefix = Object.keys(roots).find((p) => path.startsWith(p));
		const file = prefix && normalize(join(roots[prefix], path.slice(prefix.length)));
		if (!file || !file.startsWith(roots[prefix!].slice(0, -1)) || !existsSync(file)) return void res.writeHead(404, headers).end();
		res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': statSync(file).size });
		createReadStream(file).pipe(res);
	});
	server.listen(port, '127.0.0.1');
	return server;
}

interface BrowserRun {
	rowsPerSecond?: number;
	outputs?: Record<string, number[]>;
	error?: string;
	threads?: number;
}

/**
 * The page's benchmark loop, as plain JavaScript served in the page (code passed through
 * page.evaluate would carry tsx's helpers, which do not exist in the page).
 */
const PAGE_SCRIPT = `
import * as ortWasm from '/ort/ort.wasm.min.mjs';
import * as ortAll from '/ort/ort.all.min.mjs';
window.setThreads = (n) => {
	for (const ort of [ortWasm, ortAll]) {
		ort.env.wasm.numThreads = n;
		ort.env.wasm.wasmPaths = '/ort/';
	}
};
window.benchRun = async ({ file, input, width, batch, ep, budget, maxRows }) => {
	const ort = ep === 'wasm' ? ortWasm : ortAll;
	try {
		const data = new Float32Array(await (await fetch('/input/' + file)).arrayBuffer());
		const session = await ort.InferenceSession.create('/models/' + file, { executionProviders: [ep] });
		const feed = (start) => ({ [input]: new ort.Tensor('float32', data.subarray(start * width, (start + batch) * width), [batch, width]) });
		const first = await session.run(feed(0));
		const outputs = Object.fromEntries(Object.entries(first).map(([k, t]) => [k, Array.from(t.data, Number)]));
		let rows = 0;
		let reps = 0;
		const t0 = performance.now();
		while (performance.now() - t0 < budget || reps < 3) {
			const start = (reps * batch) % maxRows;
			await session.run(feed(start + batch > maxRows ? 0 : start));
			rows += batch;
			reps++;
		}
		const ms = performance.now() - t0;
		await session.release();
		return { rowsPerSecond: rows / (ms / 1000), outputs, threads: ort.env.wasm.numThreads };
	} catch (error) {
		return { error: error.message };
	}
};
window.ready = true;
`;

/** Runs one model × batch on one execution provider inside the page. */
function browserRun(page: Page, c: ModelCase, batch: number, ep: 'wasm' | 'webgpu'): Promise<BrowserRun> {
	return page.evaluate((args) => (window as unknown as { benchRun(a: typeof args): Promise<BrowserRun> }).benchRun(args), {
		file: c.file,
		input: c.input,
		width: c.width,
		batch,
		ep,
		budget: BUDGET_MS,
		maxRows: MAX_ROWS
	});
}

function maxAbs(a: Record<string, number[]> | undefined, b: Record<string, number[]>): number | null {
	if (!a) return null;
	let worst = 0;
	for (const [k, v] of Object.entries(b)) v.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - a[k][i]))));
	return worst;
}

async function main() {
	const churn = churnInputs();
	const cases: ModelCase[] = [
		{ file: 'churn_gbt.onnx', input: 'features', width: 11, data: churn.raw, goal: 2 },
		{ file: 'churn_mlp.onnx', input: 'features', width: 11, data: churn.standardized, goal: 3 },
		{ file: 'churn_mlp_fp16.onnx', input: 'features', width: 11, data: churn.standardized },
		{ file: 'churn_mlp_int8.onnx', input: 'features', width: 11, data: churn.standardized },
		{ file: 'digits_mlp.onnx', input: 'pixels', width: 64, data: digitInputs() },
		{ file: 'churn_lr.onnx', input: 'features', width: 11, data: churn.raw }
	];
	const port = await freePort();
	const server = serve(new Map(cases.map((c) => [c.file, c.data])), port);
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1']
	});
	const threads = Math.max(2, Math.min(4, cpus().length));
	const open = async (numThreads: number) => {
		const page = await browser.newPage();
		await page.goto(`http://127.0.0.1:${port}/`);
		await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
		if (!(await page.evaluate(() => crossOriginIsolated))) throw new Error('the bench page is not cross-origin isolated: no WASM threads');
		await page.evaluate((n) => (window as unknown as { setThreads(n: number): void }).setThreads(n), numThreads);
		return page;
	};
	const single = await open(1);
	const multi = await open(threads);
	const adapter = await single.evaluate(async () => {
		const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string; description?: string }; isFallbackAdapter?: boolean } | null> } }).gpu;
		const a = await gpu?.requestAdapter();
		return a ? { vendor: a.info?.vendor, architecture: a.info?.architecture, description: a.info?.description, fallback: a.isFallbackAdapter ?? null } : null;
	});
	log(`WebGPU adapter: ${JSON.stringify(adapter)}`);

	const results = [];
	try {
		for (const c of cases) {
			for (const batch of BATCHES) {
				const native = await nativeRun(c, batch);
				const wasm1 = await browserRun(single, c, batch, 'wasm');
				const wasmN = await browserRun(multi, c, batch, 'wasm');
				const webgpu = await browserRun(single, c, batch, 'webgpu');
				const ratio = (r: BrowserRun) => (r.rowsPerSecond ? native.rowsPerSecond / r.rowsPerSecond : null);
				const row = {
					model: c.file,
					batch,
					native_rows_per_s: Math.round(native.rowsPerSecond),
					wasm_1_thread_rows_per_s: wasm1.rowsPerSecond && Math.round(wasm1.rowsPerSecond),
					wasm_threads_rows_per_s: wasmN.rowsPerSecond && Math.round(wasmN.rowsPerSecond),
					wasm_threads: wasmN.threads,
					webgpu_swiftshader_rows_per_s: webgpu.rowsPerSecond && Math.round(webgpu.rowsPerSecond),
					native_over_wasm_1_thread: ratio(wasm1),
					native_over_wasm_threads: ratio(wasmN),
					goal_native_over_wasm: c.goal ?? null,
					max_abs_diff_vs_native: { wasm_1_thread: maxAbs(wasm1.outputs, native.outputs), wasm_threads: maxAbs(wasmN.outputs, native.outputs), webgpu_swiftshader: maxAbs(webgpu.outputs, native.outputs) },
					errors: Object.fromEntries(Object.entries({ wasm1, wasmN, webgpu }).filter(([, r]) => r.error).map(([k, r]) => [k, r.error]))
				};
				results.push(row);
				log(
					`${c.file.padEnd(20)} batch ${String(batch).padStart(5)}: native ${row.native_rows_per_s} rows/s, wasm×1 ${row.wasm_1_thread_rows_per_s} (${row.native_over_wasm_1_thread?.toFixed(2)}×), wasm×${wasmN.threads} ${row.wasm_threads_rows_per_s} (${row.native_over_wasm_threads?.toFixed(2)}×), webgpu/swiftshader ${row.webgpu_swiftshader_rows_per_s}; max |Δ| ${JSON.stringify(row.max_abs_diff_vs_native)}${Object.keys(row.errors).length ? ` errors ${JSON.stringify(row.errors)}` : ''}`
				);
			}
		}
	} finally {
		await browser.close();
		server.close();
	}
	const goals = results
		.filter((r) => r.goal_native_over_wasm !== null && r.batch === 10_000)
		.map((r) => ({ model: r.model, goal: r.goal_native_over_wasm, native_over_wasm_1_thread: r.native_over_wasm_1_thread, met: r.native_over_wasm_1_thread !== null && r.native_over_wasm_1_thread <= r.goal_native_over_wasm! }));
	const out = process.env.BENCH_OUT ?? 'bench/results';
	mkdirSync(out, { recursive: true });
	writeFileSync(
		join(out, 'inference.json'),
		JSON.stringify(
			{
				benchmark: 'inference',
				date: new Date().toISOString(),
				machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
				onnxruntime: '1.30.0 (node and web)',
				builds: { wasm: 'ort.wasm.min.mjs + ort-wasm-simd-threaded.wasm', webgpu: 'ort.all.min.mjs + ort-wasm-simd-threaded.jsep.wasm' },
				threads: { native: { intra_op: 1, inter_op: 1 }, wasm_1_thread: 1, wasm_threads: threads, webgpu: 1 },
				batch_sizes: BATCHES,
				same_inputs: 'every side runs the same 10,000 rows, batch after batch, after one warm-up run',
				budget_ms_per_cell: BUDGET_MS,
				webgpu_adapter: adapter,
				note: 'WebGPU here is SwiftShader (a CPU emulation): its numbers check correctness only. No GPU machine was used.',
				goals_at_batch_10000: goals,
				results
			},
			null,
			2
		) + '\n'
	);
	log(`wrote ${join(out, 'inference.json')}; goals at batch 10,000: ${JSON.stringify(goals)}`);
	// int8 graphs are exempt: native ORT fuses DequantizeLinear → MatMul into its own quantized
	// kernels, so its numbers legitimately differ from the web build's (the JSON keeps them).
	const broken = results.filter((r) => !r.model.includes('int8') && Object.values(r.max_abs_diff_vs_native).some((d) => d !== null && d > 1e-4));
	if (broken.length) {
		console.error(`outputs differ from native by more than 1e-4: ${broken.map((r) => `${r.model}@${r.batch}`).join(', ')}`);
		process.exit(1);
	}
}

await main();
