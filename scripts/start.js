// `npm start`: build when the build is missing or older than the sources, then serve.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['src', 'workers', 'server', 'static', 'package.json', 'svelte.config.js', 'vite.config.ts'];
const BUILT = 'build/handler.js';

function newestMtime(path) {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
	return newest;
}

const stale = !existsSync(BUILT) || SOURCES.some((source) => newestMtime(source) > statSync(BUILT).mtimeMs);
if (stale) {
	console.log('driftbook: building the app (first start or changed sources)…');
	const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}
await import('#server/main.js');
