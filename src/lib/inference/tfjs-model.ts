// TensorFlow.js layers models (model.json + weight shards) for the inference worker, imported
// only when a cell loads one. Backends in order: WebGPU, WASM (XNNPACK), CPU, with the reason
// a faster one was not used.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import tfjsWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import tfjsWasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import type { BackendPreference, ModelInput, TensorData, TensorInfo } from './model-api';

/*
 * Self-hosted binaries, one URL per file (no CDN). The threaded SIMD build is not used: on the
 * cross-origin isolated app page its pthread workers threw and took the inference worker down
 * (an uncaught ErrorEvent; it starts them from its factory function's `toString()`, which does
 * not survive the app's bundling). The single-thread SIMD build runs instead; the threaded file
 * name maps to it so no 10 MB file ships that never loads.
 */
setWasmPaths({ 'tfjs-backend-wasm.wasm': tfjsWasm, 'tfjs-backend-wasm-simd.wasm': tfjsWasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': tfjsWasmSimd });
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

export type TfjsBackend = 'webgpu' | 'wasm' | 'cpu';

/** Bytes of a model the user dropped: model.json plus its weight files by name. */
export interface TfjsFiles {
	json: Uint8Array;
	weights: Record<string, Uint8Array>;
}

export interface TfjsModel {
	backend: TfjsBackend;
	fallbackReason?: string;
	sizeBytes: number;
	/** Why the parity check skips WebGPU: a software adapter compiles each TF.js program for minutes. */
	webgpuSkipReason?: string;
	inputs: TensorInfo[];
	outputs: TensorInfo[];
	run(input: ModelInput): Promise<Record<string, TensorData>>;
	/** Runs on another backend (the parity check), then returns to the model's own. */
	runOn(backend: string, input: ModelInput): Promise<Record<string, TensorData>>;
}

interface ModelJson {
	format?: string;
	modelTopology?: unknown;
	weightsManifest?: Array<{ paths: string[]; weights: Array<{ shape: number[]; dtype: string }> }>;
}

const BYTES_PER_VALUE: Record<string, number> = { float32: 4, int32: 4, bool: 1, float16: 2, uint8: 1 };

function parseModelJson(bytes: Uint8Array, name: string): ModelJson {
	let json: ModelJson;
	try {
		json = JSON.parse(new TextDecoder().decode(bytes)) as ModelJson;
	} catch (error) {
		throw new Error(`model ${name}: not valid JSON (${(error as Error).message})`, { cause: error });
	}
	if (json.format !== 'layers-model' || !json.modelTopology || !json.weightsManifest) {
		throw new Error(`model ${name}: not a TensorFlow.js layers model (expected "format": "layers-model", modelTopology and weightsManifest)`);
	}
	return json;
}

/**
 * TF.js compiles a WebGPU program per op and shape: on a software adapter (SwiftShader) that is
 * far slower than its CPU backend, so `auto` does not pick it (the parity check still runs it).
 */
async function softwareAdapterReason(): Promise<string | undefined> {
	const gpu = (
		navigator as unknown as {
			gpu?: { requestAdapter(): Promise<{ isFallbackAdapter?: boolean; info?: { isFallbackAdapter?: boolean; description?: string } } | null> };
		}
	).gpu;
	const adapter = await gpu?.requestAdapter();
	if (adapter && (adapter.isFallbackAdapter || adapter.info?.isFallbackAdapter)) {
		return `the only WebGPU adapter is a software fallback${adapter.info?.description ? ` (${adapter.info.description})` : ''}, slower than TensorFlow.js on the CPU`;
	}
	return undefined;
}

/** Starts TF.js's WASM backend; the reason when it cannot run here. */
async function wasmUnavailableReason(): Promise<string | undefined> {
	try {
		if (await tf.setBackend('wasm')) return undefined;
		return 'TensorFlow.js could not start its WASM backend';
	} catch (error) {
		return `TensorFlow.js WASM backend failed: ${(error as Error).message}`;
	}
}

/** WebGPU, then WASM, then the CPU backend; with why each faster one was not used. */
async function chooseBackend(preference: BackendPreference): Promise<{ backend: TfjsBackend; fallbackReason?: string }> {
	const reasons: string[] = [];
	if (preference === 'wasm') {
		reasons.push('WASM was requested');
	} else {
		try {
			const software = preference === 'auto' ? await softwareAdapterReason() : undefined;
			if (software) reasons.push(software);
			else if (await tf.setBackend('webgpu')) {
				await tf.ready();
				return { backend: 'webgpu' };
			} else reasons.push('TensorFlow.js could not start its WebGPU backend (no GPU adapter)');
		} catch (error) {
			reasons.push(`TensorFlow.js WebGPU backend failed: ${(error as Error).message}`);
		}
		if (preference === 'webgpu') throw new Error(`WebGPU was requested but ${reasons.join('; ')}`);
	}
	const wasm = await wasmUnavailableReason();
	if (!wasm) return { backend: 'wasm', fallbackReason: reasons.join('; ') };
	reasons.push(wasm);
	return { backend: 'cpu', fallbackReason: reasons.join('; ') };
}

/** Threads TF.js's WASM backend runs on (1 unless the page is cross-origin isolated). */
export function tfjsWasmThreads(): number {
	const backend = tf.findBackend('wasm') as { wasm?: { tfjs?: { getThreadsCount?: () => number } } } | null;
	return backend?.wasm?.tfjs?.getThreadsCount?.() ?? 1;
}

function shapeOf(shape: Array<number | null>): Array<number | string> {
	return shape.map((d) => d ?? 'batch');
}

/** A Sequential model's output is named after its last layer (`layer/op` in tfjs). */
function outputName(model: LayersModel): string {
	return model.outputs[0].name.split('/')[0];
}

async function predict(model: LayersModel, input: ModelInput): Promise<Record<string, TensorData>> {
	const x = tf.tensor2d(input.data, [input.rows, input.columns], 'float32');
	// One call for the whole chunk: predict's default batchSize of 32 made 10,000 rows 313 calls (50-100× slower).
	const y = model.predict(x, { batchSize: input.rows }) as tf.Tensor;
	try {
		const data = (await y.data()) as Float32Array;
		return { [outputName(model)]: { data: Float32Array.from(data), dims: y.shape, type: 'float32' } };
	} finally {
		x.dispose();
		y.dispose();
	}
}

/** An IOHandler over dropped files: weight shards concatenated in the manifest's order. */
function fromFiles(json: ModelJson, weights: Record<string, Uint8Array>, name: string): tf.io.IOHandler {
	const paths = json.weightsManifest!.flatMap((g) => g.paths);
	const missing = paths.filter((p) => !weights[p.split('/').pop()!]);
	if (missing.length) {
		throw new Error(
			`model ${name}: its weight file${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'were' : 'was'} not dropped with it: drop model.json and its .bin files together`
		);
	}
	const shards = paths.map((p) => weights[p.split('/').pop()!]);
	const data = new Uint8Array(shards.reduce((n, b) => n + b.byteLength, 0));
	let offset = 0;
	for (const shard of shards) {
		data.set(shard, offset);
		offset += shard.byteLength;
	}
	return tf.io.fromMemory({
		modelTopology: json.modelTopology as object,
		weightSpecs: json.weightsManifest!.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[],
		weightData: data.buffer
	});
}

/**
 * Loads a layers model from its URL (weights fetched next to it, with the same headers: a
 * registry model needs the team token) or from dropped files.
 */
export async function loadTfjsModel(
	source: { url: string; headers?: Record<string, string> } | TfjsFiles,
	bytes: Uint8Array,
	preference: BackendPreference,
	name: string
): Promise<TfjsModel> {
	const json = parseModelJson(bytes, name);
	const handler = 'url' in source ? tf.io.http(source.url, { requestInit: { headers: source.headers } }) : fromFiles(json, source.weights, name);
	const { backend, fallbackReason } = await chooseBackend(preference);
	await tf.setBackend(backend);
	const model = await loadLayersModel(handler).catch((error: Error) => {
		throw new Error(`model ${name}: TensorFlow.js could not load it: ${error.message}`);
	});
	if (model.inputs.length !== 1 || model.outputs.length !== 1) {
		throw new Error(
			`model ${name}: a model cell runs TensorFlow.js models with one input and one output, this one has ${model.inputs.length} and ${model.outputs.length}`
		);
	}
	const weightBytes = json
		.weightsManifest!.flatMap((g) => g.weights)
		.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * (BYTES_PER_VALUE[w.dtype] ?? 4), 0);
	const describe = (names: string[], shapes: Array<Array<number | null>>): TensorInfo[] =>
		names.map((n, i) => ({ name: n, type: 'float32', shape: shapeOf(shapes[i]) }));
	return {
		backend,
		fallbackReason,
		webgpuSkipReason: await softwareAdapterReason(),
		sizeBytes: bytes.byteLength + weightBytes,
		inputs: describe(
			model.inputs.map((t) => t.name),
			model.inputs.map((t) => t.shape)
		),
		outputs: describe([outputName(model)], [model.outputs[0].shape]),
		run: (input) => predict(model, input),
		async runOn(other, input) {
			if (!(await tf.setBackend(other))) throw new Error(`TensorFlow.js could not start its ${other} backend`);
			try {
				return await predict(model, input);
			} finally {
				await tf.setBackend(backend);
			}
		}
	};
}
