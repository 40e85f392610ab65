/**
 * Performance estimation (CBPE) and multivariate drift (PCA data reconstruction) benchmark
 * (issue 19): 1,000,000 reference + 1,000,000 analysis rows × 20 numerical features with a
 * model's probability, prediction and label, timed two ways on the same files in the same run:
 *
 * - headless chromium (Debian's): the library (src/lib/stats/performance, src/lib/stats/multivariate)
 *   in a dedicated worker (cbpe-pca.worker.ts, bundled with esbuild), data already in its memory:
 *   `cbpe` with the default metrics (roc_auc, f1, precision, recall, accuracy) and
 *   `reconstructionDrift` on the 20 features, NannyML's default 10 chunks;
 * - Python (scripts/bench/cbpe_pca.py, /usr/bin/python3): the same algorithms on NumPy and
 *   scikit-learn, loading not timed either.
 *
 * Each side runs BENCH_CBPE_REPEAT times (default 2); the fastest counts (the machine may be
 * shared). The per-chunk estimates of both sides must agree (max abs difference reported, the run
 * fails above 1e-6). Writes $BENCH_OUT/cbpe-pca.json. BENCH_CBPE_ROWS changes the rows per data set.
 *
 * Run: npm run bench cbpe-pca
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { freePort } from '../support/app-server';
import { launchBenchChromium } from '../support/bench-chromium';
import { mulberry32 } from '../support/mulberry32';
import type { WorkerReply, WorkerRequest } from './cbpe-pca.worker';

const ROWS = Number(process.env.BENCH_CBPE_ROWS ?? 1_000_000);
const REPEAT = Number(process.env.BENCH_CBPE_REPEAT ?? 2);
const FEATURES = 20;
/** Features load on this many shared factors, so the principal components mean something. */
const FACTORS = 5;
const started = performance.now();
const seconds = (ms: number) => Math.round(ms) / 1000;

function log(message: string) {
	console.log(`[cbpe-pca bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);
}

const featureNames = Array.from({ length: FEATURES }, (_, k) => `f_${String(k).padStart(2, '0')}`);

/**
 * Feature k = 0.8 · factor (k mod 5) + 0.6 · noise; in the analysis set's second half the first
 * four features lose their factor (the correlation breaks, which PCA reconstruction sees) and
 * feature 0 shifts, which moves the scores. Features 3 and 7 miss 0.5% of values (NaN). The
 * model's probability is overconfident (calibration is needed), the label follows the true one.
 */
function writeSet(dir: string, prefix: 'ref' | 'ana', rows: number) {
	const analysis = prefix === 'ana';
	const random = mulberry32(analysis ? 19 : 18);
	const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
	const features = new Float64Array(FEATURES * rows);
	const proba = new Float64Array(rows);
	const pred = new Float64Array(rows);
	const label = new Float64Array(rows);
	const factors = new Float64Array(FACTORS);
	const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
	for (let i = 0; i < rows; i++) {
		for (let f = 0; f < FACTORS; f++) factors[f] = normal();
		const broken = analysis && i >= rows / 2;
		for (let k = 0; k < FEATURES; k++) {
			const factor = broken && k < 4 ? normal() : factors[k % FACTORS];
			const value = 0.8 * factor + 0.6 * normal() + (broken && k === 0 ? 0.3 : 0);
			features[k * rows + i] = (k === 3 || k === 7) && random() < 0.005 ? NaN : value;
		}
		const score = 0.9 * features[i] - 0.6 * features[5 * rows + i] + 0.4 * features[10 * rows + i] + 0.5 * normal();
		proba[i] = sigmoid(1.6 * score);
		pred[i] = proba[i] >= 0.5 ? 1 : 0;
		label[i] = random() < sigmoid(score) ? 1 : 0;
	}
	writeFileSync(join(dir, `${prefix}_features.f64`), features);
	writeFileSync(join(dir, `${prefix}_proba.f64`), proba);
	writeFileSync(join(dir, `${prefix}_pred.f64`), pred);
	writeFileSync(join(dir, `${prefix}_true.f64`), label);
}

interface PythonResult {
	versions: Record<string, string>;
	cbpe: { seconds: number; runs: number[]; needs_calibration: boolean; metrics: Record<string, { value: number; sampling_error: number; alert: boolean }[]> };
	pca: { seconds: number; runs: number[]; components: number; chunks: { value: number; sampling_error: number; alert: boolean }[] };
}

/** The worker bundle, the data files and a blank page, from one origin (a module worker must be same-origin). */
function serve(dir: string, workerScript: string, port: number): Promise<http.Server> {
	const server = http.createServer((req, res) => {
		const path = new URL(req.url!, 'http://x').pathname;
		if (path === '/') return void res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>cbpe-pca bench</title>');
		if (path === '/worker.js') return void res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(workerScript);
		const name = /^\/data\/((?:ref|ana)_(?:features|proba|pred|true)\.f64|meta\.json)$/.exec(path)?.[1];
		if (!name) return void res.writeHead(404).end();
		res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(readFileSync(join(dir, name)));
	});
	return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

async function runBrowser(dir: string): Promise<WorkerReply & { chromium: string }> {
	const bundle = await build({
		entryPoints: ['test/bench/cbpe-pca.worker.ts'],
		bundle: true,
		format: 'esm',
		platform: 'browser',
		write: false,
		logLevel: 'warning'
	});
	const port = await freePort();
	const server = await serve(dir, bundle.outputFiles[0].text, port);
	const browser = await launchBenchChromium();
	try {
		const page = await browser.newPage();
		await page.goto(`http://127.0.0.1:${port}/`);
		const reply = await page.evaluate(
			(request) =>
				new Promise<WorkerReply | { error: string }>((resolve) => {
					const worker = new Worker('/worker.js', { type: 'module' });
					worker.onmessage = (event) => resolve(event.data);
					worker.onerror = (event) => resolve({ error: event.message });
					worker.postMessage(request);
				}),
			{ repeat: REPEAT } satisfies WorkerRequest
		);
		if ('error' in reply) throw new Error(`the worker failed: ${reply.error}`);
		return { ...reply, chromium: browser.version() };
	} finally {
		await browser.close();
		server.close();
	}
}

/** Largest absolute difference of the per-chunk values and sampling errors, and whether every alert agrees. */
function agreement(browser: WorkerReply, python: PythonResult) {
	let worst = 0;
	let alertsAgree = true;
	const compare = (ours: { value: number; sampling_error: number; alert: boolean }[], theirs: PythonResult['pca']['chunks'], what: string) => {
		if (ours.length !== theirs.length) throw new Error(`${what}: ${ours.length} chunks here, ${theirs.length} in Python`);
		ours.forEach((c, i) => {
			worst = Math.max(worst, Math.abs(c.value - theirs[i].value), Math.abs(c.sampling_error - theirs[i].sampling_error));
			alertsAgree &&= c.alert === Boolean(theirs[i].alert);
		});
	};
	for (const [metric, chunks] of Object.entries(python.cbpe.metrics)) compare(browser.cbpe.metrics[metric], chunks, `cbpe ${metric}`);
	compare(browser.pca.chunks, python.pca.chunks, 'pca');
	return {
		max_abs_difference: worst,
		alerts_agree: alertsAgree,
		needs_calibration: { browser: browser.cbpe.needs_calibration, python: python.cbpe.needs_calibration },
		components: { browser: browser.pca.components, python: python.pca.components }
	};
}

async function main() {
	const dir = mkdtempSync(join(tmpdir(), 'driftbook-bench-cbpe-pca-'));
	try {
		log(`generating ${ROWS.toLocaleString('en-US')} + ${ROWS.toLocaleString('en-US')} rows × ${FEATURES} features in ${dir}`);
		let t = performance.now();
		writeSet(dir, 'ref', ROWS);
		writeSet(dir, 'ana', ROWS);
		writeFileSync(join(dir, 'meta.json'), JSON.stringify({ rows: { reference: ROWS, analysis: ROWS }, features: featureNames }));
		const generateS = seconds(performance.now() - t);

		log('Python: NumPy + scikit-learn');
		t = performance.now();
		const py = spawnSync('/usr/bin/python3', ['scripts/bench/cbpe_pca.py', dir, String(REPEAT)], { encoding: 'utf8', maxBuffer: 1 << 26 });
		if (py.status !== 0) throw new Error(`cbpe_pca.py failed (${py.status}):\n${py.stderr}`);
		const python = JSON.parse(py.stdout) as PythonResult;
		log(`  CBPE ${seconds(python.cbpe.seconds * 1000)} s, PCA ${seconds(python.pca.seconds * 1000)} s (process ${seconds(performance.now() - t)} s)`);

		log('headless chromium: the library in a worker');
		const browser = await runBrowser(dir);
		const browserCbpe = seconds(Math.min(...browser.cbpe_ms));
		const browserPca = seconds(Math.min(...browser.pca_ms));
		log(`  CBPE ${browserCbpe} s, PCA ${browserPca} s`);

		const agree = agreement(browser, python);
		if (
			!(agree.max_abs_difference <= 1e-6) ||
			agree.needs_calibration.browser !== agree.needs_calibration.python ||
			agree.components.browser !== agree.components.python
		) {
			throw new Error(`the browser's results differ from Python's: ${JSON.stringify(agree)}`);
		}

		const pythonCbpe = seconds(python.cbpe.seconds * 1000);
		const pythonPca = seconds(python.pca.seconds * 1000);
		const timesFaster = (reference: number, ours: number) => Number((reference / ours).toFixed(2));
		const steps = {
			cbpe: { browser_worker_s: browserCbpe, python_s: pythonCbpe, times_faster: timesFaster(pythonCbpe, browserCbpe) },
			pca_reconstruction: { browser_worker_s: browserPca, python_s: pythonPca, times_faster: timesFaster(pythonPca, browserPca) },
			both: {
				browser_worker_s: seconds((browserCbpe + browserPca) * 1000),
				python_s: seconds((pythonCbpe + pythonPca) * 1000),
				times_faster: timesFaster(pythonCbpe + pythonPca, browserCbpe + browserPca)
			}
		};
		const result = {
			benchmark: 'cbpe-pca',
			date: new Date().toISOString(),
			notes: [
				'browser_worker_s: the library in a dedicated worker in headless chromium, data in memory; python_s: scripts/bench/cbpe_pca.py (NumPy + scikit-learn), loading not timed; the fastest of the runs listed.',
				'times_faster: python_s / browser_worker_s (above 1: the browser is faster).',
				'cbpe: default metrics (roc_auc, f1, precision, recall, accuracy) with calibration check and isotonic calibration; pca_reconstruction: imputer, scaler, PCA at 65% explained variance, per-chunk reconstruction error; 10 chunks per data set.'
			],
			machine: {
				cpus: cpus().length,
				cpu: cpus()[0]?.model,
				memory_gb: Math.round(totalmem() / 2 ** 30),
				load_average: loadavg().map((x) => Number(x.toFixed(1))),
				node: process.version,
				chromium: browser.chromium,
				...python.versions
			},
			data: { reference_rows: ROWS, analysis_rows: ROWS, features: FEATURES, generate_s: generateS },
			steps,
			runs: {
				browser_cbpe_s: browser.cbpe_ms.map(seconds),
				browser_pca_s: browser.pca_ms.map(seconds),
				python_cbpe_s: python.cbpe.runs.map((s) => seconds(s * 1000)),
				python_pca_s: python.pca.runs.map((s) => seconds(s * 1000))
			},
			agreement_with_python: agree,
			total_s: seconds(performance.now() - started)
		};
		const outDir = process.env.BENCH_OUT ?? 'bench/results';
		mkdirSync(outDir, { recursive: true });
		writeFileSync(join(outDir, 'cbpe-pca.json'), JSON.stringify(result, null, 2) + '\n');
		for (const [step, r] of Object.entries(steps)) log(`${step}: browser worker ${r.browser_worker_s} s, Python ${r.python_s} s: ×${r.times_faster} faster`);
		log(`agreement with Python: max abs difference ${agree.max_abs_difference}; wrote ${join(outDir, 'cbpe-pca.json')}`);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
