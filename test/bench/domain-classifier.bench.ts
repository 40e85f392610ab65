/**
 * Domain-classifier drift benchmark: BENCH_DC_ROWS reference + as many analysis rows (default
 * 50,000 each) × BENCH_DC_COLUMNS continuous features (default 10), the analysis's second half
 * shifted by half a standard deviation in one feature; NannyML's default chunking (10 chunks per
 * data set), 5 folds, 100 trees each: 100 model fits. Times the whole run on one thread (what the
 * stats worker or the CLI runs), wall clock and CPU time (this machine may be shared), and writes
 * $BENCH_OUT/domain-classifier.json.
 *
 * Run: npm run bench domain-classifier
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { domainClassifierDrift } from '#lib/stats/multivariate/index.ts';
import { mulberry32 } from '../support/mulberry32';

const ROWS = Number(process.env.BENCH_DC_ROWS ?? 50_000);
const COLUMNS = Number(process.env.BENCH_DC_COLUMNS ?? 10);
const random = mulberry32(19);
const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const features = Array.from({ length: COLUMNS }, (_, j) => `x${j}`);
const table = (shiftFrom: number) =>
	Object.fromEntries(features.map((f, j) => [f, Float64Array.from({ length: ROWS }, (_, i) => normal() + (j === 0 && i >= shiftFrom ? 0.5 : 0))]));

const reference = table(Infinity);
const analysis = table(ROWS / 2);
const started = performance.now();
const cpuStarted = process.cpuUsage();
let lastLog = 0;
const result = await domainClassifierDrift(reference, analysis, {
	features,
	onProgress: (done, total) => {
		if (performance.now() - lastLog < 10_000) return;
		lastLog = performance.now();
		console.log(`[domain-classifier bench] ${((100 * done) / total).toFixed(0)}% after ${((lastLog - started) / 1000).toFixed(0)} s`);
	}
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const summary = {
	rows: { reference: ROWS, analysis: ROWS },
	columns: COLUMNS,
	chunks: result.chunks.length,
	fits: result.chunks.length * 5,
	seconds: Math.round(seconds * 10) / 10,
	cpu_seconds: Math.round(cpuSeconds * 10) / 10,
	cpu_seconds_per_fit: Math.round((cpuSeconds / (result.chunks.length * 5)) * 1000) / 1000,
	cpu: cpus()[0]?.model,
	auroc: result.chunks.map((c) => [c.period, c.key, Math.round(c.value * 1000) / 1000, c.alert]),
	feature_importance: result.feature_importance
};
console.log(JSON.stringify(summary, null, 1));
const outDir = process.env.BENCH_OUT ?? 'bench/results';
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'domain-classifier.json'), JSON.stringify(summary, null, 2) + '\n');
