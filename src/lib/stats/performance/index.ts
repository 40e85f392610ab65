/** Performance estimation without labels: CBPE as NannyML 0.13.1 computes it. */
export {
	cbpe,
	CbpeInputError,
	SAMPLING_ERROR_RANGE,
	type CbpeField,
	type CbpeData,
	type ProbabilityInput,
	type CbpeOptions,
	type CbpeResult,
	type CbpeChunkResult
} from './cbpe';
export { CBPE_METRICS, DEFAULT_CBPE_METRICS, isCbpeMetric, estimateRocAuc, type CbpeMetric } from './metrics';
export { MULTICLASS_CBPE_METRICS, confusionCellName } from './multiclass-metrics';
export {
	needsCalibration,
	fitCalibration,
	calibrate,
	fitClassCalibrations,
	calibrateClasses,
	expectedCalibrationError,
	binIndexEdges,
	type Calibration
} from './calibration';
export { fitIsotonic, predictIsotonic, poolAdjacentViolators, type IsotonicFit } from './isotonic';
export { numpyArgsort } from './numpy-argsort';
export { stratifiedShuffleSplit, type Split } from './stratified-split';
export { RandomState } from './random-state';
export { rankByCorrelation, pearson, type FeatureDriftSeries, type RankedFeature } from './correlation-ranker';
export { classIndices, isClassMapping, parseClassColumns, UnknownClassError, type ClassColumns } from './classes';
