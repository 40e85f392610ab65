import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp } from '../support/app-server';
import bundleCli from '../support/cli-bundle';

/**
 * Starts the built production server (server/main.js) on a free port with a fresh data directory,
 * and bundles the command line that team-mode specs run to make tokens (Vitest's global setup
 * does it too, but `playwright test` alone must not depend on a Vitest run before it).
 */
export default async function globalSetup() {
	await bundleCli();
	const dataDir = mkdtempSync(join(tmpdir(), 'driftbook-e2e-'));
	const { server, base } = await startApp(dataDir);
	process.env.DRIFTBOOK_BASE_URL = base;
	return async () => {
		server.kill('SIGTERM');
		await new Promise((r) => server.once('exit', r));
		rmSync(dataDir, { recursive: true, force: true });
	};
}
