/**
 * What running a model takes and gives: where its bytes come from, what a loaded model is, the
 * tensors in and out, and the calls the inference worker answers (src/lib/inference/model-service.ts).
 */

export type Backend = 'webgpu' | 'wasm';
export type BackendPreference = 'auto' | Backend;

/**
 * Where a model's bytes come from: a URL the worker fetches (with `headers`: the team token for
 * the server's own /api, never for another origin), or bytes a user dropped (a TF.js model.json
 * with its weight files by name in `weights`).
 */
export type ModelSource =
	| { kind: 'url'; url: string; name: string; headers?: Record<string, string> }
	| { kind: 'bytes'; bytes: Uint8Array; name: string; weights?: Record<string, Uint8Array> };

export interface TensorInfo {
	name: string;
	type: string;
	/** Dimensions; symbolic ones (a dynamic batch) as their name. */
	shape: Array<number | string>;
}

export interface ModelInfo {
	/** Identifies the loaded session inside the worker. */
	key: string;
	/** The file name (or URL) the user gave, for messages. */
	name: string;
	/** `onnx` runs in onnxruntime-web; `tfjs` (a layers model.json) in TensorFlow.js. */
	format: 'onnx' | 'tfjs';
	sizeBytes: number;
	inputs: TensorInfo[];
	outputs: TensorInfo[];
	/** Opset of the default domain, and every imported domain's (ONNX only). */
	opset?: number;
	opsets?: Array<{ domain: string; version: number }>;
	producer?: string;
	/** The backend the session actually runs on (for tfjs: `webgpu`, `wasm` (XNNPACK) or `cpu`). */
	backend: Backend | 'cpu';
	/** Why a faster backend was not used, when it was not. */
	fallbackReason?: string;
	threads: number;
}

export interface TensorData {
	/** Values as float32 whatever the output's type (int64 class labels are small integers). */
	data: Float32Array;
	dims: number[];
	type: string;
}

export interface InferenceResult {
	outputs: Record<string, TensorData>;
	/** Time inside session.run, summed over batches. */
	inferenceMs: number;
}

export interface ModelInput {
	name: string;
	data: Float32Array;
	rows: number;
	columns: number;
}

/** One backend's run of the parity sample, or why it could not run. */
export interface BackendRun {
	backend: Backend | 'cpu';
	available: boolean;
	reason?: string;
	outputs?: Record<string, TensorData>;
	ms?: number;
}

export interface InferenceApi {
	load(source: ModelSource, preference: BackendPreference): Promise<ModelInfo>;
	/**
	 * Runs `input` (row-major, `rows × columns`) through the model in batches. `jobId` lets
	 * `cancel` stop it between batches; `onProgress` (a Comlink proxy: callbacks must be
	 * top-level arguments) reports rows done.
	 */
	run(key: string, input: ModelInput, options: { jobId: string; batchSize: number }, onProgress?: (rows: number) => void): Promise<InferenceResult>;
	/** Runs a small sample of a loaded model on every backend this browser has (sessions kept). */
	parity(key: string, input: ModelInput): Promise<BackendRun[]>;
	cancel(jobId: string): void;
}

/** A run stopped by `cancel` (named AbortError so callers treat it like any abort). */
export class CancelledError extends Error {
	constructor() {
		super('cancelled');
		this.name = 'AbortError';
	}
}
