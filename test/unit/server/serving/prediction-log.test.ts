import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PredictionLog, sampled, type PredictionRow } from '#server/serving/prediction-log.ts';

const row = (requestId: string, time: number, i: number): PredictionRow => ({
	request_id: requestId,
	time,
	model: 'churn',
	version: '1',
	route: 'direct',
	row: i,
	inputs: JSON.stringify({ x: i, padding: 'p'.repeat(200) }),
	outputs: JSON.stringify({ score: i / 10 }),
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
		log.append([row('a', day1, 0), row('a', day1, 1)]);
		await log.flush();
		const [first] = await log.partFiles('churn');
		const firstWritten = (await stat(first)).mtimeMs;
		log.append([row('b', day2, 0)]);
		await log.flush();
		expect(await readdir(join(dir, 'churn'))).toEqual(['2026-12-06', '2026-12-07']);
		const parts = await log.partFiles('churn');
		expect(parts).toHaveLength(2);
		expect((await stat(first)).mtimeMs).toBe(firstWritten);
		const snapshot = await log.snapshot('churn');
		expect(snapshot?.dataset).toMatchObject({ name: 'predictions/churn', version: 2, format: 'parquet' });
		await log.close();
	});

	it('removes the oldest parts past the size cap, keeping the newest', async () => {
		const probe = new PredictionLog({ dir: join(dir, 'probe') });
		probe.append(Array.from({ length: 50 }, (_, i) => row('p', 0, i)));
		const [one] = await probe.partFiles('churn');
		const partSize = (await stat(one)).size;
		await probe.close();

		// Room for about two parts: the third flush pushes the first out.
		const log = new PredictionLog({ dir, maxBytesPerModel: Math.floor(partSize * 2.5) });
		const written: string[] = [];
		for (const id of ['r1', 'r2', 'r3', 'r4']) {
			log.append(Array.from({ length: 50 }, (_, i) => row(id, Date.UTC(2026, 11, 7), i)));
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
});
