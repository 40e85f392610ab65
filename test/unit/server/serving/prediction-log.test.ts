import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { threadId } from 'node:worker_threads';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PredictionLog, sampled, type PredictionBatch } from '#server/serving/prediction-log.ts';
import { LinesThread, predictionLines } from '#server/serving/prediction-lines.ts';

/** A request of `rows` rows. */
const request = (requestId: string, time: number, rows: number): PredictionBatch => ({
	request_id: requestId,
	time,
	model: 'churn',
	version: '1',
	route: 'direct',
	inputs: Array.from({ length: rows }, (_, i) => ({ x: i, padding: 'p'.repeat(200) })),
	outputs: Array.from({ length: rows }, (_, i) => ({ score: i / 10 })),
	latency_ms: 1.5
});

describe('prediction log files', () => {
	let dir: string;
	beforeEach(async () => {
		dir = await mkdtemp(join(tmpdir(), 'driftbook-predictions-'));
	});
	afterEach(() => rm(dir, { recursive: true, force: true }));

	it('appends a new part per flush, one folder per day, and never rewrites a part', async () => {
		const log = new PredictionLog({ dir, flushRows: 1_000_000 });
		const day1 = Date.UTC(2026, 11, 6, 23, 59);
		const day2 = Date.UTC(2026, 11, 7, 0, 1);
		log.append(request('a', day1, 2));
		await log.flush();
		const [first] = await log.partFiles('churn');
		const firstWritten = (await stat(first)).mtimeMs;
		log.append(request('b', day2, 1));
		await log.flush();
		expect(await readdir(join(dir, 'churn'))).toEqual(['2026-12-06', '2026-12-07']);
		const parts = await log.partFiles('churn');
		expect(parts).toHaveLength(2);
		expect((await stat(first)).mtimeMs).toBe(firstWritten);
		const snapshot = await log.snapshot('churn');
		expect(snapshot?.dataset).toMatchObject({ name: 'predictions/churn', version: 2, format: 'parquet' });
		await log.close();
	});

	it("stores each row's inputs and outputs as their JSON text, and no inputs where the request was not sampled", async () => {
		const log = new PredictionLog({ dir, flushRows: 1_000_000 });
		log.append(request('kept', 0, 2));
		log.append({ ...request('unsampled', 0, 1), inputs: null });
		const snapshot = await log.snapshot('churn');
		const db = await (await DuckDBInstance.create(':memory:')).connect();
		const read = await db.runAndReadAll(`SELECT request_id, row, inputs, outputs FROM read_parquet('${snapshot!.file}') ORDER BY request_id, row`);
		const rows = read.getRowObjectsJS();
		expect(rows.map((r) => [r.request_id, r.row, r.inputs === null ? null : JSON.parse(r.inputs as string), JSON.parse(r.outputs as string)])).toEqual([
			['kept', 0, { x: 0, padding: 'p'.repeat(200) }, { score: 0 }],
			['kept', 1, { x: 1, padding: 'p'.repeat(200) }, { score: 0.1 }],
			['unsampled', 0, null, { score: 0 }]
		]);
		db.closeSync();
		await log.close();
	});

	it('removes the oldest parts past the size cap, keeping the newest', async () => {
		const probe = new PredictionLog({ dir: join(dir, 'probe') });
		probe.append(request('p', 0, 50));
		const [one] = await probe.partFiles('churn');
		const partSize = (await stat(one)).size;
		await probe.close();

		// Room for about two parts: the third flush pushes the first out.
		const log = new PredictionLog({ dir, maxBytesPerModel: Math.floor(partSize * 2.5) });
		const written: string[] = [];
		for (const id of ['r1', 'r2', 'r3', 'r4']) {
			log.append(request(id, Date.UTC(2026, 11, 7), 50));
			await log.flush();
			written.push((await log.partFiles('churn')).at(-1)!);
		}
		const kept = await log.partFiles('churn');
		expect(kept).toEqual(written.slice(2));
		const snapshot = await log.snapshot('churn');
		expect(snapshot?.dataset.version).toBe(2);
		await log.close();
	});

	it('keeps the inputs of the sampled share of requests, decided by request id', () => {
		const ids = Array.from({ length: 2000 }, (_, i) => `request-${i}`);
		const kept = ids.filter((id) => sampled(id, 0.25)).length;
		// Binomial(2000, 0.25): mean 500, sd 19.4; four sd either side.
		expect(kept).toBeGreaterThan(500 - 4 * 19.4);
		expect(kept).toBeLessThan(500 + 4 * 19.4);
		expect(ids.every((id) => sampled(id, 0.25) === sampled(id, 0.25))).toBe(true);
		expect(ids.every((id) => sampled(id, 1))).toBe(true);
		expect(ids.some((id) => sampled(id, 0))).toBe(false);
	});

	it("builds a large flush's JSON text on another thread while the event loop keeps turning", async () => {
		// Every read of a row's `x` notes how many event-loop turns had passed: the old flush
		// built all 10,000 rows' text in one synchronous step, so every read saw the same turn.
		let turns = 0;
		let ticking = true;
		const tick = () => {
			turns++;
			if (ticking) setImmediate(tick);
		};
		setImmediate(tick);
		const seen = new Set<number>();
		const row = (i: number) => {
			const value = { padding: 'p'.repeat(20) } as Record<string, unknown>;
			Object.defineProperty(value, 'x', {
				enumerable: true,
				get: () => {
					seen.add(turns);
					return i;
				}
			});
			return value;
		};
		const log = new PredictionLog({ dir, flushRows: 1_000_000 });
		const batches: PredictionBatch[] = Array.from({ length: 20 }, (_, r) => ({
			...request(`r${r}`, Date.UTC(2026, 11, 7), 500),
			inputs: Array.from({ length: 500 }, (_, i) => row(r * 500 + i))
		}));
		for (const b of batches) log.append(b);
		await log.flush();
		ticking = false;

		expect(seen.size).toBeGreaterThan(1);
		expect(log.lines.lastThreadId).toBeGreaterThan(0);
		expect(log.lines.lastThreadId).not.toBe(threadId);
		const db = await (await DuckDBInstance.create(':memory:')).connect();
		const [part] = await log.partFiles('churn');
		const read = await db.runAndReadAll(`SELECT count(*)::INTEGER AS n, sum((inputs::JSON->>'x')::INTEGER)::BIGINT AS xs FROM read_parquet('${part}')`);
		expect(read.getRowObjectsJS()).toEqual([{ n: 10_000, xs: BigInt((9_999 * 10_000) / 2) }]);
		db.closeSync();
		await log.close();
	});

	it("writes from its thread the same text as the main thread's predictionLines", async () => {
		const batches: PredictionBatch[] = [
			{
				request_id: 'q"uote\\',
				time: 1_765_000_000_123,
				model: 'm\u2028odèl',
				version: '12',
				route: 'canary',
				inputs: [{ a: -0, b: NaN, c: 1e21, d: 'line\nbreak \u2028 \ud83d\ude00', e: null, f: [1, [2, { g: true }]], h: undefined }, [0.1, 0.2]],
				outputs: [
					{ label: 1, probabilities: [0.25, 0.75] },
					{ label: 'x', score: 5e-324 }
				],
				latency_ms: 0.30000000000000004
			},
			{ ...request('unsampled', 0, 3), inputs: null },
			request('plain', 1, 600)
		];
		const thread = new LinesThread();
		const path = join(dir, 'lines.ndjson');
		await thread.write(path, batches);
		expect(thread.lastThreadId).toBeGreaterThan(0);
		expect(await readFile(path, 'utf8')).toBe(predictionLines(batches));
		await thread.close();
	});
});
