import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiRequestError } from '#lib/api/http.ts';
import { backoffDelay, classify, IndexedDbQueueStorage, SyncQueue, type QueueEntry, type QueueStatus } from '#lib/api/sync-queue.ts';

const run = (name: string) => ({ experiment_name: 'exp', run_name: name, metrics: [{ key: 'm', value: 1 }] });

/** A server stand-in that records what arrived and can be switched off. */
function fakeServer() {
	const received: string[] = [];
	const seenKeys = new Set<string>();
	const server = {
		up: false,
		answer: undefined as ApiRequestError | undefined,
		received,
		/** Runs the server actually stored: one per idempotency key. */
		stored: [] as string[],
		async send(entry: QueueEntry) {
			if (!server.up) throw new TypeError('Failed to fetch');
			if (server.answer) throw server.answer;
			received.push(entry.key);
			if (!seenKeys.has(entry.key)) {
				seenKeys.add(entry.key);
				server.stored.push(entry.payload.run_name!);
			}
		}
	};
	return server;
}

let open: SyncQueue[] = [];
afterEach(() => {
	for (const q of open) q.stop();
	open = [];
});

function makeQueue(factory: IDBFactory, server: ReturnType<typeof fakeServer>, onchange?: (s: QueueStatus) => void) {
	let n = 0;
	const queue = new SyncQueue({
		storage: new IndexedDbQueueStorage('test-sync', factory),
		send: (entry) => server.send(entry),
		baseDelayMs: 5,
		maxDelayMs: 20,
		random: () => 1,
		newKey: () => `key-${++n}-${Math.random()}`,
		onchange
	});
	open.push(queue);
	return queue;
}

describe('sync queue', () => {
	it('keeps runs in IndexedDB while the server is down and sends each exactly once, in order, when it is back', async () => {
		const factory = new IDBFactory();
		const server = fakeServer();
		const queue = makeQueue(factory, server);
		const a = await queue.enqueue(run('a'), 'a');
		await queue.enqueue(run('b'), 'b');
		await queue.drain();
		expect(a.payload.idempotency_key).toBe(a.key);
		expect(queue.status.pending).toBe(2);
		expect(queue.status.lastError).toMatch(/Failed to fetch/);
		expect(queue.status.nextRetryAt).toBeGreaterThan(0);

		// A new page (same browser storage) finds both entries.
		queue.stop();
		const reloaded = makeQueue(factory, server);
		expect((await reloaded.refresh()).pending).toBe(2);
		server.up = true;
		await reloaded.retryNow();
		expect(server.stored).toEqual(['a', 'b']);
		expect(reloaded.status.pending).toBe(0);
		expect(reloaded.status.lastError).toBeUndefined();
		expect(reloaded.status.sent).toBe(2);
	});

	it('retries by itself with backoff until the server answers', async () => {
		const server = fakeServer();
		const queue = makeQueue(new IDBFactory(), server);
		await queue.enqueue(run('a'), 'a');
		await queue.drain();
		expect(queue.status.pending).toBe(1);
		server.up = true;
		await expect.poll(() => queue.status.pending, { timeout: 2000 }).toBe(0);
		expect(server.stored).toEqual(['a']);
	});

	it('a resend after a lost answer carries the same key, so the server stores the run once', async () => {
		const factory = new IDBFactory();
		const server = fakeServer();
		server.up = true;
		let loseAnswer = true;
		const queue = new SyncQueue({
			storage: new IndexedDbQueueStorage('lost-answer', factory),
			async send(entry) {
				await server.send(entry);
				if (loseAnswer) {
					loseAnswer = false;
					throw new TypeError('network connection lost');
				}
			},
			baseDelayMs: 1,
			maxDelayMs: 2
		});
		open.push(queue);
		await queue.enqueue(run('a'), 'a');
		await expect.poll(() => queue.status.pending, { timeout: 2000 }).toBe(0);
		expect(server.received).toHaveLength(2);
		expect(new Set(server.received).size).toBe(1);
		expect(server.stored).toEqual(['a']);
	});

	it('concurrent drains share one pass: nothing is sent twice', async () => {
		const server = fakeServer();
		server.up = true;
		const queue = makeQueue(new IDBFactory(), server);
		await Promise.all([queue.enqueue(run('a'), 'a'), queue.enqueue(run('b'), 'b'), queue.enqueue(run('c'), 'c')]);
		await Promise.all([queue.drain(), queue.drain(), queue.retryNow()]);
		await expect.poll(() => queue.status.pending).toBe(0);
		expect(server.received).toHaveLength(3);
		expect(server.stored.sort()).toEqual(['a', 'b', 'c']);
	});

	it('keeps an entry the server refuses as failed with its error, and goes on with the rest', async () => {
		const server = fakeServer();
		const queue = makeQueue(new IDBFactory(), server);
		await queue.enqueue(run('bad'), 'bad run');
		await queue.drain();
		server.up = true;
		server.answer = new ApiRequestError(400, 'metrics.0.value: expected a number', 'invalid_request');
		await queue.retryNow();
		server.answer = undefined;
		await queue.enqueue(run('good'), 'good run');
		await expect.poll(() => queue.status.pending).toBe(0);
		expect(queue.status.failed.map((e) => [e.label, e.lastError, e.attempts])).toEqual([['bad run', 'metrics.0.value: expected a number', 2]]);
		expect(server.stored).toEqual(['good']);
		await queue.resend(queue.status.failed[0].seq);
		expect(server.stored).toEqual(['good', 'bad']);
		expect(queue.status.failed).toEqual([]);
	});

	it('holds entries on 401 and says a login is needed', async () => {
		const server = fakeServer();
		server.up = true;
		server.answer = new ApiRequestError(401, 'this API needs an API token', 'unauthenticated');
		const queue = makeQueue(new IDBFactory(), server);
		await queue.enqueue(run('a'), 'a');
		await queue.drain();
		expect(queue.status).toMatchObject({ pending: 1, unauthorized: true });
		server.answer = undefined;
		await queue.retryNow();
		expect(queue.status).toMatchObject({ pending: 0, unauthorized: false });
	});

	it('discard removes an entry for good', async () => {
		const server = fakeServer();
		const queue = makeQueue(new IDBFactory(), server);
		const entry = await queue.enqueue(run('a'), 'a');
		await queue.drain();
		await queue.discard(entry.seq);
		server.up = true;
		await queue.retryNow();
		expect(server.received).toEqual([]);
	});
});

describe('classify and backoff', () => {
	it('retries network failures and server errors, waits for a login on 401/403, gives up on other 4xx', () => {
		expect(classify(new TypeError('Failed to fetch'))).toBe('retry');
		expect(classify(new ApiRequestError(503, 'down'))).toBe('retry');
		expect(classify(new ApiRequestError(429, 'slow down'))).toBe('retry');
		expect(classify(new ApiRequestError(401, 'token'))).toBe('unauthorized');
		expect(classify(new ApiRequestError(403, 'role'))).toBe('unauthorized');
		expect(classify(new ApiRequestError(400, 'bad'))).toBe('refused');
		expect(classify(new ApiRequestError(404, 'gone'))).toBe('refused');
	});

	it('doubles the delay up to the cap, with jitter between half and all of it', () => {
		expect([1, 2, 3, 4, 10].map((n) => backoffDelay(n, 1000, 5000, () => 1))).toEqual([1000, 2000, 4000, 5000, 5000]);
		expect(backoffDelay(3, 1000, 60_000, () => 0)).toBe(2000);
	});
});
