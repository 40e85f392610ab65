/**
 * Serving benchmark: `POST /api/serve/models/churn@champion/invocations` on `driftbook serve`
 * (its own process, PGlite, loopback) under 50 concurrent clients (autocannon), at batch 1 and
 * batch 100 (`dataframe_records` of the sample churn rows, through the MLP's pre-processing, into
 * the prediction log), against the floor: onnxruntime-node's `session.run` on the same model and
 * already-built tensors, called by 50 concurrent loops in this process (each awaits its run, then
 * issues the next, for the same duration: queueing is in both). p50 and p99 latency (ms),
 * throughput (requests/s) and the overhead as ratios to the floor go to
 * $BENCH_OUT/serving.json, with GET /api/health on the same server under the same load as a
 * reference for what the HTTP stack alone allows. The goal (issue 20): p50 ≤ 1.5× the floor at batch 100. No timing
 * assertions; the run fails only on errors or non-2xx answers.
 * BENCH_SERVING_SECONDS (default 10) sets each scenario's duration, BENCH_SERVING_CONNECTIONS
 * (default 50) the clients. The floor with one caller at a time is kept as extra information
 * (`floor_single_caller`). BENCH_SERVING_CPU_PROF=DIR runs the server with `node --cpu-prof`,
 * its profile written to DIR when it stops. On a shared machine latencies swing with its load; the
 * server process's CPU time per request (all its threads, from /proc: `cpu_ms_per_request`, against the floor's in this process)
 * is the figure that compares one change with another.
 *
 * BENCH_SERVING_BASELINE=<git ref> (e.g. main) also builds that commit's command line and serves
 * it beside this tree's, every scenario measured on both back to back (order alternating), so a
 * change is judged against the old code under the same load (`baseline` in the JSON, with ratios).
 * A bare node:http server answering a constant JSON body is measured too (`node_http_reference`):
 * what the HTTP layer alone allows on this machine under this load.
 *
 * Closed loop arithmetic (`closed_loop` in the JSON; docs/api.md, "Model serving"): each of the
 * C clients has exactly one request outstanding, so by Little's law the mean latency is
 * C / throughput, and p50 sits near it when latencies are even. A p50 of 1.5× the floor's at
 * batch 100 thus needs a throughput of C / (1.5 × floor p50): about 34,000 requests/s for 50
 * clients and a 0.97 ms floor, whatever the route does.
 *
 * Run: npm run bench serving   (BENCH_SERVING_BASELINE=main npm run bench serving to compare)
 */
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import buildCli, { bundleCli } from '../support/cli-bundle';
import { serveEnv, startServe, type Served } from '../unit/server/serve-process';
import { preprocessingTags } from '#lib/cells/model/register.ts';
import { parseNotebook } from '#lib/notebook/format.ts';
import { buildTensor, parseFeatures, parseStandardize } from '#lib/inference/features.ts';
import { Bool, Float64, Utf8, vectorFromArray, type Vector } from 'apache-arrow';

interface AutocannonResult {
	requests: { average: number; total: number };
	latency: { p50: number; p99: number; max: number };
	errors: number;
	timeouts: number;
	non2xx: number;
}
type Autocannon = (options: {
	url: string;
	connections: number;
	duration: number;
	method: string;
	body: string;
	headers: Record<string, string>;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const SECONDS = Number(process.env.BENCH_SERVING_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_SERVING_CONNECTIONS ?? 50);
const BATCHES = [1, 100];
const BASELINE = process.env.BENCH_SERVING_BASELINE || undefined;
const GOAL_RATIO = 1.5;
const started = performance.now();
const log = (message: string) => console.log(`[serving bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);

interface Measured {
	requests_per_s: number;
	latency_p50_ms: number;
	latency_p99_ms: number;
	requests: number;
	/** CPU time per request or run, all threads of the process that answered it. */
	cpu_ms_per_request?: number;
}

/** The sample churn rows as a client sends them. */
function sampleRecords(count: number): Array<Record<string, unknown>> {
	const [header, ...lines] = readFileSync('static/samples/churn_events.csv', 'utf8').trim().split('\n');
	const names = header.split(',');
	const text = new Set(['event_time', 'plan', 'region', 'channel']);
	return lines.slice(0, count).map((line) => {
		const cells = line.split(',');
		return Object.fromEntries(names.map((n, j) => [n, text.has(n) ? cells[j] : n === 'autopay' ? cells[j] === 'true' : Number(cells[j])]));
	});
}

/** CPU milliseconds the process has used so far, all threads (Linux /proc; undefined elsewhere). */
function cpuMs(pid: number | undefined): number | undefined {
	try {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		// utime and stime (fields 14 and 15) in clock ticks, 100 per second on Linux.
		return ((Number(fields[11]) + Number(fields[12])) / 100) * 1000;
	} catch {
		return undefined;
	}
}

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The floor: `callers` loops calling session.run on a ready tensor for `SECONDS`. */
async function floor(session: InferenceSession, tensor: Tensor, callers: number): Promise<Measured> {
	const latencies: number[] = [];
	const cpuBefore = process.cpuUsage();
	const end = performance.now() + SECONDS * 1000;
	await Promise.all(
		Array.from({ length: callers }, async () => {
			while (performance.now() < end) {
				const t0 = performance.now();
				await session.run({ [session.inputNames[0]]: tensor });
				latencies.push(performance.now() - t0);
			}
		})
	);
	const cpu = process.cpuUsage(cpuBefore);
	latencies.sort((a, b) => a - b);
	return {
		cpu_ms_per_request: Math.round(((cpu.user + cpu.system) / 1000 / latencies.length) * 1000) / 1000,
		requests_per_s: latencies.length / SECONDS,
		latency_p50_ms: percentile(latencies, 50),
		latency_p99_ms: percentile(latencies, 99),
		requests: latencies.length
	};
}

/** Autocannon's answer as a Measured, with the server's CPU per request when its pid is given. */
async function load(url: string, method: string, body: string, pid?: number): Promise<Measured> {
	const cpuBefore = cpuMs(pid);
	const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, method, body, headers: body ? { 'content-type': 'application/json' } : {} });
	if (r.errors + r.timeouts + r.non2xx > 0) throw new Error(`${method} ${url}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx answers`);
	const cpuAfter = cpuMs(pid);
	return {
		requests_per_s: r.requests.average,
		latency_p50_ms: r.latency.p50,
		latency_p99_ms: r.latency.p99,
		requests: r.requests.total,
		...(cpuBefore !== undefined && cpuAfter !== undefined && { cpu_ms_per_request: Math.round(((cpuAfter - cpuBefore) / r.requests.total) * 1000) / 1000 })
	};
}

/** Another commit's command line, bundled from `git archive` beside this tree's (packages from this node_modules). */
async function baselineBundle(ref: string): Promise<string> {
	const src = mkdtempSync(join(tmpdir(), 'driftbook-baseline-src-'));
	const archive = spawnSync('sh', ['-c', `git archive "$0" | tar -x -C "$1"`, ref, src], { stdio: ['ignore', 'inherit', 'inherit'] });
	if (archive.status !== 0) throw new Error(`git archive ${ref} failed`);
	const outdir = resolve('node_modules', '.cache', 'driftbook-bench', `baseline-${ref.replace(/[^\w.-]/g, '_')}`);
	try {
		return await bundleCli(outdir, src);
	} finally {
		rmSync(src, { recursive: true, force: true });
	}
}

/** A bare node:http server answering every request with a constant JSON body, in its own process. */
async function startBareHttp(): Promise<{ base: string; pid: number | undefined; stop(): void }> {
	const code = `require('http').createServer((q, s) => { s.setHeader('content-type', 'application/json'); s.end('{"status":"ok"}'); })
		.listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });`;
	const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
	const base = await new Promise<string>((done, fail) => {
		child.stdout!.on('data', (d: Buffer) => {
			const m = /listening on (\S+)/.exec(String(d));
			if (m) done(m[1]);
		});
		child.once('exit', (c) => fail(new Error(`bare node:http server exited with ${c}`)));
	});
	return { base, pid: child.pid, stop: () => child.kill('SIGTERM') };
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
/** Little's law for C closed-loop clients: the mean latency (ms) a throughput allows. */
const closedLoopMs = (requestsPerS: number) => round((CONNECTIONS / requestsPerS) * 1000, 3);

async function main() {
	const notebook = parseNotebook(readFileSync('notebooks/churn-models-in-the-browser.driftbook.md', 'utf8'));
	const cell = notebook.cells.find((c) => c.name === 'mlp_scores')!;
	const tags = preprocessingTags({ cellName: cell.name, cellSource: cell.source });
	const records = sampleRecords(Math.max(...BATCHES));

	// The floor's tensors, built once with the model cell's code (not timed).
	const columns = JSON.parse(tags[0].value) as string[];
	const features = parseFeatures(columns, parseStandardize(tags[1]?.value, 'bench'), 'bench');
	const tensorOf = (rows: Array<Record<string, unknown>>) => {
		const vectors = new Map<string, Vector>();
		for (const f of features) {
			const values = rows.map((r) => r[f.column]);
			vectors.set(f.column, vectorFromArray(values, typeof values[0] === 'string' ? new Utf8() : typeof values[0] === 'boolean' ? new Bool() : new Float64()));
		}
		return new Tensor('float32', buildTensor({ numRows: rows.length, getChild: (n) => vectors.get(n) ?? null }, features), [rows.length, features.length]);
	};
	const session = await InferenceSession.create('static/models/churn_mlp.onnx');

	await buildCli();
	const baselineEntry = BASELINE ? await baselineBundle(BASELINE) : undefined;
	const dir = mkdtempSync(join(tmpdir(), 'driftbook-serving-bench-'));
	const profileDir = process.env.BENCH_SERVING_CPU_PROF;
	const servers: Array<{ name: 'current' | 'baseline'; served: Served }> = [];
	const bare = await startBareHttp();
	let httpReference: Measured | undefined;
	let nodeHttpReference: Measured | undefined;
	let baselineHttp: Measured | undefined;
	type Ratio = { p50: number; p99: number; throughput: number; cpu_per_request?: number };
	const ratio = (a: Measured, b: Measured): Ratio => ({
		p50: round(a.latency_p50_ms / b.latency_p50_ms),
		p99: round(a.latency_p99_ms / b.latency_p99_ms),
		throughput: round(a.requests_per_s / b.requests_per_s),
		...(a.cpu_ms_per_request !== undefined && b.cpu_ms_per_request !== undefined && { cpu_per_request: round(a.cpu_ms_per_request / b.cpu_ms_per_request) })
	});
	const results: Record<string, { floor: Measured; floor_single_caller: Measured; server: Measured; ratio: Ratio }> = {};
	const baselineResults: Record<string, { server: Measured; current_to_baseline: Ratio; ratio_to_floor: Ratio }> = {};
	try {
		servers.push({
			name: 'current',
			served: await startServe(
				await serveEnv({ dataDir: join(dir, 'data') }, join(dir, 'data')),
				undefined,
				profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []
			)
		});
		if (baselineEntry)
			servers.push({
				name: 'baseline',
				served: await startServe(await serveEnv({ dataDir: join(dir, 'base') }, join(dir, 'base')), undefined, [], baselineEntry)
			});
		const json = { 'content-type': 'application/json' };
		for (const { served } of servers) {
			const call = async (method: string, path: string, body: BodyInit, headers: Record<string, string> = json) => {
				const res = await fetch(served.base + path, { method, headers, body });
				if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
			};
			await call('PUT', '/api/2.0/mlflow-artifacts/artifacts/bench/churn/churn_mlp.onnx', readFileSync('static/models/churn_mlp.onnx'), {});
			await call('POST', '/api/2.0/mlflow/registered-models/create', JSON.stringify({ name: 'churn' }));
			await call('POST', '/api/2.0/mlflow/model-versions/create', JSON.stringify({ name: 'churn', source: 'mlflow-artifacts:/bench/churn', tags }));
			await call('POST', '/api/2.0/mlflow/registered-models/alias', JSON.stringify({ name: 'churn', alias: 'champion', version: '1' }));
			for (const batch of BATCHES)
				await call('POST', '/api/serve/models/churn@champion/invocations', JSON.stringify({ dataframe_records: records.slice(0, batch) })); // loads the session: not timed
		}
		/** The scenario on every server, back to back, the order alternating from one scenario to the next. */
		let turn = 0;
		const onEach = async (path: string, method: string, body: string) => {
			const order = turn++ % 2 === 0 ? servers : [...servers].reverse();
			const out: Partial<Record<'current' | 'baseline', Measured>> = {};
			for (const { name, served } of order) out[name] = await load(served.base + path, method, body, served.process.pid);
			return out;
		};
		const show = (what: string, m: Measured) =>
			log(
				`${what}: ${m.requests_per_s.toFixed(0)} req/s, p50 ${m.latency_p50_ms} ms, p99 ${m.latency_p99_ms} ms, server CPU ${m.cpu_ms_per_request} ms per request (Little's law at ${CONNECTIONS} clients: ${closedLoopMs(m.requests_per_s)} ms)`
			);

		// The HTTP layer alone, then the stack with one trivial route: what any API route costs here.
		nodeHttpReference = await load(`${bare.base}/`, 'GET', '', bare.pid);
		show('bare node:http (constant JSON)', nodeHttpReference);
		const health = await onEach('/api/health', 'GET', '');
		httpReference = health.current;
		baselineHttp = health.baseline;
		show('reference GET /api/health', httpReference!);
		if (baselineHttp) show(`baseline (${BASELINE}) GET /api/health`, baselineHttp);

		for (const batch of BATCHES) {
			const rows = records.slice(0, batch);
			const body = JSON.stringify({ dataframe_records: rows });
			const tensor = tensorOf(rows);
			const single = await floor(session, tensor, 1);
			const direct = await floor(session, tensor, CONNECTIONS);
			for (const [what, m] of [
				['1 caller', single],
				[`${CONNECTIONS} callers`, direct]
			] as const)
				log(
					`batch ${batch} floor (session.run, ${what}): ${m.requests_per_s.toFixed(0)} runs/s, p50 ${m.latency_p50_ms.toFixed(3)} ms, p99 ${m.latency_p99_ms.toFixed(3)} ms, CPU ${m.cpu_ms_per_request} ms per run`
				);
			const served = await onEach('/api/serve/models/churn@champion/invocations', 'POST', body);
			show(`batch ${batch} /invocations`, served.current!);
			results[`batch_${batch}`] = { floor: direct, floor_single_caller: single, server: served.current!, ratio: ratio(served.current!, direct) };
			const r = results[`batch_${batch}`].ratio;
			log(`batch ${batch} overhead: p50 ${r.p50}× the floor, p99 ${r.p99}×, throughput ${r.throughput}×, CPU per request ${r.cpu_per_request}×`);
			if (served.baseline) {
				show(`batch ${batch} /invocations, baseline (${BASELINE})`, served.baseline);
				baselineResults[`batch_${batch}`] = {
					server: served.baseline,
					current_to_baseline: ratio(served.current!, served.baseline),
					ratio_to_floor: ratio(served.baseline, direct)
				};
				const c = baselineResults[`batch_${batch}`].current_to_baseline;
				log(`batch ${batch} current / baseline: p50 ${c.p50}×, throughput ${c.throughput}×, CPU per request ${c.cpu_per_request}×`);
			}
		}
	} finally {
		bare.stop();
		for (const { served } of servers) await served.stop();
		await session.release();
		rmSync(dir, { recursive: true, force: true });
	}
	const floor100 = results.batch_100.floor.latency_p50_ms;
	const goalMs = GOAL_RATIO * floor100;
	const out = {
		benchmark: 'serving',
		date: new Date().toISOString(),
		machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memory_gb: Math.round(totalmem() / 2 ** 30), node: process.version, load_average_1m: loadavg()[0] },
		settings: {
			seconds_per_scenario: SECONDS,
			connections: CONNECTIONS,
			loopback: true,
			store: 'pglite',
			model: 'churn_mlp (11 features)',
			format: 'dataframe_records'
		},
		goal: 'p50 at batch 100 ≤ 1.5× the floor (session.run under the same concurrency)',
		http_reference: httpReference,
		node_http_reference: nodeHttpReference,
		results,
		closed_loop: {
			explanation:
				"Little's law for closed-loop clients: each of the C clients keeps one request outstanding, so the mean latency is C / throughput, whatever the route does; the p50 sits near that mean when latencies are even and falls below it only as far as a long tail pulls the mean up. A p50 goal of G ms at C clients therefore needs about C / G requests per second from the server (and from the client that measures it).",
			connections: CONNECTIONS,
			goal_p50_ms: round(goalMs, 3),
			throughput_needed_for_goal: Math.round(CONNECTIONS / (goalMs / 1000)),
			mean_latency_ms_by_littles_law: {
				bare_node_http: nodeHttpReference && closedLoopMs(nodeHttpReference.requests_per_s),
				health: httpReference && closedLoopMs(httpReference.requests_per_s),
				...Object.fromEntries(Object.entries(results).map(([k, v]) => [k, closedLoopMs(v.server.requests_per_s)]))
			}
		},
		...(BASELINE && {
			baseline: {
				ref: BASELINE,
				note: 'the same scenarios on that commit, back to back with the current tree (order alternating), same machine and load',
				http_reference: baselineHttp,
				health_current_to_baseline: baselineHttp && httpReference && ratio(httpReference, baselineHttp),
				results: baselineResults
			}
		})
	};
	const outDir = process.env.BENCH_OUT ?? 'bench/results';
	mkdirSync(outDir, { recursive: true });
	writeFileSync(join(outDir, 'serving.json'), JSON.stringify(out, null, 2) + '\n');
	log(
		`closed loop: p50 ≤ ${round(goalMs, 3)} ms (1.5× the floor at batch 100) needs ≥ ${out.closed_loop.throughput_needed_for_goal} req/s at ${CONNECTIONS} clients; bare node:http here allows a mean of ${out.closed_loop.mean_latency_ms_by_littles_law.bare_node_http} ms`
	);
	log(`wrote ${join(outDir, 'serving.json')}`);
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
