/**
 * The typed protocols of driftbook's own workers (DuckDB uses duckdb-wasm's). Big data crosses
 * as transferred ArrayBuffers: Float32Array tensors and Arrow IPC bytes.
 */
import type { DriftAnalysis, DriftAnalysisOptions, DriftOptions, DriftReport } from '#lib/stats/index.ts';
import type { AbOptions, AbReport, ChampionOptions, ChampionReport } from '#lib/stats/ab/index.ts';

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

/** What the drift cell asks of the stats worker (the analysis' options, minus what cannot cross). */
export type DriftAnalysisRequest = Omit<DriftAnalysisOptions, 'signal' | 'onProgress' | 'referenceTime' | 'currentTime'> & {
	jobId: string;
	/** A column of both tables holding each row's time in epoch milliseconds (not tested). */
	timeColumn?: string;
};

/** What the ab cell asks of the stats worker: the table's columns by role (`names`: how to call them in messages), and the analysis' options. */
export type AbTestRequest = AbOptions & {
	jobId: string;
	columns: { group: string; metric: string; covariate?: string; time?: string };
};

/** What the champion cell asks of the stats worker. */
export type ChampionRequest = ChampionOptions & {
	jobId: string;
	columns: { label: string; champion: string; challenger: string; slice?: string; time?: string };
};

/** Where the stats worker spent its time on one analysis, in milliseconds. */
export interface DriftWorkerTimings {
	/** Arrow IPC to the library's columns. */
	convert_ms: number;
	/** The statistics themselves. */
	analysis_ms: number;
}

export interface StatsApi {
	/** Drift of every column of `current` against `reference`, both Arrow IPC streams. */
	driftReport(
		reference: Uint8Array,
		current: Uint8Array,
		options: Omit<DriftOptions, 'signal' | 'onProgress'> & { jobId: string },
		onProgress?: (done: number, total: number) => void
	): Promise<DriftReport>;
	/**
	 * Everything a drift cell shows (report, distributions, windows, segments, performance) for
	 * two Arrow IPC streams; `onProgress` counts thousandths of the whole.
	 */
	driftAnalysis(
		reference: Uint8Array,
		current: Uint8Array,
		options: DriftAnalysisRequest,
		onProgress?: (done: number, total: number) => void
	): Promise<DriftAnalysis & { timings: DriftWorkerTimings }>;
	/** An A/B experiment (src/lib/stats/ab) of one Arrow IPC stream. */
	abTest(table: Uint8Array, options: AbTestRequest): Promise<AbReport>;
	/** Champion / challenger comparison of one Arrow IPC stream. */
	championChallenger(table: Uint8Array, options: ChampionRequest): Promise<ChampionReport>;
	cancel(jobId: string): void;
}

export class CancelledError extends Error {
	constructor() {
		super('cancelled');
		this.name = 'AbortError';
	}
}

// ————— Dataset loading (workers/loader.worker.ts) —————

import type { ColumnType, CsvSniff, DataFormat, LoadRequest, RejectedRow } from '#lib/sql/csv-options.ts';

/**
 * Where a dataset's bytes come from: a download, or a File/Blob (it crosses without copying and
 * is read in slices). A download's `headers` go with every request the loader makes for it (the
 * page's bearer token for its own /api/ URLs: see requestHeadersFor in src/lib/api/http.ts).
 */
export type LoadSource = { kind: 'url'; url: string; name: string; headers?: Record<string, string> } | { kind: 'blob'; blob: Blob; name: string };

/** How the loader read a download: byte ranges (Parquet where the host serves them), or the body as it arrived. */
export type LoadTransfer = 'ranges' | 'stream';

export interface LoadPlan {
	format: DataFormat;
	name: string;
	/** Bytes in the source; null when a URL does not say. */
	size: number | null;
	/** CSV and TSV: the detected or given dialect and types. */
	csv?: CsvSniff;
	/** The columns and the DuckDB types they will have. */
	columns: ColumnType[];
	/** Rows in the file when known before reading it all (Parquet metadata, scanned JSON). */
	rows: number | null;
	/** The first rows, as text, for the preview. */
	preview: string[][];
	notes: string[];
	/** The table's approximate size in DuckDB, for the memory check. */
	estimatedBytes: number;
	/** Downloads only: how the bytes are read. */
	transfer?: LoadTransfer;
}

export type LoadChunk =
	| {
			kind: 'csv';
			/** Whole records without the header, for read_csv with header = false. */
			bytes: Uint8Array;
			/** Physical line of the chunk's first record. */
			firstLine: number;
			records: number;
			/** [record index in chunk (1-based), extra lines it spans]: records with quoted newlines. */
			multiline: Array<[number, number]>;
			bytesDone: number;
			bytesTotal: number | null;
	  }
	| {
			kind: 'arrow';
			/** An Arrow IPC stream. */
			ipc: Uint8Array;
			rows: number;
			rejected: RejectedRow[];
			rowsDone: number;
			rowsTotal: number | null;
			bytesDone: number;
			bytesTotal: number | null;
	  };

export interface LoaderApi {
	/**
	 * Opens a source, reads what detection needs (the first megabyte of a CSV, NDJSON or Arrow
	 * stream; a Parquet footer, by Range requests for a download; the whole file only for a JSON
	 * array, an Arrow file of a picked file, or a Parquet download from a host without ranges) and
	 * returns the plan. `onProgress` reports bytes downloaded.
	 */
	open(jobId: string, source: LoadSource, request: LoadRequest, onProgress?: (done: number, total: number) => void): Promise<LoadPlan>;
	/** The next piece to insert, or null at the end. */
	next(jobId: string): Promise<LoadChunk | null>;
	/** Stops a job and frees what it holds. */
	close(jobId: string): void;
	/**
	 * Encodes Arrow IPC as a file to download. CSV expects text columns (NULL → empty field);
	 * for Parquet, `int64` names text columns holding 64-bit integers, written as INT64.
	 */
	encode(ipc: Uint8Array, format: 'csv' | 'parquet', options?: { int64?: string[] }): Promise<Uint8Array>;
}
