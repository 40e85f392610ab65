/**
 * ONNX models in onnxruntime-web: which build runs on which backend, and opening a session on
 * WebGPU or WASM (with the reason when WebGPU is not used).
 */
import * as ort from 'onnxruntime-web/wasm';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import ortJsepWasm from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';
import type { Backend, BackendPreference, ModelInput, TensorData, TensorInfo } from './model-api';
import { exclusive, timed } from './run-queue';

/*
 * Two builds of onnxruntime-web, both self-hosted. The WASM backend runs on the plain build
 * (ai.onnx.ml ops included): the `all` bundle's JSEP wasm is compiled with Asyncify for WebGPU,
 * and its CPU kernels ran 5-10× slower (bench: the churn MLP 29 ms vs 2.9 ms per 10,000 rows).
 * The `all` bundle is loaded only when a WebGPU session is made.
 */
export const wasmThreads = self.crossOriginIsolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1;
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
export interface Runner {
	backend: Backend | 'cpu';
	run(input: ModelInput): Promise<{ outputs: Record<string, TensorData>; ms: number }>;
}

export async function webgpuUnavailableReason(): Promise<string | undefined> {
	const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
	if (!gpu) return 'this browser has no WebGPU (navigator.gpu is missing)';
	try {
		if (!(await gpu.requestAdapter())) return 'WebGPU is present but no GPU adapter is available';
	} catch (error) {
		return `WebGPU adapter request failed: ${(error as Error).message}`;
	}
	return undefined;
}

export function describe(names: readonly string[], metadata: readonly unknown[] | undefined): TensorInfo[] {
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

export function onnxRunner({ session, runtime }: { session: ort.InferenceSession; runtime: Ort }, backend: Backend): Runner {
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

export async function onnxSession(bytes: Uint8Array, backend: Backend) {
	const runtime = await ortFor(backend);
	const session = await exclusive(() => runtime.InferenceSession.create(bytes, { executionProviders: [backend] }));
	return { session, runtime };
}

/** WebGPU first unless WASM is asked for; the reason when WebGPU is not used. */
export async function createOnnx(bytes: Uint8Array, preference: BackendPreference) {
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
