import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

/** Starts the built production server (server/main.js) on a free port with a fresh data directory. */
export default async function globalSetup() {
	const port = await freePort();
	const dataDir = mkdtempSync(join(tmpdir(), 'driftbook-e2e-'));
	const server = spawn(process.execPath, ['server/main.js'], {
		env: { ...process.env, PORT: String(port), DRIFTBOOK_DATA_DIR: dataDir, DATABASE_URL: '' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	server.stdout.on('data', (d) => (output += d));
	server.stderr.on('data', (d) => (output += d));
	const baseURL = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}:\n${output}`);
		try {
			const response = await fetch(`${baseURL}/api/health`);
			if (response.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error(`server did not answer /api/health within 60 s:\n${output}`);
		await new Promise((r) => setTimeout(r, 250));
	}
	process.env.DRIFTBOOK_BASE_URL = baseURL;
	return async () => {
		server.kill('SIGTERM');
		await new Promise((r) => server.once('exit', r));
		rmSync(dataDir, { recursive: true, force: true });
	};
}
