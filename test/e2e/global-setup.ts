import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp } from '../support/app-server';

/** Starts the built production server (server/main.js) on a free port with a fresh data directory. */
export default async function globalSetup() {
	const dataDir = mkdtempSync(join(tmpdir(), 'driftbook-e2e-'));
	const { server, base } = await startApp(dataDir);
	process.env.DRIFTBOOK_BASE_URL = base;
	return async () => {
		server.kill('SIGTERM');
		await new Promise((r) => server.once('exit', r));
		rmSync(dataDir, { recursive: true, force: true });
	};
}
