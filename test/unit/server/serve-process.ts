import { spawn, type ChildProcess } from 'node:child_process';
import { CLI_BUNDLE } from '../../support/cli';
import { openStore, type StoreOptions } from '#server/store/index.ts';

/** A running `driftbook serve` child process. */
export interface Served {
	process: ChildProcess;
	base: string;
	output(): string;
	/** SIGTERM, and resolves once it has exited. */
	stop(): Promise<void>;
	/** SIGKILL: no shutdown at all, as a crash or power cut leaves it. */
	kill(): Promise<void>;
}

/**
 * The environment that points `driftbook serve` at a test store: PGlite in its data directory,
 * or PostgreSQL with the test's schema on the search path (made and migrated here first).
 */
export async function serveEnv(options: StoreOptions, dataDir: string): Promise<NodeJS.ProcessEnv> {
	const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '', DRIFTBOOK_DATA_DIR: dataDir, DRIFTBOOK_AUTH: '', PORT: '', HOST: '' };
	if (options.databaseUrl) {
		const store = await openStore(options);
		await store.close();
		const url = new URL(options.databaseUrl);
		url.searchParams.set('options', `-c search_path=${options.schema}`);
		env.DATABASE_URL = url.toString();
	}
	return env;
}

function exited(child: ChildProcess): Promise<void> {
	return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

/**
 * Starts `driftbook serve --port 0` (the bundled command line in node: one process, so a signal
 * hits the server itself); `nodeOptions` go to node; `bundle` is another build's entry (benchmarks
 * compare one with another).
 */
export async function startServe(env: NodeJS.ProcessEnv, timeoutMs = 120_000, nodeOptions: string[] = [], bundle = CLI_BUNDLE): Promise<Served> {
	const child = spawn(process.execPath, [...nodeOptions, bundle, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	const base = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`driftbook serve did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
		const check = () => {
			const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
			if (m) {
				clearTimeout(timer);
				resolve(m[1]);
			}
		};
		child.stdout!.on('data', check);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`driftbook serve exited with ${code}:\n${output}`));
		});
	});
	return {
		process: child,
		base,
		output: () => output,
		async stop() {
			child.kill('SIGTERM');
			await exited(child);
		},
		async kill() {
			child.kill('SIGKILL');
			await exited(child);
		}
	};
}
