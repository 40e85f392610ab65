/**
 * A notebook's first data cell runs while DuckDB is still starting (its WASM compiles): the data
 * cell must not wait for DuckDB to begin reading. Here the real loader reads a CSV over real HTTP
 * while `services.db()` has not answered; DuckDB then fails to start, and the cell reports that.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataCell } from '#lib/cells/data/data.ts';
import type { CellServices } from '#lib/cells/core/types.ts';
import { createLoader, type LoaderApi } from '#lib/ingest/loader/loader.ts';
import type { LoadChunk } from '#lib/ingest/load-plan.ts';
import type { Spawned } from '#lib/workers/spawn.ts';

const ROWS = 500;
const CSV = ['id,value', ...Array.from({ length: ROWS }, (_, i) => `${i + 1},${(i * 0.5).toFixed(1)}`)].join('\n') + '\n';

let server: Server;
let base: string;
beforeAll(async () => {
	server = createServer((_request, response) => {
		response.writeHead(200, { 'content-type': 'text/csv', 'content-length': Buffer.byteLength(CSV) });
		response.end(CSV);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('data cell start-up', () => {
	it('opens a download and reads its first chunk before DuckDB has started', { timeout: 30_000 }, async () => {
		const loader = createLoader();
		let firstChunk!: (chunk: LoadChunk | null) => void;
		const chunkRead = new Promise<LoadChunk | null>((resolve) => (firstChunk = resolve));
		// The real loader, in this thread instead of its worker; the cell's first `next` is recorded.
		const api: LoaderApi = {
			...loader,
			async next(jobId) {
				const chunk = await loader.next(jobId);
				firstChunk(chunk);
				return chunk;
			}
		};
		let failToStart!: (error: Error) => void;
		const duckdbStarting = new Promise<never>((_resolve, reject) => (failToStart = reject));
		const services = {
			db: () => duckdbStarting,
			loader: async () => ({ api, crashed: new Promise<never>(() => {}), terminate() {} }) as unknown as Spawned<LoaderApi>,
			resolveUrl: (path: string) => new URL(path, base).href,
			trusted: () => true
		} as unknown as CellServices;
		const cell = { kind: 'data', name: 'events', attrs: {}, source: 'url: /events.csv' };

		const run = dataCell.run(cell, {}, services, { signal: new AbortController().signal, progress: () => {} });
		run.catch(() => {});
		const chunk = await chunkRead;
		expect(chunk).toMatchObject({ kind: 'csv', records: ROWS, firstLine: 2 });

		failToStart(new Error('DuckDB failed to start (test)'));
		await expect(run).rejects.toThrow('DuckDB failed to start (test)');
	});
});
