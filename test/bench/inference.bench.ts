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
 * - TensorFlow.js 4.22 on the TF.js copy of the churn MLP (static/models/churn_mlp_tfjs): the WASM
 *   backend (XNNPACK, the single-thread SIMD build the app uses) and the CPU backend, against
 *   native ORT on the ONNX copy of the same network;
 * - for the MLPs at batch 10,000, onnxruntime-web WASM with other session options (graph
 *   optimisation level, CPU memory arena, memory pattern) and where a run's time goes (building
 *   the input tensor, session.run, reading the outputs), plus the cell's own Arrow → tensor step
 *   (buildTensor) timed in Node.
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
import type { Page } from '@playwright/test';
import { launchBenchChromium } from '../support/bench-chromium';
import { makeVector, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { freePort } from '../support/app-server';
import { build } from 'esbuild';
import { buildTensor, parseFeatures, parseStandardize } from '#lib/inference/features.ts';

const BATCHES = [1, 64, 10_000];
const BUDGET_MS = Number(process.env.BENCH_INFERENCE_BUDGET_MS ?? 400);
/** BENCH_INFERENCE_MODELS=churn_mlp.onnx,digits_mlp.onnx runs only those models. */
const ONLY = process.env.BENCH_INFERENCE_MODELS?.split(',').map((s) => s.trim());
/** Rounds of the session-option experiments: native and every option alternate, the median ratio is reported. */
const ROUNDS = Number(process.env.BENCH_INFERENCE_ROUNDS ?? 3);
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

function churnInputs(): { raw: Float32Array; standardized: Float32Array; buildTensorRowsPerSecond: number } {
	const meta = JSON.parse(readFileSync('static/models/churn_mlp.json', 'utf8')) as {
		columns: string[];
		standardize: Record<string, { mean: number; sd: number }>;
	};
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
	const scale = parseStandardize(
		Object.entries(meta.standardize)
			.map(([c, s]) => `${c} mean=${s.mean} sd=${s.sd}`)
			.join(', '),
		'bench'
	);
	const standardizedFeatures = parseFeatures(meta.columns, scale, 'bench');
	// The cell's own Arrow → Float32Array step (one-hot, standardization), timed on the same rows.
	let reps = 0;
	const t0 = performance.now();
	while (performance.now() - t0 < BUDGET_MS || reps < 3) {
		buildTensor(table, standardizedFeatures);
		reps++;
	}
	const buildTensorRowsPerSecond = (reps * table.numRows) / ((performance.now() - t0) / 1000);
	return {
		raw: buildTensor(table, parseFeatures(meta.columns, new Map(), 'bench')),
		standardized: buildTensor(table, standardizedFeatures),
		buildTensorRowsPerSecond
	};
}

/** TensorFlow.js for the bench page: core, layers, the CPU and WASM backends, bundled for the browser. */
async function tfjsBundle(): Promise<string> {
	const result = await build({
		stdin: {
			contents: `export * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
export { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
export { loadLayersModel } from '@tensorflow/tfjs-layers';`,
			resolveDir: process.cwd(),
			loader: 'js'
		},
		bundle: true,
		format: 'esm',
		platform: 'browser',
		write: false,
		logLevel: 'error'
	});
	return result.outputFiles[0].text;
}

function digitInputs(): Float32Array {
	// Deterministic "images": blobs of ink 0–16, like the 8×8 digits.
	let seed = 20261125;
	const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
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

const TYPES: Record<string, string> = {
	'.mjs': 'text/javascript',
	'.js': 'text/javascript',
	'.wasm': 'application/wasm',
	'.onnx': 'application/octet-stream',
	'.html': 'text/html',
	'.bin': 'application/octet-stream',
	'.json': 'application/json'
};

function serve(inputs: Map<string, Float32Array>, tfjs: string, port: number): http.Server {
	const server = http.createServer((req, res) => {
		const path = decodeURIComponent(new URL(req.url!, 'http://x').pathname);
		const headers = {
			'Cross-Origin-Opener-Policy': 'same-origin',
			'Cross-Origin-Embedder-Policy': 'require-corp',
			'Cross-Origin-Resource-Policy': 'same-origin'
		};
		if (path === '/') {
			res.writeHead(200, { ...headers, 'Content-Type': 'text/html' });
			res.end(`<!doctype html><script type="module">${PAGE_SCRIPT}</script>`);
			return;
		}
		if (path === '/tfjs/bundle.js') {
			res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' });
			return void res.end(tfjs);
		}
		if (path.startsWith('/input/')) {
			const data = inputs.get(path.slice('/input/'.length));
			if (!data) return void res.writeHead(404, headers).end();
			res.writeHead(200, { ...headers, 'Content-Type': 'application/octet-stream' });
			return void res.end(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
		}
		const roots: Record<string, string> = {
			'/ort/': 'node_modules/onnxruntime-web/dist/',
			'/tfjs-wasm/': 'node_modules/@tensorflow/tfjs-backend-wasm/dist/',
			'/models/': 'static/models/'
		};
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
import * as tfjs from '/tfjs/bundle.js';
window.setThreads = (n) => {
	for (const ort of [ortWasm, ortAll]) {
		ort.env.wasm.numThreads = n;
		ort.env.wasm.wasmPaths = '/ort/';
	}
	tfjs.setWasmPaths('/tfjs-wasm/');
	// As in the app: the single-thread SIMD build (the threaded one crashes its worker there).
	tfjs.tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
};
window.benchRun = async ({ file, input, width, batch, ep, budget, maxRows, options }) => {
	const ort = ep === 'wasm' ? ortWasm : ortAll;
	try {
		const data = new Float32Array(await (await fetch('/input/' + file)).arrayBuffer());
		const session = await ort.InferenceSession.create('/models/' + file, { executionProviders: [ep], ...options });
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
// Where one WASM run's time goes: the input tensor, session.run, reading every output.
window.profileRun = async ({ file, input, width, batch, budget }) => {
	try {
		const data = new Float32Array(await (await fetch('/input/' + file)).arrayBuffer());
		const session = await ortWasm.InferenceSession.create('/models/' + file, { executionProviders: ['wasm'] });
		const ms = { tensor: 0, run: 0, read: 0 };
		let reps = 0;
		const t0 = performance.now();
		while (performance.now() - t0 < budget || reps < 4) {
			const a = performance.now();
			const tensor = new ortWasm.Tensor('float32', data.subarray(0, batch * width), [batch, width]);
			const b = performance.now();
			const out = await session.run({ [input]: tensor });
			const c = performance.now();
			let sum = 0;
			for (const t of Object.values(out)) {
				const values = t.data;
				for (let i = 0; i < values.length; i += 97) sum += Number(values[i]);
			}
			const d = performance.now();
			if (reps > 0) {
				ms.tensor += b - a;
				ms.run += c - b;
				ms.read += d - c;
			}
			reps++;
			if (Number.isNaN(sum)) throw new Error('NaN output');
		}
		await session.release();
		const runs = reps - 1;
		return { ms_per_batch: { tensor: ms.tensor / runs, session_run: ms.run / runs, read_outputs: ms.read / runs }, runs };
	} catch (error) {
		return { error: error.message };
	}
};
// The TF.js copy of a model on one TF.js backend; input built per batch as the app's worker does.
window.tfjsRun = async ({ file, model, width, batch, backend, budget, maxRows }) => {
	try {
		const data = new Float32Array(await (await fetch('/input/' + file)).arrayBuffer());
		if (!(await tfjs.tf.setBackend(backend))) throw new Error('backend ' + backend + ' did not start');
		await tfjs.tf.ready();
		const net = await tfjs.loadLayersModel('/models/' + model);
		const predict = async (start) => {
			const x = tfjs.tf.tensor2d(data.subarray(start * width, (start + batch) * width), [batch, width], 'float32');
			const y = net.predict(x, { batchSize: batch });
			const values = await y.data();
			x.dispose();
			y.dispose();
			return values;
		};
		const first = await predict(0);
		let rows = 0;
		let reps = 0;
		const t0 = performance.now();
		while (performance.now() - t0 < budget || reps < 3) {
			const start = (reps * batch) % maxRows;
			await predict(start + batch > maxRows ? 0 : start);
			rows += batch;
			reps++;
		}
		const ms = performance.now() - t0;
		net.dispose();
		return { rowsPerSecond: rows / (ms / 1000), outputs: { churn_probability: Array.from(first, Number) }, threads: 1 };
	} catch (error) {
		return { error: String(error.message ?? error) };
	}
};
window.ready = true;
`;

/** Runs one model × batch on one execution provider inside the page (`options`: more session options). */
function browserRun(page: Page, c: ModelCase, batch: number, ep: 'wasm' | 'webgpu', options: Record<string, unknown> = {}): Promise<BrowserRun> {
	return page.evaluate((args) => (window as unknown as { benchRun(a: typeof args): Promise<BrowserRun> }).benchRun(args), {
		file: c.file,
		input: c.input,
		width: c.width,
		batch,
		ep,
		budget: BUDGET_MS,
		maxRows: MAX_ROWS,
		options
	});
}

/** Runs the TF.js copy of a model (model.json under static/models) on one TF.js backend. */
function tfjsRun(page: Page, c: ModelCase, model: string, batch: number, backend: 'wasm' | 'cpu'): Promise<BrowserRun> {
	return page.evaluate((args) => (window as unknown as { tfjsRun(a: typeof args): Promise<BrowserRun> }).tfjsRun(args), {
		file: c.file,
		model,
		width: c.width,
		batch,
		backend,
		budget: BUDGET_MS,
		maxRows: MAX_ROWS
	});
}

interface Profile {
	ms_per_batch?: { tensor: number; session_run: number; read_outputs: number };
	runs?: number;
	error?: string;
}

function profileRun(page: Page, c: ModelCase, batch: number): Promise<Profile> {
	return page.evaluate((args) => (window as unknown as { profileRun(a: typeof args): Promise<Profile> }).profileRun(args), {
		file: c.file,
		input: c.input,
		width: c.width,
		batch,
		budget: BUDGET_MS
	});
}

/** onnxruntime-web session options tried on the MLPs (the default first). */
const SESSION_VARIANTS: Record<string, Record<string, unknown>> = {
	default: {},
	graph_optimization_disabled: { graphOptimizationLevel: 'disabled' },
	graph_optimization_basic: { graphOptimizationLevel: 'basic' },
	graph_optimization_extended: { graphOptimizationLevel: 'extended' },
	graph_optimization_all: { graphOptimizationLevel: 'all' },
	cpu_mem_arena_off: { enableCpuMemArena: false },
	mem_pattern_off: { enableMemPattern: false },
	arena_and_pattern_off: { enableCpuMemArena: false, enableMemPattern: false }
};
/** The TF.js copies of ONNX models (same network and weights). */
const TFJS_COPIES: Record<string, string> = { 'churn_mlp.onnx': 'churn_mlp_tfjs/model.json' };

function maxAbs(a: Record<string, number[]> | undefined, b: Record<string, number[]>): number | null {
	if (!a) return null;
	let worst = 0;
	for (const [k, v] of Object.entries(b)) v.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - a[k][i]))));
	return worst;
}

async function main() {
	const churn = churnInputs();
	const allCases: ModelCase[] = [
		{ file: 'churn_gbt.onnx', input: 'features', width: 11, data: churn.raw, goal: 2 },
		{ file: 'churn_mlp.onnx', input: 'features', width: 11, data: churn.standardized, goal: 3 },
		{ file: 'churn_mlp_fp16.onnx', input: 'features', width: 11, data: churn.standardized },
		{ file: 'churn_mlp_int8.onnx', input: 'features', width: 11, data: churn.standardized },
		{ file: 'digits_mlp.onnx', input: 'pixels', width: 64, data: digitInputs() },
		{ file: 'churn_lr.onnx', input: 'features', width: 11, data: churn.raw }
	];
	const cases = allCases.filter((c) => !ONLY || ONLY.includes(c.file));
	const port = await freePort();
	const server = serve(new Map(cases.map((c) => [c.file, c.data])), await tfjsBundle(), port);
	const browser = await launchBenchChromium(['--enable-unsafe-webgpu']);
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
		const gpu = (
			navigator as unknown as {
				gpu?: { requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string; description?: string }; isFallbackAdapter?: boolean } | null> };
			}
		).gpu;
		const a = await gpu?.requestAdapter();
		return a ? { vendor: a.info?.vendor, architecture: a.info?.architecture, description: a.info?.description, fallback: a.isFallbackAdapter ?? null } : null;
	});
	log(`WebGPU adapter: ${JSON.stringify(adapter)}`);

	const results = [];
	const sessionExperiments: unknown[] = [];
	try {
		for (const c of cases) {
			for (const batch of BATCHES) {
				const native = await nativeRun(c, batch);
				const wasm1 = await browserRun(single, c, batch, 'wasm');
				const wasmN = await browserRun(multi, c, batch, 'wasm');
				const webgpu = await browserRun(single, c, batch, 'webgpu');
				const copy = TFJS_COPIES[c.file];
				const none: BrowserRun = {};
				const tfjsWasm1 = copy ? await tfjsRun(single, c, copy, batch, 'wasm') : none;
				const tfjsCpu = copy ? await tfjsRun(single, c, copy, batch, 'cpu') : none;
				const ratio = (r: BrowserRun) => (r.rowsPerSecond ? native.rowsPerSecond / r.rowsPerSecond : null);
				const tfjs = copy
					? {
							model: copy,
							wasm_1_thread_rows_per_s: tfjsWasm1.rowsPerSecond && Math.round(tfjsWasm1.rowsPerSecond),
							cpu_rows_per_s: tfjsCpu.rowsPerSecond && Math.round(tfjsCpu.rowsPerSecond),
							native_over_tfjs_wasm_1_thread: ratio(tfjsWasm1),
							native_over_tfjs_cpu: ratio(tfjsCpu),
							max_abs_diff_vs_native: {
								wasm_1_thread: maxAbs(tfjsWasm1.outputs, native.outputs),
								cpu: maxAbs(tfjsCpu.outputs, native.outputs)
							},
							errors: Object.fromEntries(
								Object.entries({ tfjsWasm1, tfjsCpu })
									.filter(([, r]) => r.error)
									.map(([k, r]) => [k, r.error])
							)
						}
					: undefined;
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
					max_abs_diff_vs_native: {
						wasm_1_thread: maxAbs(wasm1.outputs, native.outputs),
						wasm_threads: maxAbs(wasmN.outputs, native.outputs),
						webgpu_swiftshader: maxAbs(webgpu.outputs, native.outputs)
					},
					errors: Object.fromEntries(
						Object.entries({ wasm1, wasmN, webgpu })
							.filter(([, r]) => r.error)
							.map(([k, r]) => [k, r.error])
					),
					tfjs
				};
				results.push(row);
				log(
					`${c.file.padEnd(20)} batch ${String(batch).padStart(5)}: native ${row.native_rows_per_s} rows/s, wasm×1 ${row.wasm_1_thread_rows_per_s} (${row.native_over_wasm_1_thread?.toFixed(2)}×), wasm×${wasmN.threads} ${row.wasm_threads_rows_per_s} (${row.native_over_wasm_threads?.toFixed(2)}×), webgpu/swiftshader ${row.webgpu_swiftshader_rows_per_s}; max |Δ| ${JSON.stringify(row.max_abs_diff_vs_native)}${Object.keys(row.errors).length ? ` errors ${JSON.stringify(row.errors)}` : ''}`
				);
				if (tfjs) {
					log(
						`${copy!.padEnd(20)} batch ${String(batch).padStart(5)}: TF.js wasm×1 ${tfjs.wasm_1_thread_rows_per_s} (${tfjs.native_over_tfjs_wasm_1_thread?.toFixed(2)}×), cpu ${tfjs.cpu_rows_per_s} (${tfjs.native_over_tfjs_cpu?.toFixed(2)}×); max |Δ| ${JSON.stringify(tfjs.max_abs_diff_vs_native)}${Object.keys(tfjs.errors).length ? ` errors ${JSON.stringify(tfjs.errors)}` : ''}`
					);
				}
			}
		}
		// The MLPs at batch 10,000 on 1 thread: session options and where the time goes, native run again beside them.
		for (const c of cases.filter((m) => m.file === 'churn_mlp.onnx' || m.file === 'digits_mlp.onnx')) {
			// The machine is shared and loaded: each round measures native next to every option, ratios are per round.
			const rounds: Array<{ native: number; runs: Record<string, BrowserRun> }> = [];
			for (let round = 0; round < ROUNDS; round++) {
				const native = await nativeRun(c, MAX_ROWS);
				const runs: Record<string, BrowserRun> = {};
				for (const [name, options] of Object.entries(SESSION_VARIANTS)) runs[name] = await browserRun(single, c, MAX_ROWS, 'wasm', options);
				rounds.push({ native: native.rowsPerSecond, runs });
			}
			const median = (values: number[]) => {
				const sorted = [...values].sort((a, b) => a - b);
				return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : null;
			};
			const variants: Record<string, { median_rows_per_s: number | null; median_native_over_wasm_1_thread: number | null; ratios: number[]; error?: string }> =
				{};
			for (const name of Object.keys(SESSION_VARIANTS)) {
				const ok = rounds.filter((r) => r.runs[name].rowsPerSecond);
				const ratios = ok.map((r) => r.native / r.runs[name].rowsPerSecond!);
				variants[name] = {
					median_rows_per_s: median(ok.map((r) => Math.round(r.runs[name].rowsPerSecond!))),
					median_native_over_wasm_1_thread: median(ratios),
					ratios: ratios.map((x) => Number(x.toFixed(2))),
					error: rounds.find((r) => r.runs[name].error)?.runs[name].error
				};
			}
			const profile = await profileRun(single, c, MAX_ROWS);
			const entry = {
				model: c.file,
				batch: MAX_ROWS,
				rounds: ROUNDS,
				native_rows_per_s: rounds.map((r) => Math.round(r.native)),
				session_options: variants,
				wasm_1_thread_profile: profile
			};
			sessionExperiments.push(entry);
			log(`${c.file} session options at batch ${MAX_ROWS}: ${JSON.stringify(variants)}; profile ${JSON.stringify(profile)}`);
		}
	} finally {
		await browser.close();
		server.close();
	}
	const goals = results
		.filter((r) => r.goal_native_over_wasm !== null && r.batch === 10_000)
		.map((r) => ({
			model: r.model,
			goal: r.goal_native_over_wasm,
			native_over_wasm_1_thread: r.native_over_wasm_1_thread,
			met: r.native_over_wasm_1_thread !== null && r.native_over_wasm_1_thread <= r.goal_native_over_wasm!
		}));
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
				build_tensor_rows_per_s: Math.round(churn.buildTensorRowsPerSecond),
				build_tensor_note: "the model cell's Arrow → Float32Array step (11 churn features, one-hot + standardization) in Node, same code as the browser",
				tfjs: {
					version: '4.22.0',
					backends:
						'wasm (XNNPACK, single-thread SIMD build, as the app) and cpu; predict with batchSize = the whole batch; native reference: onnxruntime-node on the ONNX copy of the same network'
				},
				results,
				session_experiments: sessionExperiments
			},
			null,
			2
		) + '\n'
	);
	log(`wrote ${join(out, 'inference.json')}; goals at batch 10,000: ${JSON.stringify(goals)}`);
	// int8 graphs are exempt: native ORT fuses DequantizeLinear → MatMul into its own quantized
	// kernels, so its numbers legitimately differ from the web build's (the JSON keeps them).
	const broken = results.filter(
		(r) =>
			!r.model.includes('int8') &&
			[...Object.values(r.max_abs_diff_vs_native), ...Object.values(r.tfjs?.max_abs_diff_vs_native ?? {})].some((d) => d !== null && d > 1e-4)
	);
	if (broken.length) {
		console.error(`outputs differ from native by more than 1e-4: ${broken.map((r) => `${r.model}@${r.batch}`).join(', ')}`);
		process.exit(1);
	}
}

await main();
