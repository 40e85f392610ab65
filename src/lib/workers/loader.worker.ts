/**
 * The dataset loader worker: src/lib/ingest/loader/loader.ts off the main thread. Chunks and
 * encoded files cross as transferred buffers.
 */
import * as Comlink from 'comlink';
import { createLoader } from '#lib/ingest/loader/loader.ts';
import type { LoadChunk, LoaderApi } from './protocol';

const loader = createLoader();

function chunkBuffer(chunk: LoadChunk): ArrayBuffer {
	return (chunk.kind === 'csv' ? chunk.bytes : chunk.ipc).buffer as ArrayBuffer;
}

const api: LoaderApi = {
	open: (jobId, source, request, onProgress) => loader.open(jobId, source, request, onProgress),
	async next(jobId) {
		const chunk = await loader.next(jobId);
		return chunk && Comlink.transfer(chunk, [chunkBuffer(chunk)]);
	},
	close: (jobId) => loader.close(jobId),
	async encode(ipc, format, options) {
		const file = await loader.encode(ipc, format, options);
		return Comlink.transfer(file, [file.buffer as ArrayBuffer]);
	}
};

Comlink.expose(api);
