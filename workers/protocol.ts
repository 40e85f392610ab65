/**
 * The typed protocols of driftbook's own workers (DuckDB uses duckdb-wasm's). Big data crosses
 * as transferred ArrayBuffers: Float32Array tensors and Arrow IPC bytes.
 */
import type { DriftOptions, DriftReport } from '$lib/stats';

export type Backend = 'webgpu' | 'wasm';
export type BackendPreference = 'auto' | Backend;

export interface TensorInfo {
	name: string;
	type: string;
	/** Dimensions; symbolic ones (a dynamic batch) as their name. */
	shape: Array<number | string>;
}

export interface ModelInfo {
	/** Identifies the loaded session inside the worker. */
	key: string;
	url: string;
	sizeBytes: number;
	inputs: TensorInfo[];
	outputs: TensorInfo[];
	opset?: number;
	/** The backend the session actually runs on. */
	backend: Backend;
	/** Why a faster backend was not used, when it was not. */
	fallbackReason?: string;
	threads: number;
}

export interface TensorData {
	data: Float32Array;
	dims: number[];
}

export interface InferenceResult {
	outputs: Record<string, TensorData>;
	/** Time inside session.run, summed over batches. */
	inferenceMs: number;
}

export interface InferenceApi {
	load(url: string, preference: BackendPreference): Promise<ModelInfo>;
	/**
	 * Runs `input` (row-major, `rows × columns`) through the model in batches. `jobId` lets
	 * `cancel` stop it between batches; `onProgress` (a Comlink proxy: callbacks must be
	 * top-level arguments) reports rows done.
	 */
	run(
		key: string,
		input: { name: string; data: Float32Array; rows: number; columns: number },
		options: { jobId: string; batchSize: number },
		onProgress?: (rows: number) => void
	): Promise<InferenceResult>;
	cancel(jobId: string): void;
}

export interface StatsApi {
	/** Drift of every column of `current` against `reference`, both Arrow IPC streams. */
	driftReport(
		reference: Uint8Array,
		current: Uint8Array,
		options: Omit<DriftOptions, 'signal' | 'onProgress'> & { jobId: string },
		onProgress?: (done: number, total: number) => void
	): Promise<DriftReport>;
	cancel(jobId: string): void;
}

export class CancelledError extends Error {
	constructor() {
		super('cancelled');
		this.name = 'AbortError';
	}
}
