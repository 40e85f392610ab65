import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_BODY_BYTES } from '#server/http/json-body.ts';
import { createNodeServer, listen } from '#server/http/node-http.ts';
import { openHarness, type MlflowHarness } from '../mlflow/helpers';
import { targets } from '../targets';
import { send } from '../../../support/http-client';

// `driftbook serve`'s node:http adapter (the app's own, server/main.js, has an e2e test of this).
describe('a chunked body over the JSON limit under driftbook serve', () => {
	let h: MlflowHarness;
	let base: string;
	let close: () => Promise<void>;
	beforeAll(async () => {
		h = await openHarness(targets[0]);
		const server = createNodeServer((request, connection) => h.app.fetch(request, connection));
		base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
		close = () => new Promise((resolve) => server.close(() => resolve()));
	});
	afterAll(async () => {
		await close?.();
		await h?.close();
	});

	it('is answered 413 in JSON, and the rest is dropped, not reset: the connection carries the next request', { timeout: 120_000 }, async () => {
		const agent = new Agent({ keepAlive: true, maxSockets: 1 });
		try {
			const over = await send(base, '/api/2.0/mlflow/experiments/create', agent, { size: MAX_JSON_BODY_BYTES + 16 * 1024 * 1024 });
			expect([over.status, over.type]).toEqual([413, expect.stringContaining('application/json')]);
			expect(JSON.parse(over.text).message).toContain(`larger than the limit of ${MAX_JSON_BODY_BYTES} bytes`);
			const next = await send(base, '/api/health', agent);
			expect([next.status, next.reused]).toEqual([200, true]);
		} finally {
			agent.destroy();
		}
	});
});
