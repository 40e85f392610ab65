/**
 * Loads models (ONNX in onnxruntime-web, TensorFlow.js layers models) and runs them in batches,
 * keeping sessions by source and backend so a re-run reuses them; the parity check runs a sample
 * on every backend. The inference worker (src/lib/workers/inference.worker.ts) exposes it.
 */
import type { Backend, BackendRun, InferenceApi, ModelInfo, ModelSource, TensorData, BackendPreference } from './model-api';
import { CancelledError } from './model-api';
import { defaultOpset, readOnnxMetadata } from './onnx-metadata';
import { createOnnx, describe, onnxRunner, onnxSession, wasmThreads, webgpuUnavailableReason, type Runner } from './onnx-session';
import { exclusive, timed } from './run-queue';
import type { TfjsModel } from './tfjs-model';
import type * as ort from 'onnxruntime-web/wasm';

interface Loaded {
	info: ModelInfo;
	/** ONNX bytes, kept so the parity check can open the model on another backend. */
	bytes?: Uint8Array;
	tfjs?: TfjsModel;
	runner: Runner;
	/** Sessions on other backends, made by the parity check and kept for re-runs. */
	others: Map<string, Runner>;
}

/** A cheap content fingerprint: dropped files with the same name must not share a session. */
function fingerprint(bytes: Uint8Array): string {
	let hash = 0x811c9dc5;
	for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
	return `${bytes.length}:${(hash >>> 0).toString(16)}`;
}

async function fetchBytes(url: string, name: string, headers?: Record<string, string>): Promise<Uint8Array> {
	const response = await fetch(url, { headers });
	if (!response.ok) throw new Error(`model ${name}: no model file at ${url} (HTTP ${response.status} ${response.statusText}`.trim() + ')');
	// A page route can answer for a path under /models/ (the registry's /models/<name>): a web page is never a model.
	if (response.headers.get('content-type')?.startsWith('text/html'))
		throw new Error(`model ${name}: no model file at ${url} (the server answered with a web page)`);
	return new Uint8Array(await response.arrayBuffer());
}

function looksLikeJson(bytes: Uint8Array): boolean {
	for (const byte of bytes.subarray(0, 64)) {
		if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue;
		return byte === 0x7b; // '{'
	}
	return false;
}

async function loadTfjs(source: ModelSource, bytes: Uint8Array, preference: BackendPreference): Promise<Omit<Loaded, 'others'>> {
	if (source.kind === 'bytes' && !source.weights) {
		throw new Error(`model ${source.name}: a TensorFlow.js model.json needs its weight files: drop it together with its .bin files, or give its URL`);
	}
	const { loadTfjsModel, tfjsWasmThreads } = await import('./tfjs-model');
	const model = await loadTfjsModel(
		source.kind === 'url' ? { url: source.url, headers: source.headers } : { json: bytes, weights: source.weights! },
		bytes,
		preference,
		source.name
	);
	const info: ModelInfo = {
		key: '',
		name: source.name,
		format: 'tfjs',
		sizeBytes: model.sizeBytes,
		inputs: model.inputs,
		outputs: model.outputs,
		backend: model.backend,
		fallbackReason: model.fallbackReason,
		threads: model.backend === 'wasm' ? tfjsWasmThreads() : 1
	};
	return { info, tfjs: model, runner: { backend: model.backend, run: (input) => timed(() => model.run(input)) } };
}

async function loadOnnx(source: ModelSource, bytes: Uint8Array, preference: BackendPreference): Promise<Omit<Loaded, 'others'>> {
	let meta;
	try {
		meta = readOnnxMetadata(bytes);
	} catch (error) {
		throw new Error(`model ${source.name}: ${(error as Error).message}; expected an .onnx file or a TensorFlow.js model.json`, { cause: error });
	}
	const { opened, backend, fallbackReason } = await createOnnx(bytes, preference).catch((error: Error) => {
		throw new Error(`model ${source.name}: onnxruntime could not open it: ${error.message}`);
	});
	const { session } = opened;
	const s = session as ort.InferenceSession & { inputMetadata?: unknown[]; outputMetadata?: unknown[] };
	const info: ModelInfo = {
		key: '',
		name: source.name,
		format: 'onnx',
		sizeBytes: bytes.byteLength,
		inputs: describe(session.inputNames, s.inputMetadata),
		outputs: describe(session.outputNames, s.outputMetadata),
		opset: defaultOpset(meta),
		opsets: meta.opsets,
		producer: meta.producer || undefined,
		backend,
		fallbackReason,
		threads: backend === 'wasm' ? wasmThreads : 0
	};
	return { info, bytes, runner: onnxRunner(opened, backend) };
}

/** A service with no model loaded yet. */
export function createInference(): InferenceApi {
	/** Loaded models by source and backend preference: re-running a cell reuses its session. */
	const loaded = new Map<string, Loaded>();
	const cancelled = new Set<string>();
	const entry = (key: string): Loaded => {
		const model = loaded.get(key);
		if (!model) throw new Error(`no loaded model ${key}`);
		return model;
	};
	const api: InferenceApi = {
		async load(source, preference) {
			const bytes = source.kind === 'url' ? await fetchBytes(source.url, source.name, source.headers) : source.bytes;
			const weights = source.kind === 'bytes' && source.weights ? Object.values(source.weights).map(fingerprint).join(',') : '';
			const key = `${source.kind === 'url' ? source.url : source.name}#${fingerprint(bytes)}${weights}#${preference}`;
			const cached = loaded.get(key);
			if (cached) return cached.info;
			const made = looksLikeJson(bytes) ? await exclusive(() => loadTfjs(source, bytes, preference)) : await loadOnnx(source, bytes, preference);
			made.info.key = key;
			loaded.set(key, { ...made, others: new Map() });
			return made.info;
		},

		async run(key, input, { jobId, batchSize }, onProgress) {
			const { runner } = entry(key);
			const { rows, columns, data } = input;
			if (data.length !== rows * columns) throw new Error(`input has ${data.length} values, expected ${rows} × ${columns}`);
			const collected = new Map<string, { parts: Float32Array[]; width: number; type: string }>();
			let inferenceMs = 0;
			try {
				for (let start = 0; start < rows; start += batchSize) {
					if (cancelled.has(jobId)) throw new CancelledError();
					const end = Math.min(rows, start + batchSize);
					const { outputs: result, ms } = await runner.run({
						name: input.name,
						data: data.subarray(start * columns, end * columns),
						rows: end - start,
						columns
					});
					inferenceMs += ms;
					for (const [name, out] of Object.entries(result)) {
						const part = collected.get(name) ?? { parts: [], width: out.data.length / (end - start), type: out.type };
						part.parts.push(out.data);
						collected.set(name, part);
					}
					onProgress?.(end);
				}
			} finally {
				cancelled.delete(jobId);
			}
			const outputs: Record<string, TensorData> = {};
			for (const [name, { parts, width, type }] of collected) {
				const joined = new Float32Array(rows * width);
				let offset = 0;
				for (const part of parts) {
					joined.set(part, offset);
					offset += part.length;
				}
				outputs[name] = { data: joined, dims: width === 1 && parts.length > 0 ? [rows, 1] : [rows, width], type };
			}
			return { outputs, inferenceMs };
		},

		async parity(key, input) {
			const model = entry(key);
			const backends: Array<Backend | 'cpu'> = model.info.format === 'tfjs' ? ['webgpu', 'wasm', 'cpu'] : ['webgpu', 'wasm'];
			const runs: BackendRun[] = [];
			for (const backend of backends) {
				let runner = backend === model.runner.backend ? model.runner : model.others.get(backend);
				if (!runner) {
					const reason = backend === 'webgpu' ? ((await webgpuUnavailableReason()) ?? model.tfjs?.webgpuSkipReason) : undefined;
					if (reason) {
						runs.push({ backend, available: false, reason });
						continue;
					}
					try {
						runner = model.tfjs
							? { backend, run: (i) => timed(() => model.tfjs!.runOn(backend, i)) }
							: onnxRunner(await onnxSession(model.bytes!, backend as Backend), backend as Backend);
					} catch (error) {
						runs.push({ backend, available: false, reason: `session failed: ${(error as Error).message}` });
						continue;
					}
					model.others.set(backend, runner);
				}
				const { outputs, ms } = await runner.run(input);
				runs.push({ backend, available: true, outputs, ms });
			}
			return runs;
		},

		cancel(jobId) {
			cancelled.add(jobId);
		}
	};
	return api;
}
