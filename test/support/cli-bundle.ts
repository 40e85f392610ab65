/**
 * Vitest global setup: the command line (server/cli/main.ts) bundled once with esbuild, so the
 * tests that spawn it run plain node on the same code instead of compiling TypeScript in every
 * child (tsx costs ~1 s per start, several on a loaded machine). Packages stay external, resolved
 * from the project's node_modules. One test per command still goes through `npm run driftbook`.
 */
import { build } from 'esbuild';
import { CLI_BUNDLE } from './cli';

export default async function setup(): Promise<void> {
	await build({ entryPoints: ['cli/main.ts'], outfile: CLI_BUNDLE, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' });
}
