// TensorFlow.js layers models (model.json + weight shards) for the inference worker, imported
// only when a cell loads one. Backends: WebGPU, else the CPU backend, with the reason.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgpu';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import type { BackendPreference, ModelInput, TensorData, TensorInfo } from './protocol';

export interface TfjsModel {
	backend: 'webgpu' | 'cpu';
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
		throw new Error(`model ${name}: not valid JSON (${(error as Error).message})`);
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
	const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ isFallbackAdapter?: boolean; info?: { isFallbackAdapter?: boolean; description?: string } } | null> } }).gpu;
	const adapter = await gpu?.requestAdapter();
	if (adapter && (adapter.isFallbackAdapter || adapter.info?.isFallbackAdapter)) {
		return `the only WebGPU adapter is a software fallback${adapter.info?.description ? ` (${adapter.info.description})` : ''}, slower than TensorFlow.js on the CPU`;
	}
	return undefined;
}

async function chooseBackend(preference: BackendPreference): Promise<{ backend: 'webgpu' | 'cpu'; fallbackReason?: string }> {
	if (preference === 'wasm') return { backend: 'cpu', fallbackReason: 'WASM was requested; TensorFlow.js runs layers models on its CPU backend' };
	let fallbackReason: string;
	try {
		const software = await softwareAdapterReason();
		if (software && preference === 'auto') return { backend: 'cpu', fallbackReason: software };
		if (await tf.setBackend('webgpu')) {
			await tf.ready();
			return { backend: 'webgpu' };
		}
		fallbackReason = 'TensorFlow.js could not start its WebGPU backend (no GPU adapter)';
	} catch (error) {
		fallbackReason = `TensorFlow.js WebGPU backend failed: ${(error as Error).message}`;
	}
	if (preference === 'webgpu') throw new Error(`WebGPU was requested but ${fallbackReason}`);
	return { backend: 'cpu', fallbackReason };
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
	const y = model.predict(x) as tf.Tensor;
	try {
		const data = (await y.data()) as Float32Array;
		return { [outputName(model)]: { data: Float32Array.from(data), dims: y.shape, type: 'float32' } };
	} finally {
		x.dispose();
		y.dispose();
	}
}

export async function loadTfjsModel(url: string, bytes: Uint8Array, preference: BackendPreference, name: string): Promise<TfjsModel> {
	const json = parseModelJson(bytes, name);
	const { backend, fallbackReason } = await chooseBackend(preference);
	await tf.setBackend(backend);
	const model = await loadLayersModel(url).catch((error: Error) => {
		throw new Error(`model ${name}: TensorFlow.js could not load it: ${error.message}`);
	});
	if (model.inputs.length !== 1 || model.outputs.length !== 1) {
		throw new Error(`model ${name}: a model cell runs TensorFlow.js models with one input and one output, this one has ${model.inputs.length} and ${model.outputs.length}`);
	}
	const weightBytes = json.weightsManifest!.flatMap((g) => g.weights).reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * (BYTES_PER_VALUE[w.dtype] ?? 4), 0);
	const describe = (names: string[], shapes: Array<Array<number | null>>): TensorInfo[] =>
		names.map((n, i) => ({ name: n, type: 'float32', shape: shapeOf(shapes[i]) }));
	return {
		backend,
		fallbackReason,
		webgpuSkipReason: await softwareAdapterReason(),
		sizeBytes: bytes.byteLength + weightBytes,
		inputs: describe(model.inputs.map((t) => t.name), model.inputs.map((t) => t.shape)),
		outputs: describe([outputName(model)], [model.outputs[0].shape]),
		run: (input) => predict(model, input),
		async runOn(other, input) {
			await tf.setBackend(other);
			try {
				return await predict(model, input);
			} finally {
				await tf.setBackend(backend);
			}
		}
	};
}
