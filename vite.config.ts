import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { isolationHeaders } from '#server/http/isolation.js';

export default defineConfig({
	plugins: [sveltekit()],
	server: {
		headers: isolationHeaders,
		fs: { allow: ['server', 'notebooks'] }
	},
	worker: { format: 'es' },
	build: {
		// Fonts (KaTeX's) stay files: the CSP's font-src allows this site, not data: URLs. So do
		// worker scripts (workers/duckdb-cached.worker.js): a data: worker has an opaque origin.
		assetsInlineLimit: (file: string) => (/\.(woff2?|ttf|otf|eot)$|\.worker\.js$/i.test(file) ? false : undefined)
	},
	optimizeDeps: {
		// First imported inside workers: without this, a cold dev cache reloads the page.
		include: [
			'comlink',
			'apache-arrow',
			'@duckdb/duckdb-wasm',
			'@observablehq/plot',
			'@tensorflow/tfjs-core',
			'@tensorflow/tfjs-layers',
			'@tensorflow/tfjs-backend-cpu',
			'@tensorflow/tfjs-backend-webgpu',
			'@tensorflow/tfjs-backend-wasm'
		],
		exclude: ['onnxruntime-web']
	},
	test: {
		include: ['test/unit/**/*.test.ts'],
		globalSetup: ['test/support/pglite-template.ts', 'test/support/cli-bundle.ts'],
		// Many files wait on child processes (CLI runs), PostgreSQL or PGlite's disk: three at a
		// time keeps 2 cores busy without starving them.
		maxWorkers: 3,
		testTimeout: 60_000,
		hookTimeout: 60_000
	}
});
