import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a real HTTP receiver got. */
export interface ReceivedRequest {
	headers: IncomingHttpHeaders;
	body: string;
}

/**
 * A real local HTTP endpoint for webhook deliveries: records every request and answers with the
 * status `answer` gives for the request's number (1-based), 200 by default.
 */
export async function startReceiver(): Promise<{
	url: string;
	received: ReceivedRequest[];
	answer: (n: number) => number;
	setAnswer(fn: (n: number) => number): void;
	close(): Promise<void>;
}> {
	const received: ReceivedRequest[] = [];
	let answer = (_n: number) => 200;
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
			const status = answer(received.length);
			res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 400 ? 'ok' : 'not now');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/hook`,
		received,
		get answer() {
			return answer;
		},
		setAnswer(fn) {
			answer = fn;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}
