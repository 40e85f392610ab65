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
 * Run: npm run bench serving
 */
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import buildCli from '../support/cli-bundle';
import { serveEnv, startServe } from '../unit/server/serve-process';
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
	const dir = mkdtempSync(join(tmpdir(), 'driftbook-serving-bench-'));
	const profileDir = process.env.BENCH_SERVING_CPU_PROF;
	const server = await startServe(
		await serveEnv({ dataDir: join(dir, 'data') }, join(dir, 'data')),
		undefined,
		profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []
	);
	let httpReference: Measured | undefined;
	const results: Record<
		string,
		{ floor: Measured; floor_single_caller: Measured; server: Measured; ratio: { p50: number; p99: number; throughput: number; cpu_per_request?: number } }
	> = {};
	try {
		const base = server.base;
		const json = { 'content-type': 'application/json' };
		const call = async (method: string, path: string, body: BodyInit, headers: Record<string, string> = json) => {
			const res = await fetch(base + path, { method, headers, body });
			if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
		};
		await call('PUT', '/api/2.0/mlflow-artifacts/artifacts/bench/churn/churn_mlp.onnx', readFileSync('static/models/churn_mlp.onnx'), {});
		await call('POST', '/api/2.0/mlflow/registered-models/create', JSON.stringify({ name: 'churn' }));
		await call('POST', '/api/2.0/mlflow/model-versions/create', JSON.stringify({ name: 'churn', source: 'mlflow-artifacts:/bench/churn', tags }));
		await call('POST', '/api/2.0/mlflow/registered-models/alias', JSON.stringify({ name: 'churn', alias: 'champion', version: '1' }));

		// The HTTP stack alone (GET /api/health, one trivial query), for scale: what any API route costs here.
		const health = await autocannon({ url: `${base}/api/health`, connections: CONNECTIONS, duration: SECONDS, method: 'GET', body: '', headers: {} });
		httpReference = {
			requests_per_s: health.requests.average,
			latency_p50_ms: health.latency.p50,
			latency_p99_ms: health.latency.p99,
			requests: health.requests.total
		};
		log(
			`reference GET /api/health: ${httpReference.requests_per_s.toFixed(0)} req/s, p50 ${httpReference.latency_p50_ms} ms, p99 ${httpReference.latency_p99_ms} ms`
		);

		for (const batch of BATCHES) {
			const rows = records.slice(0, batch);
			const body = JSON.stringify({ dataframe_records: rows });
			await call('POST', '/api/serve/models/churn@champion/invocations', body); // loads the session: not timed
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
			const cpuBefore = cpuMs(server.process.pid);
			const r = await autocannon({
				url: `${base}/api/serve/models/churn@champion/invocations`,
				connections: CONNECTIONS,
				duration: SECONDS,
				method: 'POST',
				body,
				headers: json
			});
			if (r.errors + r.timeouts + r.non2xx > 0) throw new Error(`batch ${batch}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx answers`);
			const cpuAfter = cpuMs(server.process.pid);
			const served = {
				requests_per_s: r.requests.average,
				latency_p50_ms: r.latency.p50,
				latency_p99_ms: r.latency.p99,
				requests: r.requests.total,
				cpu_ms_per_request:
					cpuBefore === undefined || cpuAfter === undefined ? undefined : Math.round(((cpuAfter - cpuBefore) / r.requests.total) * 1000) / 1000
			};
			log(
				`batch ${batch} /invocations: ${served.requests_per_s.toFixed(0)} req/s, p50 ${served.latency_p50_ms} ms, p99 ${served.latency_p99_ms} ms, server CPU ${served.cpu_ms_per_request} ms per request`
			);
			const round = (x: number) => Math.round(x * 100) / 100;
			results[`batch_${batch}`] = {
				floor: direct,
				floor_single_caller: single,
				server: served,
				ratio: {
					p50: round(served.latency_p50_ms / direct.latency_p50_ms),
					p99: round(served.latency_p99_ms / direct.latency_p99_ms),
					throughput: round(served.requests_per_s / direct.requests_per_s),
					...(served.cpu_ms_per_request !== undefined && { cpu_per_request: round(served.cpu_ms_per_request / direct.cpu_ms_per_request!) })
				}
			};
			log(
				`batch ${batch} overhead: p50 ${results[`batch_${batch}`].ratio.p50}× the floor, p99 ${results[`batch_${batch}`].ratio.p99}×, throughput ${results[`batch_${batch}`].ratio.throughput}×, CPU per request ${results[`batch_${batch}`].ratio.cpu_per_request}×`
			);
		}
	} finally {
		await server.stop();
		await session.release();
		rmSync(dir, { recursive: true, force: true });
	}
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
		results
	};
	const outDir = process.env.BENCH_OUT ?? 'bench/results';
	mkdirSync(outDir, { recursive: true });
	writeFileSync(join(outDir, 'serving.json'), JSON.stringify(out, null, 2) + '\n');
	log(`wrote ${join(outDir, 'serving.json')}`);
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
