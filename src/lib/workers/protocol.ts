/**
 * The typed protocols of driftbook's own workers (DuckDB uses duckdb-wasm's). Big data crosses
 * as transferred ArrayBuffers: Float32Array tensors and Arrow IPC bytes.
 */
export type {
	Backend,
	BackendPreference,
	BackendRun,
	InferenceApi,
	InferenceResult,
	ModelInfo,
	ModelInput,
	ModelSource,
	TensorData,
	TensorInfo
} from '#lib/inference/model-api.ts';

export type { AbTestRequest, ChampionRequest, DriftAnalysisRequest, DriftWorkerTimings, StatsApi } from '#lib/stats/service/stats-service.ts';
export type {
	ChunkPlan,
	ChunkTimes,
	MultivariateAnalysis,
	MultivariateMethod,
	MultivariateRequest,
	PerformanceAnalysis,
	PerformanceRequest,
	QualityAnalysis,
	QualityRequest
} from '#lib/stats/service/chunked-analyses.ts';

export type { LoadChunk, LoadPlan, LoadSource, LoadTransfer } from '#lib/ingest/load-plan.ts';
export type { LoaderApi } from '#lib/ingest/loader/loader.ts';
