/**
 * Vitest global setup: the command line (cli/main.ts) bundled once with esbuild, so the tests
 * that spawn it run plain node on the same code instead of compiling TypeScript in every child
 * (tsx costs ~1 s per start, several on a loaded machine). Packages stay external, resolved from
 * the project's node_modules. One test per command still goes through `npm run driftbook`.
 */
import { join } from 'node:path';
import { build } from 'esbuild';

/** Where Vitest's global setup bundles the command line (test/support/cli.ts runs it). */
export const CLI_BUNDLE_DIR = join('node_modules', '.cache', 'driftbook-test', 'cli');

/**
 * Bundles the command line into `outdir` and returns its entry (`main.mjs`). Code splitting
 * keeps each command in a chunk of its own, imported when it runs, as under tsx: a bundle in
 * one file would load every command's packages (the server's, DuckDB) at every start. The drift
 * report's second thread (cli/threads/stats-peer.ts) is an entry of its own. Chunks of earlier
 * builds stay (their names change with their contents; removing them would pull them from under
 * a test run of the same tree still using them). `workingDir` is the source tree (another
 * checkout, for benchmarks that compare builds); `outdir` then must be absolute.
 */
export async function bundleCli(outdir: string, workingDir = process.cwd()): Promise<string> {
	await build({
		absWorkingDir: workingDir,
		entryPoints: { main: 'cli/main.ts', 'stats-peer-thread': 'cli/threads/stats-peer-thread.ts' },
		outdir,
		outExtension: { '.js': '.mjs' },
		bundle: true,
		splitting: true,
		platform: 'node',
		format: 'esm',
		packages: 'external',
		logLevel: 'warning'
	});
	return join(outdir, 'main.mjs');
}

export default async function setup(): Promise<void> {
	await bundleCli(CLI_BUNDLE_DIR);
}
