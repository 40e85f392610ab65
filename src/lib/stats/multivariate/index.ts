/** Multivariate drift as NannyML 0.13.1 computes it: PCA data reconstruction and a domain classifier. */
export { MultivariateInputError, featureColumn, type FeatureColumn, type FeatureTable, type Period } from './input';
export {
	reconstructionDrift,
	DEFAULT_EXPLAINED_VARIANCE,
	type ReconstructionOptions,
	type ReconstructionResult,
	type ReconstructionChunkResult
} from './reconstruction';
export { pcaFromCovariance, symmetricEigen, reconstructionErrors, type Pca } from './pca';
export {
	domainClassifierDrift,
	DEFAULT_FOLDS,
	DOMAIN_CLASSIFIER_THRESHOLDS,
	MISSING_VALUE,
	type DomainClassifierOptions,
	type DomainClassifierResult,
	type DomainClassifierChunkResult
} from './domain-classifier';
export {
	fitGradientBoosting,
	predictProbability,
	sortColumns,
	GRADIENT_BOOSTING_DEFAULTS,
	type BoostingOptions,
	type BoostedTrees,
	type SortedColumns
} from './gradient-boosting';
export { stratifiedKFold } from './stratified-kfold';
