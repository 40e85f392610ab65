import * as Comlink from 'comlink';
import * as ort from 'onnxruntime-web/wasm';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import ortJsepWasm from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';
import type { Backend, BackendPreference, BackendRun, InferenceApi, ModelInfo, ModelInput, ModelSource, TensorData, TensorInfo } from './protocol';
import { CancelledError } from './protocol';
import { defaultOpset, readOnnxMetadata } from '#lib/inference/onnx-metadata.ts';
import type { TfjsModel } from './tfjs-model';

/*
 * Two builds of onnxruntime-web, both self-hosted. The WASM backend runs on the plain build
 * (ai.onnx.ml ops included): the `all` bundle's JSEP wasm is compiled with Asyncify for WebGPU,
 * and its CPU kernels ran 5-10× slower (bench: the churn MLP 29 ms vs 2.9 ms per 10,000 rows).
 * The `all` bundle is loaded only when a WebGPU session is made.
 */
const wasmThreads = self.crossOriginIsolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1;
ort.env.wasm.wasmPaths = { wasm: ortWasm };
ort.env.wasm.numThreads = wasmThreads;

type Ort = typeof ort;
let webgpuOrt: Promise<Ort> | undefined;
function ortFor(backend: Backend): Promise<Ort> {
	if (backend === 'wasm') return Promise.resolve(ort);
	webgpuOrt ??= import('onnxruntime-web/all').then((all) => {
		all.env.wasm.wasmPaths = { wasm: ortJsepWasm };
		all.env.wasm.numThreads = wasmThreads;
		return all;
	});
	return webgpuOrt;
}

/** Runs one batch on one backend; `ms` is the model's own time, not the wait for the queue. */
interface Runner {
	backend: Backend | 'cpu';
	run(input: ModelInput): Promise<{ outputs: Record<string, TensorData>; ms: number }>;
}

interface Loaded {
	info: ModelInfo;
	/** ONNX bytes, kept so the parity check can open the model on another backend. */
	bytes?: Uint8Array;
	tfjs?: TfjsModel;
	runner: Runner;
	/** Sessions on other backends, made by the parity check and kept for re-runs. */
	others: Map<string, Runner>;
}

/**
 * ORT's WebGPU backend runs one session at a time ("Session already started" otherwise), and
 * TF.js switches a global backend: every model call in this worker goes through this queue.
 */
let queue: Promise<unknown> = Promise.resolve();
function exclusive<T>(work: () => Promise<T>): Promise<T> {
	const next = queue.then(work, work);
	queue = next.catch(() => {});
	return next;
}

/** Runs `work` in the queue and times it once it starts. */
function timed<T>(work: () => Promise<T>): Promise<{ outputs: T; ms: number }> {
	return exclusive(async () => {
		const t0 = performance.now();
		const outputs = await work();
		return { outputs, ms: performance.now() - t0 };
	});
}

/** Loaded models by source and backend preference: re-running a cell reuses its session. */
const loaded = new Map<string, Loaded>();
const cancelled = new Set<string>();

async function webgpuUnavailableReason(): Promise<string | undefined> {
	const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
	if (!gpu) return 'this browser has no WebGPU (navigator.gpu is missing)';
	try {
		if (!(await gpu.requestAdapter())) return 'WebGPU is present but no GPU adapter is available';
	} catch (error) {
		return `WebGPU adapter request failed: ${(error as Error).message}`;
	}
	return undefined;
}

function describe(names: readonly string[], metadata: readonly unknown[] | undefined): TensorInfo[] {
	return names.map((name, i) => {
		const meta = metadata?.[i] as { type?: string; shape?: Array<number | string> } | undefined;
		return { name, type: meta?.type ?? 'unknown', shape: meta?.shape ?? [] };
	});
}

function asFloat32(data: ort.Tensor['data']): Float32Array {
	// CPU outputs are already copies out of the wasm heap: no second copy.
	if (data instanceof Float32Array) return data;
	if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Float32Array.from(data, Number);
	return Float32Array.from(data as ArrayLike<number>);
}

function onnxRunner({ session, runtime }: { session: ort.InferenceSession; runtime: Ort }, backend: Backend): Runner {
	return {
		backend,
		async run(input) {
			const tensor = new runtime.Tensor('float32', input.data, [input.rows, input.columns]);
			const { outputs: result, ms } = await timed(() => session.run({ [input.name]: tensor }));
			const outputs: Record<string, TensorData> = {};
			for (const name of session.outputNames) {
				const out = result[name];
				outputs[name] = { data: asFloat32(out.data), dims: [...out.dims], type: out.type };
			}
			return { outputs, ms };
		}
	};
}

async function onnxSession(bytes: Uint8Array, backend: Backend) {
	const runtime = await ortFor(backend);
	const session = await exclusive(() => runtime.InferenceSession.create(bytes, { executionProviders: [backend] }));
	return { session, runtime };
}

/** WebGPU first unless WASM is asked for; the reason when WebGPU is not used. */
async function createOnnx(bytes: Uint8Array, preference: BackendPreference) {
	let fallbackReason: string | undefined;
	if (preference !== 'wasm') {
		fallbackReason = await webgpuUnavailableReason();
		if (!fallbackReason) {
			try {
				const opened = await onnxSession(bytes, 'webgpu');
				return { opened, backend: 'webgpu' as Backend };
			} catch (error) {
				fallbackReason = `WebGPU session failed: ${(error as Error).message}`;
			}
		}
		if (preference === 'webgpu') throw new Error(`WebGPU was requested but ${fallbackReason}`);
	} else {
		fallbackReason = 'WASM was requested';
	}
	const opened = await onnxSession(bytes, 'wasm');
	return { opened, backend: 'wasm' as Backend, fallbackReason };
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
	if (response.headers.get('content-type')?.startsWith('text/html')) throw new Error(`model ${name}: no model file at ${url} (the server answered with a web page)`);
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
	const model = await loadTfjsModel(source.kind === 'url' ? { url: source.url, headers: source.headers } : { json: bytes, weights: source.weights! }, bytes, preference, source.name);
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
		throw new Error(`model ${source.name}: ${(error as Error).message}; expected an .onnx file or a TensorFlow.js model.json`);
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

function entry(key: string): Loaded {
	const model = loaded.get(key);
	if (!model) throw new Error(`no loaded model ${key}`);
	return model;
}

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
				const { outputs: result, ms } = await runner.run({ name: input.name, data: data.subarray(start * columns, end * columns), rows: end - start, columns });
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
		const transfer: ArrayBuffer[] = [];
		for (const [name, { parts, width, type }] of collected) {
			const joined = new Float32Array(rows * width);
			let offset = 0;
			for (const part of parts) {
				joined.set(part, offset);
				offset += part.length;
			}
			outputs[name] = { data: joined, dims: width === 1 && parts.length > 0 ? [rows, 1] : [rows, width], type };
			transfer.push(joined.buffer);
		}
		return Comlink.transfer({ outputs, inferenceMs }, transfer);
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

Comlink.expose(api);
