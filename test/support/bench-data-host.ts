import http from 'node:http';
import sirv from 'sirv';

/**
 * A CORS-enabled host for a benchmark's `bench.csv` and `bench.parquet` (the page is cross-origin
 * isolated, so CORS it must be): sirv, the production static server, with byte ranges and ETags
 * as real hosts have them, so Parquet goes the loader's Range path. Anything else is a 404.
 */
export function benchDataServer(dir: string, port: number): Promise<http.Server> {
	const serve = sirv(dir, { etag: true, dev: true });
	const server = http.createServer((req, res) => {
		res.setHeader('Access-Control-Allow-Origin', '*');
		res.setHeader('Access-Control-Allow-Headers', 'Range, If-Range');
		res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range, Accept-Ranges, ETag');
		res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
		if (req.method === 'OPTIONS') return void res.writeHead(204).end();
		if (!/^\/bench\.(csv|parquet)$/.test((req.url ?? '').split('?')[0])) return void res.writeHead(404).end();
		serve(req, res, () => void res.writeHead(404).end());
	});
	return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
