/**
 * `driftbook drift --method ks` end to end against the Python stack, on the same CSV files in
 * the same run: 1,000,000 reference + 1,000,000 current rows × 8 numerical columns (normal,
 * lognormal, uniform, normal rounded to 0.1; a few shifted, two with 0.5% missing values).
 *
 * - driftbook: the command line bundled with esbuild by test/support/cli-bundle.ts (no
 *   TypeScript compiling at start; `npm run driftbook` adds tsx's start, about a second), run
 *   as `node main.mjs drift --reference R --current C --method ks --json`, timed from outside;
 * - Python: `/usr/bin/python3 scripts/bench/cli_scipy.py R C` (pandas.read_csv ×2, then
 *   scipy.stats.ks_2samp per column), timed from outside the same way, start and imports included.
 *
 * Each runs BENCH_CLI_REPEAT times (default 2), alternating; the fastest counts (the machine may
 * be shared). Inside one process it also times the phases of the command (native reads, the
 * report) and, unless BENCH_CLI_JS=0, the same reads with the JS readers alone (what the command
 * did before reading natively). The KS statistics of both sides must agree. Writes
 * $BENCH_OUT/cli.json. BENCH_CLI_ROWS changes the rows per file.
 *
 * Run: npm run bench cli
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { driftColumns, readDataFile } from '#cli/data/data-file.ts';
import { driftReport, type DriftReport } from '#lib/stats/index.ts';
import { mulberry32 } from '../support/mulberry32';
import { bundleCli } from '../support/cli-bundle';

const ROWS = Number(process.env.BENCH_CLI_ROWS ?? 1_000_000);
const REPEAT = Number(process.env.BENCH_CLI_REPEAT ?? 2);
const WITH_JS_READERS = process.env.BENCH_CLI_JS !== '0';
const COLUMNS = 8;
/** The goal of issue 18: the command at least this many times faster than the Python stack. */
const GOAL = 3;
const started = performance.now();
const seconds = (ms: number) => Math.round(ms) / 1000;

function log(message: string) {
	console.log(`[cli bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);
}

const names = Array.from({ length: COLUMNS }, (_, k) => `num_${k}`);

/** Column k by k mod 4: normal, lognormal, uniform, normal rounded to 0.1; current shifts k mod 3 = 0. */
function writeCsv(path: string, current: boolean) {
	const random = mulberry32(current ? 2 : 1);
	const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
	const fd = openSync(path, 'w');
	try {
		writeSync(fd, names.join(',') + '\n');
		const batch: string[] = [];
		for (let i = 0; i < ROWS; i++) {
			const row = new Array<string>(COLUMNS);
			for (let k = 0; k < COLUMNS; k++) {
				const shift = current && k % 3 === 0 ? 0.02 : 0;
				const z = normal() + shift;
				const x = [50 + 10 * z, Math.exp(0.5 * z), random() + shift, Math.round((20 + 3 * z) * 10) / 10][k % 4];
				row[k] = k % 5 === 1 && random() < 0.005 ? '' : String(x);
			}
			batch.push(row.join(','));
			if (batch.length === 10_000 || i === ROWS - 1) {
				writeSync(fd, batch.join('\n') + '\n');
				batch.length = 0;
			}
		}
	} finally {
		closeSync(fd);
	}
}

const TIME = '/usr/bin/time';

/**
 * Runs a command, timed from outside: wall seconds, and CPU seconds (user + system, all threads;
 * less sensitive than wall time to a shared machine) where GNU time is installed; its output.
 */
function timed(command: string, args: string[], dir: string): { seconds: number; cpu?: number; stdout: string; stderr: string } {
	const usage = join(dir, 'usage.txt');
	const withTime = existsSync(TIME);
	const t = performance.now();
	const r = withTime
		? spawnSync(TIME, ['-f', '%U %S', '-o', usage, command, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 })
		: spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
	const s = seconds(performance.now() - t);
	if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
	const cpu = withTime ? readFileSync(usage, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number) : undefined;
	return { seconds: s, cpu: cpu && Math.round((cpu[0] + cpu[1]) * 100) / 100, stdout: r.stdout, stderr: r.stderr };
}

interface PythonResult {
	read_s: number;
	ks_s: number;
	columns: Record<string, { statistic: number; p_value: number }>;
	versions: Record<string, string>;
}

async function main() {
	const dir = mkdtempSync(join(tmpdir(), 'driftbook-cli-bench-'));
	try {
		let t = performance.now();
		const reference = join(dir, 'reference.csv');
		const current = join(dir, 'current.csv');
		writeCsv(reference, false);
		writeCsv(current, true);
		const generateS = seconds(performance.now() - t);
		log(
			`${ROWS} + ${ROWS} rows × ${COLUMNS} columns written (${Math.round((statSync(reference).size + statSync(current).size) / 2 ** 20)} MB) in ${generateS} s`
		);
		const bundle = await bundleCli(join('node_modules', '.cache', 'driftbook-bench', 'cli'));

		const cliRuns: number[] = [];
		const pythonRuns: number[] = [];
		const cliCpu: number[] = [];
		const pythonCpu: number[] = [];
		let report: DriftReport | undefined;
		let python: PythonResult | undefined;
		for (let r = 0; r < REPEAT; r++) {
			const cli = timed(process.execPath, [bundle, 'drift', '--reference', reference, '--current', current, '--method', 'ks', '--json'], dir);
			cliRuns.push(cli.seconds);
			if (cli.cpu !== undefined) cliCpu.push(cli.cpu);
			report = JSON.parse(cli.stdout) as DriftReport;
			log(`driftbook drift --method ks: ${cli.seconds} s (CPU ${cli.cpu} s)`);
			// e.g. the second statistics thread failed: the run is slower than it should be
			if (cli.stderr) log(`driftbook said: ${cli.stderr.trim()}`);
			const py = timed('/usr/bin/python3', ['scripts/bench/cli_scipy.py', reference, current], dir);
			pythonRuns.push(py.seconds);
			if (py.cpu !== undefined) pythonCpu.push(py.cpu);
			python = JSON.parse(py.stdout) as PythonResult;
			log(`pandas.read_csv ×2 + ks_2samp: ${py.seconds} s (CPU ${py.cpu} s; read ${python.read_s} s, ks ${python.ks_s} s)`);
		}
		const statisticDiff = Math.max(...report!.columns.map((c) => Math.abs(c.tests[0].statistic - python!.columns[c.column].statistic)));
		if (!(statisticDiff < 1e-12)) throw new Error(`KS statistics differ from SciPy's by ${statisticDiff}`);

		// The command's phases, in this process: native reads, then the report.
		t = performance.now();
		const [refFile, curFile] = await Promise.all([readDataFile(reference), readDataFile(current)]);
		const columns = await driftColumns(refFile, curFile, names);
		const nativeReadS = seconds(performance.now() - t);
		t = performance.now();
		driftReport(columns.reference, columns.current, { methods: ['ks'] });
		const reportS = seconds(performance.now() - t);
		log(`in process: native reads ${nativeReadS} s, report ${reportS} s`);
		let jsReadS: number | undefined;
		if (WITH_JS_READERS) {
			t = performance.now();
			await Promise.all([readDataFile(reference, { native: false }), readDataFile(current, { native: false })]);
			jsReadS = seconds(performance.now() - t);
			log(`in process: JS readers ${jsReadS} s`);
		}

		const cliS = Math.min(...cliRuns);
		const pythonS = Math.min(...pythonRuns);
		const ratio = Math.round((pythonS / cliS) * 100) / 100;
		const cpuRatio = cliCpu.length && pythonCpu.length ? Math.round((Math.min(...pythonCpu) / Math.min(...cliCpu)) * 100) / 100 : undefined;
		const result = {
			benchmark: 'cli',
			date: new Date().toISOString(),
			notes: [
				'cli_s: `node <esbuild bundle of cli/main.ts (test/support/cli-bundle.ts)> drift --method ks --json` timed from outside; python_s: `/usr/bin/python3 scripts/bench/cli_scipy.py` (pandas.read_csv ×2 + scipy.stats.ks_2samp per column) timed the same way; the fastest of the runs listed (the machine may be shared).',
				`python/cli: how many times faster the command is (goal ≥ ${GOAL}); cpu_python/cpu_cli: the same for CPU seconds (user + system, all threads, by GNU time), which a loaded machine distorts less but which does not count the command's use of several cores.`,
				'phases (in one process, not the CLI runs): native_read_s is both files read by native DuckDB (in parallel) with the columns handed to the report; report_s the ks report; js_read_s both files read by the JS readers alone (what the command did before).'
			],
			machine: {
				cpus: cpus().length,
				cpu: cpus()[0]?.model,
				memory_gb: Math.round(totalmem() / 2 ** 30),
				load_average: loadavg().map((l) => Math.round(l * 100) / 100),
				node: process.version,
				...python!.versions
			},
			data: {
				reference_rows: ROWS,
				current_rows: ROWS,
				columns: COLUMNS,
				csv_mb: Math.round((statSync(reference).size + statSync(current).size) / 2 ** 20),
				generate_s: generateS
			},
			cli_s: cliS,
			cli_runs: cliRuns,
			python_s: pythonS,
			python_runs: pythonRuns,
			cli_cpu_s: cliCpu,
			python_cpu_s: pythonCpu,
			python_phases: { read_s: python!.read_s, ks_s: python!.ks_s },
			phases: { native_read_s: nativeReadS, report_s: reportS, js_read_s: jsReadS },
			ratios: { 'python/cli': ratio, 'cpu_python/cpu_cli': cpuRatio },
			goal: { 'python/cli': GOAL, met: ratio >= GOAL },
			ks_statistic_max_abs_diff: statisticDiff,
			total_s: seconds(performance.now() - started)
		};
		const outDir = process.env.BENCH_OUT ?? 'bench/results';
		mkdirSync(outDir, { recursive: true });
		writeFileSync(join(outDir, 'cli.json'), JSON.stringify(result, null, 2) + '\n');
		log(`driftbook ${cliS} s, Python ${pythonS} s: ×${ratio} (goal ×${GOAL}); wrote ${join(outDir, 'cli.json')}`);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
