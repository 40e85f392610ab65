import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

/**
 * Starts the built production server (server/main.js) on a free port with PGlite in `dataDir`,
 * and resolves once /api/health answers. Used by the e2e global setup, the benchmarks and the
 * sync e2e test (which restarts its own server on the same port and data directory). `cwd` serves
 * another checkout's build (the cold-start benchmark's baseline).
 */
export async function startApp(
	dataDir: string,
	options: { port?: number; env?: Record<string, string>; cwd?: string } = {}
): Promise<{ server: ChildProcess; base: string; port: number }> {
	// A fixed port keeps the browser's origin (and its IndexedDB) across a restart.
	const port = options.port ?? (await freePort());
	const server = spawn(process.execPath, ['server/main.js'], {
		env: { ...process.env, PORT: String(port), DRIFTBOOK_DATA_DIR: dataDir, DATABASE_URL: '', ...options.env },
		cwd: options.cwd,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	server.stdout!.on('data', (d) => (output += d));
	server.stderr!.on('data', (d) => (output += d));
	const base = `http://127.0.0.1:${port}`;
	// A fresh PGlite opens in seconds on an idle machine; on a loaded 2-core one it took 40 s here.
	const deadline = Date.now() + 120_000;
	for (;;) {
		if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}:\n${output}`);
		try {
			if ((await fetch(`${base}/api/health`)).ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			// The caller gets no handle to stop it with: stop it here, or it keeps running after the tests.
			server.kill('SIGTERM');
			throw new Error(`server did not answer /api/health within 120 s:\n${output}`);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	return { server, base, port };
}
