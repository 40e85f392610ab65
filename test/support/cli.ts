import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface CliRun {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Runs `driftbook <command> …` for real: through tsx, or through `npm run -s driftbook` as users do. */
export function runCli(command: string, args: string[], viaNpm = false, env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
	const [cmd, argv] = viaNpm
		? ['npm', ['run', '-s', 'driftbook', '--', command, ...args]]
		: [join('node_modules', '.bin', 'tsx'), ['server/cli/main.ts', command, ...args]];
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
