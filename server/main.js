// The production entry: one Node process serving the built SvelteKit app and /api.
// It replaces adapter-node's index.js because adapter-node serves static and immutable files
// before `handle` runs, so they would miss the cross-origin isolation headers.
import http from 'node:http';
import { isolationHeaders } from './isolation.js';

// adapter-node refuses bodies over 512 KB by default; MLflow artifact uploads are far larger.
process.env.BODY_SIZE_LIMIT ??= process.env.DRIFTBOOK_MAX_ARTIFACT_BYTES ?? String(512 * 1024 * 1024);
const { handler } = await import('../build/handler.js');

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

const server = http.createServer((req, res) => {
	for (const [name, value] of Object.entries(isolationHeaders)) res.setHeader(name, value);
	handler(req, res, () => {
		res.statusCode = 404;
		res.setHeader('content-type', 'text/plain; charset=utf-8');
		res.end('Not found');
	});
});

server.listen(port, host, () => {
	const address = server.address();
	const actual = typeof address === 'object' && address ? address.port : port;
	const shown = host === '0.0.0.0' || host === '127.0.0.1' ? 'localhost' : host;
	console.log(`driftbook listening on http://${shown}:${actual}`);
});

function shutdown(signal) {
	server.close();
	server.closeIdleConnections();
	// Lets hooks close the store (PGlite flushes to its data directory).
	process.emit('sveltekit:shutdown', signal);
	setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
