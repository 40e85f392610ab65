import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
	preprocess: vitePreprocess(),
	kit: {
		// Brotli over ~40 MB of wasm makes the build ten times slower for no gain on localhost.
		adapter: adapter({ precompress: false }),
		alias: {
			$workers: 'workers',
			$server: 'server'
		}
	}
};
