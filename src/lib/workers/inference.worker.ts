/**
 * The inference worker: src/lib/inference/model-service.ts off the main thread. Input tensors
 * arrive and outputs leave as transferred buffers.
 */
import * as Comlink from 'comlink';
import { createInference } from '#lib/inference/model-service.ts';
import type { InferenceApi } from './protocol';

const inference = createInference();

const api: InferenceApi = {
	load: (source, preference) => inference.load(source, preference),
	async run(key, input, options, onProgress) {
		const result = await inference.run(key, input, options, onProgress);
		return Comlink.transfer(
			result,
			Object.values(result.outputs).map((output) => output.data.buffer as ArrayBuffer)
		);
	},
	parity: (key, input) => inference.parity(key, input),
	cancel: (jobId) => inference.cancel(jobId)
};

Comlink.expose(api);
