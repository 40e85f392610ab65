import { defineConfig } from '@playwright/test';

// Debian's chromium (Playwright's own browser download does not work offline). On this closed
// network chromium must not try to reach Google; tests also fail on any non-local request.
const chromiumArgs = [
	'--no-sandbox',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'
];
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
	testDir: 'test/e2e',
	globalSetup: './test/e2e/global-setup.ts',
	timeout: 180_000,
	expect: { timeout: 120_000 },
	// Two spec files at a time: much of a test is waiting (WASM start-up, workers, the server), so
	// two share the 2 cores of a CI machine well. Tests in one file run in order.
	fullyParallel: false,
	workers: 2,
	reporter: [['list']],
	// A failed test keeps its trace (actions, DOM snapshots, network) but without the screencast:
	// recording a screenshot of every frame costs CPU in the browser and in the runner for every
	// test, passing ones included, and slows the whole suite on a 2-core machine.
	use: { trace: { mode: 'retain-on-failure', screenshots: false } },
	projects: [
		{
			name: 'webgpu',
			use: { browserName: 'chromium', launchOptions: { executablePath, args: [...chromiumArgs, '--enable-unsafe-webgpu'] } }
		},
		{
			// No WebGPU flag: the adapter is null, so model cells must fall back to WASM and say why.
			name: 'wasm',
			use: { browserName: 'chromium', launchOptions: { executablePath, args: chromiumArgs } },
			grep: /@backend/
		}
	]
});
