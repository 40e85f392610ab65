/** Multivariate drift: PCA data reconstruction as NannyML 0.13.1 computes it. */
export {
	reconstructionDrift,
	featureColumn,
	ReconstructionInputError,
	DEFAULT_EXPLAINED_VARIANCE,
	type FeatureColumn,
	type FeatureTable,
	type ReconstructionOptions,
	type ReconstructionResult,
	type ReconstructionChunkResult
} from './reconstruction';
export { fitPca, symmetricEigen, reconstructionError, type Pca } from './pca';
