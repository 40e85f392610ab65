import { describe, expect, it } from 'vitest';
import { RecordBatchStreamWriter, tableFromArrays } from 'apache-arrow';
import { arrowJob } from '#lib/ingest/formats/arrow-ipc.ts';
import { ndjsonStreamJob } from '#lib/ingest/formats/json.ts';
import type { ByteSource } from '#lib/ingest/sources/byte-source.ts';

/**
 * A download of `size` bytes whose host sends `parts` and then stalls until `release()` (after
 * which the body ends early: the test never needs the rest).
 */
function stallingDownload(parts: Uint8Array[], size: number): { source: ByteSource; release: () => void } {
	let release!: () => void;
	const released = new Promise<void>((resolve) => (release = resolve));
	const queue = [...parts];
	return {
		source: {
			size,
			async read(max) {
				const part = queue.shift();
				if (!part) {
					await released;
					return null;
				}
				if (part.byteLength > max) queue.unshift(part.subarray(max));
				return part.subarray(0, max);
			},
			cancel: release
		},
		release
	};
}

const bytes = (text: string) => new TextEncoder().encode(text);

// Without a flush on a stalled download, next() waits for bytes the host holds back: these hang.
describe('a streamed download that stalls still hands over the rows it has', () => {
	it('NDJSON: the whole lines that arrived after the sample', async () => {
		const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `{"id":${from + i}}\n`).join('');
		const sample = bytes(lines(0, 100));
		const { source, release } = stallingDownload([bytes(lines(100, 250))], 1 << 20);
		const { job } = await ndjsonStreamJob(source, sample, false, { onError: 'stop' });
		const first = await job.next();
		expect(first).toMatchObject({ kind: 'arrow', rows: 250, rowsTotal: null, bytesDone: sample.byteLength + lines(100, 250).length, bytesTotal: 1 << 20 });
		release();
	});

	it('Arrow IPC stream: the record batches that arrived', async () => {
		const ids = Int32Array.from({ length: 3000 }, (_, i) => i);
		const table = tableFromArrays({ id: ids });
		const batches = [0, 1000, 2000].flatMap((start) => table.slice(start, start + 1000).batches);
		const stream = RecordBatchStreamWriter.writeAll(batches).toUint8Array(true);
		// The host sends all but the last few bytes (the end-of-stream marker), then stalls.
		const sent = stream.subarray(0, stream.byteLength - 8);
		const sample = sent.subarray(0, 200);
		const { source, release } = stallingDownload([sent.subarray(200)], stream.byteLength);
		const { job } = await arrowJob(source, sample, false, () => Promise.reject(new Error('not read whole')));
		const first = await job.next();
		// The first batch came with the sample; at least one more came after it (Arrow's reader
		// yields a batch once it has seen the next message start, so the last may wait).
		expect(first).toMatchObject({ kind: 'arrow', rowsTotal: null, bytesDone: sent.byteLength });
		expect(first?.kind === 'arrow' && first.rows).toBeGreaterThanOrEqual(2000);
		release();
	});
});
