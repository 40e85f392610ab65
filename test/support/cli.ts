import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { format } from 'node:util';
import { vi } from 'vitest';
import { driftbook } from '#cli/driftbook.ts';
import { CLI_BUNDLE_DIR } from './cli-bundle';

export interface CliRun {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** The bundled command line's entry (test/support/cli-bundle.ts, Vitest's global setup). */
export const CLI_BUNDLE = join(CLI_BUNDLE_DIR, 'main.mjs');

/** Runs `driftbook <command> …` for real: the bundled command line, or `npm run -s driftbook` as users do. */
export function runCli(command: string, args: string[], viaNpm = false, env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
	const [cmd, argv] = viaNpm ? ['npm', ['run', '-s', 'driftbook', '--', command, ...args]] : [process.execPath, [CLI_BUNDLE, command, ...args]];
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], env });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

/**
 * Runs `driftbook <command> …` in this process: the same function the command line's process
 * runs (cli/driftbook.ts), with what it prints to the console kept as the process would print
 * it. For the many runs that check arguments, numbers and formats, without a process start each
 * (~1 s of CPU); exit codes and output of a real process stay checked with runCli.
 */
export function runCliHere(command: string, args: string[]): Promise<CliRun> {
	// one at a time: each run owns the console while it runs
	const run = inProcess.then(() => runCaptured(command, args));
	inProcess = run.then(
		() => {},
		() => {}
	);
	return run;
}

let inProcess = Promise.resolve();

async function runCaptured(command: string, args: string[]): Promise<CliRun> {
	let stdout = '';
	let stderr = '';
	const log = vi.spyOn(console, 'log').mockImplementation((...data: unknown[]) => void (stdout += format(...data) + '\n'));
	const error = vi.spyOn(console, 'error').mockImplementation((...data: unknown[]) => void (stderr += format(...data) + '\n'));
	try {
		return { code: await driftbook([command, ...args]), stdout, stderr };
	} finally {
		log.mockRestore();
		error.mockRestore();
	}
}
