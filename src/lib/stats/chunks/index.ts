/** Chunking and reference thresholds as NannyML 0.13.1 does them, shared by the per-chunk calculators. */
export {
	sizeChunks,
	countChunks,
	splitChunks,
	periodChunks,
	planChunks,
	DEFAULT_CHUNK_COUNT,
	type Chunk,
	type Chunking,
	type ChunkPlan,
	type IncompleteChunk
} from './chunker';
export {
	nanMeanStd,
	standardDeviationThresholds,
	constantThresholds,
	referenceThresholds,
	outside,
	DEFAULT_STD_MULTIPLIER,
	type StdThresholdOptions,
	type ThresholdLimits,
	type Thresholds
} from './threshold';
export { chunkDrift, type ChunkDrift } from './univariate-drift';
