/**
 * Server load benchmark: `driftbook serve` on loopback under 50 concurrent clients (autocannon),
 * each scenario for a fixed time, on PGlite and, when BENCH_DATABASE_URL or TEST_DATABASE_URL is
 * set, on PostgreSQL (a scratch schema, dropped afterwards):
 *
 * - health:      GET /api/health, the reference: the same HTTP stack and one trivial query;
 * - log_batch:   POST /api/2.0/mlflow/runs/log-batch, 10 metrics at a new step per request;
 * - runs_search: POST /api/2.0/mlflow/runs/search, 50 of 200 runs with params and metrics;
 * - notebook_get: GET /api/notebooks/:id.
 *
 * Throughput (requests/s), latency p50/p99 (ms), errors and non-2xx answers per scenario, and
 * each scenario's throughput as a ratio to health, go to $BENCH_OUT/server-load.json
 * (bench/results/ by default). Zero errors are expected: the run fails otherwise. No timing
 * assertions. BENCH_SERVER_SECONDS (default 10) sets each scenario's duration,
 * BENCH_SERVER_CONNECTIONS (default 50) the clients.
 *
 * Run: npm run bench server
 */
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { serveEnv, startServe, type Served } from '../unit/server/serve-process';
import type { StoreOptions } from '#server/store/index.ts';

/** The part of autocannon's API used here (it ships no types). */
interface AutocannonRequest {
	method?: string;
	path?: string;
	body?: string;
	headers?: Record<string, string>;
}
interface AutocannonResult {
	requests: { average: number; total: number };
	latency: { p50: number; p99: number; average: number; max: number };
	errors: number;
	timeouts: number;
	non2xx: number;
	'2xx': number;
	duration: number;
}
type Autocannon = (options: {
	url: string;
	connections: number;
	duration: number;
	method?: string;
	body?: string;
	headers?: Record<string, string>;
	setupClient?: (client: { setBody(body: string): void; on(event: string, fn: () => void): void }) => void;
	requests?: (AutocannonRequest & { setupRequest?: (req: AutocannonRequest) => AutocannonRequest })[];
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const SECONDS = Number(process.env.BENCH_SERVER_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_SERVER_CONNECTIONS ?? 50);
const DATABASE_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
const JSON_HEADERS = { 'content-type': 'application/json' };
const started = performance.now();

function log(message: string) {
	console.log(`[server bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);
}

async function post(base: string, path: string, body: unknown): Promise<any> {
	const res = await fetch(base + path, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) });
	if (!res.ok) throw new Error(`${path} → ${res.status} ${await res.text()}`);
	return res.json();
}

interface Scenario {
	requests_per_s: number;
	latency_p50_ms: number;
	latency_p99_ms: number;
	latency_max_ms: number;
	requests: number;
	errors: number;
	timeouts: number;
	non_2xx: number;
	throughput_vs_health?: number;
}

const summarise = (r: AutocannonResult): Scenario => ({
	requests_per_s: r.requests.average,
	latency_p50_ms: r.latency.p50,
	latency_p99_ms: r.latency.p99,
	latency_max_ms: r.latency.max,
	requests: r.requests.total,
	errors: r.errors,
	timeouts: r.timeouts,
	non_2xx: r.non2xx
});

async function benchStore(kind: 'pglite' | 'postgres', options: StoreOptions, dataDir: string): Promise<Record<string, Scenario>> {
	const server: Served = await startServe(await serveEnv(options, dataDir));
	try {
		const base = server.base;
		log(`${kind}: serving at ${base}; seeding`);
		const runId = (await post(base, '/api/2.0/mlflow/runs/create', { experiment_id: '0' })).run.info.run_id;
		let experimentId = '';
		for (let i = 0; i < 200; i++) {
			const synced = await post(base, '/api/sync/runs', {
				idempotency_key: `bench-seed-${i}`,
				experiment_name: 'bench',
				params: { lr: String(0.01 * (i % 10)), depth: String(i % 7) },
				metrics: Array.from({ length: 10 }, (_, k) => ({ key: `m${k}`, value: Math.sin(i + k), step: 0 }))
			});
			experimentId = synced.experiment_id;
		}
		const notebook = (await post(base, '/api/notebooks', { source: `---\ntitle: Bench\n---\nText.\n\n\`\`\`sql name=q\nSELECT 42\n\`\`\`\n` })).notebook;

		let step = 0;
		const scenarios: Record<string, Parameters<Autocannon>[0]> = {
			health: { url: `${base}/api/health`, connections: CONNECTIONS, duration: SECONDS },
			log_batch: {
				url: `${base}/api/2.0/mlflow/runs/log-batch`,
				connections: CONNECTIONS,
				duration: SECONDS,
				requests: [
					{
						method: 'POST',
						headers: JSON_HEADERS,
						setupRequest: (req) => {
							const s = step++;
							const metrics = Array.from({ length: 10 }, (_, k) => ({ key: `load_${k}`, value: s * 0.001 + k, timestamp: Date.now(), step: s }));
							return { ...req, body: JSON.stringify({ run_id: runId, metrics }) };
						}
					}
				]
			},
			runs_search: {
				url: `${base}/api/2.0/mlflow/runs/search`,
				connections: CONNECTIONS,
				duration: SECONDS,
				method: 'POST',
				headers: JSON_HEADERS,
				body: JSON.stringify({ experiment_ids: [experimentId], max_results: 50, order_by: ['metrics.m0 DESC'] })
			},
			notebook_get: { url: `${base}/api/notebooks/${notebook.id}`, connections: CONNECTIONS, duration: SECONDS }
		};
		const results: Record<string, Scenario> = {};
		for (const [name, options] of Object.entries(scenarios)) {
			const r = summarise(await autocannon(options));
			results[name] = r;
			// Requests already queued when the clients stopped are still served: let them drain (one
			// more request answers only after them on PGlite's single connection) before the next scenario.
			await fetch(`${base}/api/health`);
			log(
				`${kind} ${name}: ${r.requests_per_s.toFixed(0)} req/s, p50 ${r.latency_p50_ms} ms, p99 ${r.latency_p99_ms} ms, ${r.errors} errors, ${r.non_2xx} non-2xx`
			);
		}
		for (const r of Object.values(results)) r.throughput_vs_health = Math.round((r.requests_per_s / results.health.requests_per_s) * 1000) / 1000;
		// Every acknowledged log-batch must have landed: count the distinct steps stored.
		const history = await (await fetch(`${base}/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=load_0`)).json();
		const stored = new Set((history.metrics ?? []).map((m: { step: number }) => m.step)).size;
		log(`${kind}: ${stored} log-batch steps stored, ${results.log_batch.requests} requests answered`);
		if (stored < results.log_batch.requests - results.log_batch.non_2xx - results.log_batch.errors) {
			throw new Error(`only ${stored} of ${results.log_batch.requests} acknowledged log-batch requests were stored`);
		}
		return results;
	} finally {
		await server.stop();
	}
}

async function main() {
	const out: Record<string, unknown> = {
		benchmark: 'server-load',
		date: new Date().toISOString(),
		machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memory_gb: Math.round(totalmem() / 2 ** 30), node: process.version },
		settings: { seconds_per_scenario: SECONDS, connections: CONNECTIONS, loopback: true, seeded_runs: 200, log_batch_metrics_per_request: 10 },
		stores: {} as Record<string, unknown>
	};
	const dir = mkdtempSync(join(tmpdir(), 'driftbook-server-bench-'));
	try {
		(out.stores as Record<string, unknown>).pglite = await benchStore('pglite', { dataDir: join(dir, 'pglite') }, join(dir, 'pglite'));
		if (DATABASE_URL) {
			const schema = `driftbook_bench_${randomBytes(6).toString('hex')}`;
			try {
				(out.stores as Record<string, unknown>).postgres = await benchStore('postgres', { databaseUrl: DATABASE_URL, schema }, join(dir, 'postgres'));
			} finally {
				const client = new pg.Client({ connectionString: DATABASE_URL });
				await client.connect();
				await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
				await client.end();
			}
		} else {
			log('BENCH_DATABASE_URL / TEST_DATABASE_URL not set: PostgreSQL skipped');
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	const outDir = process.env.BENCH_OUT ?? 'bench/results';
	mkdirSync(outDir, { recursive: true });
	writeFileSync(join(outDir, 'server-load.json'), JSON.stringify(out, null, 2) + '\n');
	log(`wrote ${join(outDir, 'server-load.json')}`);
	const failed = Object.entries(out.stores as Record<string, Record<string, Scenario>>).flatMap(([store, scenarios]) =>
		Object.entries(scenarios)
			.filter(([, s]) => s.errors + s.timeouts + s.non_2xx > 0)
			.map(([name, s]) => `${store} ${name}: ${s.errors} errors, ${s.timeouts} timeouts, ${s.non_2xx} non-2xx`)
	);
	if (failed.length > 0) {
		console.error(`errors under load:\n${failed.join('\n')}`);
		process.exitCode = 1;
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
