import { request as httpRequest, type Agent } from 'node:http';

/**
 * An answer over `agent` once the request is also fully sent, and whether it came on a
 * connection used before. A body is JSON of `size` bytes, sent chunked.
 */
export async function send(base: string, path: string, agent: Agent, body?: { size: number }) {
	const headers: Record<string, string> = body ? { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } : {};
	const req = httpRequest(new URL(path, base), { method: body ? 'POST' : 'GET', agent, headers });
	const sent = new Promise<void>((resolve, reject) => {
		req.on('error', reject);
		req.on('finish', resolve);
	});
	const answered = new Promise<{ status: number; type: string | undefined; text: string }>((resolve, reject) => {
		req.on('error', reject);
		req.on('response', (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (d: Buffer) => chunks.push(d));
			res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], text: Buffer.concat(chunks).toString() }));
		});
	});
	if (body) {
		req.write('{"name": "chunked"');
		// All written at once (Node buffers it): a client that waits for 'drain' stops sending once
		// the answer has come, and never finishes the request.
		const chunk = Buffer.alloc(256 * 1024, ' ');
		for (let written = 0; written < body.size; written += chunk.length) req.write(chunk);
	}
	req.end(body ? '}' : undefined);
	const [answer] = await Promise.all([answered, sent]);
	return { ...answer, reused: req.reusedSocket };
}
