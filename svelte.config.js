import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { cspDirectives } from '#server/http/csp.js';

/** @type {import('@sveltejs/kit').Config} */
export default {
	preprocess: vitePreprocess(),
	kit: {
		// Brotli over ~40 MB of wasm makes the build ten times slower for no gain on localhost.
		adapter: adapter({ precompress: false }),
		// Replaced by server/http/origin-check.ts in hooks.server.ts: SvelteKit's check also refuses
		// programs (the MLflow client) that upload text/plain without an Origin header.
		csrf: { trustedOrigins: ['*'] },
		// Every page's Content-Security-Policy header; SvelteKit adds its bootstrap script's hash.
		csp: { mode: 'hash', directives: cspDirectives() },
		// svelte-check covers what the app's imports reach; the server, the CLI and scripts are checked whole
		// (not server/main.js: it imports the build output).
		typescript: {
			config: (config) => {
				config.include.push('../server/**/*.ts', '../cli/**/*.ts', '../scripts/**/*.ts');
			}
		}
	}
};
