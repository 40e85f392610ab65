// `npm test`: every check, in stages; a stage starts when the one before has passed. The steps of
// the second stage do not depend on one another: svelte-check, ESLint, Prettier and
// dependency-cruiser are single-threaded Node, and Vitest's files mostly wait on child processes,
// PostgreSQL and PGlite's disk (it keeps about one core of two busy). One after the other they
// left a core of a 2-core machine idle for minutes; together they keep both busy. Playwright
// needs the build and both cores, so it runs alone, last. A step that runs beside others has its
// output printed whole when it ends, never interleaved.
import { spawn } from 'node:child_process';

const STAGES = [
	// The generated tsconfig (.svelte-kit/) that svelte-check, ESLint's type information and the
	// build read: made once before them, so none reads it while another writes it.
	[['svelte-kit', 'sync']],
	[
		['vitest', 'run'],
		['npm', 'run', '-s', 'check'],
		['npm', 'run', '-s', 'lint'],
		['npm', 'run', '-s', 'deps'],
		['npm', 'run', '-s', 'build']
	],
	[['playwright', 'test']]
];

/**
 * Runs `argv` (npm, or a binary of node_modules/.bin); `alone`: its output goes straight to ours,
 * else it is kept and printed when it ends. Resolves to its exit code.
 */
function step(argv, alone) {
	const [command, ...args] = argv;
	const started = Date.now();
	return new Promise((resolve) => {
		const child = spawn(command === 'npm' ? command : `node_modules/.bin/${command}`, args, { stdio: alone ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
		const output = [];
		child.stdout?.on('data', (d) => output.push(d));
		child.stderr?.on('data', (d) => output.push(d));
		child.on('error', (error) => output.push(Buffer.from(`${error.message}\n`)));
		child.on('close', (code) => {
			const seconds = ((Date.now() - started) / 1000).toFixed(1);
			process.stdout.write(Buffer.concat(output));
			process.stdout.write(`── ${argv.join(' ')}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds} s\n`);
			resolve(code ?? 1);
		});
	});
}

for (const stage of STAGES) {
	const codes = await Promise.all(stage.map((argv) => step(argv, stage.length === 1)));
	const failed = codes.find((code) => code !== 0);
	if (failed !== undefined) process.exit(failed);
}
