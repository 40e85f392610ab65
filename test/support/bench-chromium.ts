import { chromium, type Browser, type BrowserContext } from '@playwright/test';

/**
 * Debian's chromium (CHROMIUM_PATH overrides) as the browser benchmarks drive it: headless,
 * nothing fetched in the background, and every host name but localhost and 127.0.0.1 unresolvable,
 * so a page that tried to reach the network would fail rather than be timed. `extraArgs` go first.
 */
export function launchBenchChromium(extraArgs: string[] = []): Promise<Browser> {
	return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: benchArgs(extraArgs) });
}

/**
 * The same browser with a profile of its own in `userDataDir`, as a user's: unlike a context of
 * `launchBenchChromium` (off the record), it keeps compiled code (JavaScript and WebAssembly)
 * between visits, next to its HTTP cache.
 */
export function launchBenchProfile(userDataDir: string, extraArgs: string[] = []): Promise<BrowserContext> {
	return chromium.launchPersistentContext(userDataDir, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: benchArgs(extraArgs) });
}

function benchArgs(extraArgs: string[]): string[] {
	return [
		...extraArgs,
		'--no-sandbox',
		'--disable-background-networking',
		'--disable-component-update',
		'--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'
	];
}
