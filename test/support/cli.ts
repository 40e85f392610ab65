import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface CliRun {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Where test/support/cli-bundle.ts (Vitest's global setup) bundles the command line. */
export const CLI_BUNDLE_DIR = join('node_modules', '.cache', 'driftbook-test', 'cli');
/** The bundled command line's entry. */
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
