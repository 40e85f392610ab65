/**
 * The stats worker's multivariate path (createStatsService().multivariateDrift, as the multivariate
 * cell calls it through Comlink): Arrow IPC in, the method the cell names, the same numbers as the
 * library run on the same rows, chunks by calendar week of a time column, progress per tree of
 * every fold and chunk, and cancel by job id.
 */
import { describe, expect, it } from 'vitest';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { createStatsService } from '#lib/stats/service/stats-service.ts';
import type { MultivariateRequest } from '#lib/stats/service/chunked-analyses.ts';
import { periodChunks } from '#lib/stats/chunks/index.ts';
import { domainClassifierDrift, reconstructionDrift, type FeatureTable } from '#lib/stats/multivariate/index.ts';
import { mulberry32 } from '../../../support/mulberry32';

const DAY = 86_400_000;
const FEATURES = ['a', 'b', 'colour'];

/** `n` rows over `days` days from `start`; in the analysis `shift` moves a and flips b's sign against a. */
function rows(n: number, seed: number, start: number, days: number, shift: number) {
	const random = mulberry32(seed);
	const a = Float64Array.from({ length: n }, () => random() + shift);
	const b = Float64Array.from(a, (x) => (shift > 0 ? -x : x) + 0.3 * random());
	b[3] = NaN;
	const colour = Array.from({ length: n }, (_, i) => (i === 5 ? null : ['red', 'green', 'blue'][Math.floor(random() * 3)]));
	const time = Float64Array.from({ length: n }, (_, i) => start + Math.floor((i * days * DAY) / n));
	return { a, b, colour, time };
}

const reference = rows(300, 1, Date.UTC(2026, 0, 5), 21, 0);
const analysis = rows(200, 2, Date.UTC(2026, 0, 26), 14, 0.4);
const ipc = (r: ReturnType<typeof rows>) => tableToIPC(tableFromArrays({ a: r.a, b: r.b, colour: r.colour, t: r.time }), 'stream');
const features = (r: ReturnType<typeof rows>): FeatureTable => ({ a: r.a, b: r.b, colour: r.colour });

function request(method: MultivariateRequest['method'], jobId = crypto.randomUUID()): MultivariateRequest {
	return { jobId, method, chunking: { chunkSize: 100 }, features: FEATURES };
}

describe('multivariate drift in the stats worker', () => {
	it('runs the domain classifier on Arrow IPC and gives the library’s own result on the same rows, with progress per tree', async () => {
		const seen: [number, number][] = [];
		const { result, times } = await createStatsService().multivariateDrift(ipc(reference), ipc(analysis), request('domain_classifier'), (done, total) =>
			seen.push([done, total])
		);
		const expected = await domainClassifierDrift(features(reference), features(analysis), { features: FEATURES, chunking: { chunkSize: 100 } });
		expect(result).toEqual(expected);
		expect(result.method).toBe('domain_classifier');
		// 3 reference and 2 analysis chunks, 5 folds, 100 trees each.
		expect(seen).toHaveLength(5 * 5 * 100);
		expect(seen.at(-1)).toEqual([2500, 2500]);
		expect(times).toEqual([null, null, null, null, null]);
	});

	it('chunks by calendar week of the time column and dates every chunk', async () => {
		const byWeek: MultivariateRequest = { ...request('domain_classifier'), chunking: { period: 'week' }, timeColumn: 't' };
		const { result, times } = await createStatsService().multivariateDrift(ipc(reference), ipc(analysis), byWeek);
		const chunks = { reference: periodChunks(reference.time, 'week'), analysis: periodChunks(analysis.time, 'week') };
		expect(result).toEqual(await domainClassifierDrift(features(reference), features(analysis), { features: FEATURES, chunks }));
		expect(result.chunks.map((c) => c.key)).toEqual([...chunks.reference, ...chunks.analysis].map((c) => c.key));
		expect(times[0]).toEqual({ start: reference.time[0], end: reference.time[chunks.reference[0].end_index] });
	});

	it('still runs PCA reconstruction when the cell names it', async () => {
		const { result } = await createStatsService().multivariateDrift(ipc(reference), ipc(analysis), request('pca_reconstruction'));
		expect(result).toEqual(reconstructionDrift(features(reference), features(analysis), { features: FEATURES, chunking: { chunkSize: 100 } }));
	});

	it('stops a domain classifier job when it is cancelled by its id, at the next tree', async () => {
		const service = createStatsService();
		const job = request('domain_classifier');
		let calls = 0;
		const run = service.multivariateDrift(ipc(reference), ipc(analysis), job, () => {
			calls++;
			service.cancel(job.jobId);
		});
		await expect(run).rejects.toMatchObject({ name: 'AbortError' });
		expect(calls).toBe(1);
	});
});
