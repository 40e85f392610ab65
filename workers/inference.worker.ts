import * as Comlink from 'comlink';
import * as ort from 'onnxruntime-web/all';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';
import type { Backend, BackendPreference, InferenceApi, ModelInfo, TensorInfo } from './protocol';
import { CancelledError } from './protocol';

// Self-hosted: the one wasm file of the `all` bundle (WebGPU + WASM + ai.onnx.ml ops).
ort.env.wasm.wasmPaths = { wasm: ortWasm };
ort.env.wasm.numThreads = self.crossOriginIsolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1;

const sessions = new Map<string, ort.InferenceSession>();
/** Loaded models by URL and backend preference: re-running a cell reuses its session. */
const loaded = new Map<string, ModelInfo>();
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

async function createSession(bytes: Uint8Array, preference: BackendPreference) {
	let fallbackReason: string | undefined;
	if (preference !== 'wasm') {
		fallbackReason = await webgpuUnavailableReason();
		if (!fallbackReason) {
			try {
				const session = await ort.InferenceSession.create(bytes, { executionProviders: ['webgpu'] });
				return { session, backend: 'webgpu' as Backend };
			} catch (error) {
				fallbackReason = `WebGPU session failed: ${(error as Error).message}`;
			}
		}
		if (preference === 'webgpu') throw new Error(`WebGPU was requested but ${fallbackReason}`);
	} else {
		fallbackReason = 'WASM was requested';
	}
	const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
	return { session, backend: 'wasm' as Backend, fallbackReason };
}

const api: InferenceApi = {
	async load(url, preference) {
		const cacheKey = `${url}#${preference}`;
		const cached = loaded.get(cacheKey);
		if (cached) return cached;
		const response = await fetch(url);
		if (!response.ok) throw new Error(`model ${url}: HTTP ${response.status}`);
		const bytes = new Uint8Array(await response.arrayBuffer());
		const { session, backend, fallbackReason } = await createSession(bytes, preference);
		const key = cacheKey;
		sessions.set(key, session);
		const s = session as ort.InferenceSession & { inputMetadata?: unknown[]; outputMetadata?: unknown[] };
		const info: ModelInfo = {
			key,
			url,
			sizeBytes: bytes.byteLength,
			inputs: describe(session.inputNames, s.inputMetadata),
			outputs: describe(session.outputNames, s.outputMetadata),
			backend,
			fallbackReason,
			threads: backend === 'wasm' ? (ort.env.wasm.numThreads ?? 1) : 0
		};
		loaded.set(cacheKey, info);
		return info;
	},

	async run(key, input, { jobId, batchSize }, onProgress) {
		const session = sessions.get(key);
		if (!session) throw new Error(`no loaded model ${key}`);
		const { rows, columns, data } = input;
		if (data.length !== rows * columns) throw new Error(`input has ${data.length} values, expected ${rows} × ${columns}`);
		const collected = new Map<string, { parts: Float32Array[]; width: number }>();
		let inferenceMs = 0;
		try {
			for (let start = 0; start < rows; start += batchSize) {
				if (cancelled.has(jobId)) throw new CancelledError();
				const end = Math.min(rows, start + batchSize);
				const tensor = new ort.Tensor('float32', data.subarray(start * columns, end * columns), [end - start, columns]);
				const t0 = performance.now();
				const result = await session.run({ [input.name]: tensor });
				inferenceMs += performance.now() - t0;
				for (const name of session.outputNames) {
					const out = result[name];
					const values = out.data instanceof Float32Array ? out.data : Float32Array.from(out.data as ArrayLike<number>);
					const entry = collected.get(name) ?? { parts: [], width: values.length / (end - start) };
					entry.parts.push(values.slice());
					collected.set(name, entry);
				}
				onProgress?.(end);
			}
		} finally {
			cancelled.delete(jobId);
		}
		const outputs: Record<string, { data: Float32Array; dims: number[] }> = {};
		const transfer: ArrayBuffer[] = [];
		for (const [name, { parts, width }] of collected) {
			const data = new Float32Array(rows * width);
			let offset = 0;
			for (const part of parts) {
				data.set(part, offset);
				offset += part.length;
			}
			outputs[name] = { data, dims: [rows, width] };
			transfer.push(data.buffer);
		}
		return Comlink.transfer({ outputs, inferenceMs }, transfer);
	},

	cancel(jobId) {
		cancelled.add(jobId);
	}
};

Comlink.expose(api);
