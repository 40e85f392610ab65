// `npm run bench [-- name…]`: runs every test/bench/*.bench.ts (or the named ones) one after
// another, each writing its JSON to bench/results/<name>.json. Benchmarks compare against a
// reference in the same run (native DuckDB, onnxruntime-node, scipy) and report ratios.
// `npm run bench server`: the API under 50 concurrent clients (server-load.bench.ts, autocannon
// on loopback), on PGlite and on PostgreSQL when BENCH_DATABASE_URL or TEST_DATABASE_URL is set.
// Last, bench/results/summary.json: the issues' table (scripts/bench-summary.ts), also printed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';

const OUT = 'bench/results';
const started = new Date();

const wanted = process.argv.slice(2);
const all = readdirSync('test/bench')
	.filter((f) => f.endsWith('.bench.ts'))
	.sort();
const chosen = wanted.length ? all.filter((f) => wanted.some((w) => f.startsWith(w))) : all;
if (chosen.length === 0) {
	console.error(`no benchmark matches ${wanted.join(', ')}; have: ${all.join(', ')}`);
	process.exit(2);
}
mkdirSync(OUT, { recursive: true });
let failed = 0;
for (const file of chosen) {
	console.log(`\n== ${file}`);
	const result = spawnSync('npx', ['tsx', `test/bench/${file}`], { stdio: 'inherit', env: { ...process.env, BENCH_OUT: OUT } });
	if (result.status !== 0) failed++;
}
console.log(`\n== summary (${OUT}/summary.json)`);
if (spawnSync('npx', ['tsx', 'scripts/bench-summary.ts', OUT, started.toISOString()], { stdio: 'inherit' }).status !== 0) failed++;
process.exit(failed ? 1 : 0);
