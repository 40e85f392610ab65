import { chromium, type Browser } from '@playwright/test';

/**
 * Debian's chromium (CHROMIUM_PATH overrides) as the browser benchmarks drive it: headless,
 * nothing fetched in the background, and every host name but localhost and 127.0.0.1 unresolvable,
 * so a page that tried to reach the network would fail rather than be timed. `extraArgs` go first.
 */
export function launchBenchChromium(extraArgs: string[] = []): Promise<Browser> {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [
			...extraArgs,
			'--no-sandbox',
			'--disable-background-networking',
			'--disable-component-update',
			'--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'
		]
	});
}
