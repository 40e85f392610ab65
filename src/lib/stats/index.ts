/**
 * driftbook's statistics library: data drift tests that follow SciPy 1.10 /
 * statsmodels definitions. Pure TypeScript without DOM or Node APIs, so it
 * runs unchanged in a web worker, in Node and in the CLI.
 */

export type { TestResult } from './types';
export { columnFromStrings, columnFromValues, isMissingString, type Column } from './column';
export {
	columnKind,
	prepareColumn,
	parseNumber,
	NUMERICAL_MIN_DISTINCT,
	type ColumnKind,
	type PreparedColumn,
	type NumericalData,
	type CategoricalData,
	type SampleCounts
} from './column-kind';
export { ks2samp, ks2sampSorted, ksStatisticSorted, KS_MAX_AUTO_N, type KsResult, type KsMethod } from './ks';
export { kstwoSf, kstwoCdf, kolmogn, smirnovSf, smirnovCdf } from './kolmogorov';
export { chiSquareContingency, type ChiSquareResult } from './chisquare';
export { proportionsZTest, type ZTestResult } from './ztest';
export { fisherExact, type FisherResult } from './fisher';
export { wassersteinSorted, wassersteinNormSorted } from './wasserstein';
export { energyDistanceSorted } from './cdf-distance';
export { mannWhitneySorted, type MannWhitneyStatistic } from './mann-whitney';
export { welchStatistic, type WelchStatistic } from './welch';
export { cramerVonMisesSorted, CVM_EXACT_MAX_N, type CramerVonMisesResult } from './cramer-von-mises';
export { psi, jensenShannon, hellinger, proportions, PSI_FLOOR } from './distance';
export { sturgesEdges, histogramCounts, linspace } from './histogram';
export { chi2Sf, normSf, ndtr, igam, igamc, lgam, erf, erfc } from './special';
export {
	driftReport,
	driftReportAsync,
	driftColumn,
	autoMethod,
	isDriftMethod,
	DRIFT_METHODS,
	DEFAULT_P_VALUE_THRESHOLD,
	DEFAULT_DISTANCE_THRESHOLD,
	AUTO_SMALL_REFERENCE_MAX,
	DATASET_DRIFT_SHARE,
	type DriftMethod,
	type DriftReport,
	type DriftColumnReport,
	type DriftTestReport,
	type DriftSampleSummary,
	type DriftReportOptions,
	type DriftOptions
} from './drift-report';
export { parseWindow, describeWindow, assignWindows, windowRows, selectRows, selectColumns, type WindowSpec, type TimeWindow, type Windowing } from './windows';
export {
	referenceThreshold,
	driftThreshold,
	outsideThreshold,
	meanAndStd,
	STATISTIC_RANGES,
	DEFAULT_SIGMA_MULTIPLIER,
	type ReferenceThreshold,
	type StatisticRange
} from './thresholds';
export { benjaminiHochberg, type FdrResult } from './fdr';
export {
	segmentGroups,
	segmentDrift,
	searchSegments,
	pValueMethods,
	SEGMENT_MIN_ROWS,
	SEGMENT_MAX_VALUES,
	DEFAULT_FDR,
	type SegmentGroups,
	type SegmentReport,
	type SegmentDriftReport,
	type SegmentDriftOptions,
	type SegmentFinding,
	type SegmentSummary,
	type SegmentSearch,
	type SegmentSearchOptions
} from './segments';
export {
	rocAuc,
	midranks,
	accuracy,
	meanAbsoluteError,
	rootMeanSquaredError,
	labelRule,
	labelledSample,
	metricValue,
	metricLabel,
	performanceDrift,
	isPerformanceMetric,
	PERFORMANCE_METRICS,
	type PerformanceMetric,
	type PerformanceTask,
	type PerformanceReport,
	type PerformanceOptions,
	type MetricSeries,
	type MetricWindow,
	type LabelRule,
	type LabelledSample
} from './performance-drift';
export {
	columnDistribution,
	DISTRIBUTION_MAX_CATEGORIES,
	type ColumnDistribution,
	type NumericalDistribution,
	type CategoricalDistribution
} from './distributions';
export {
	driftOverTime,
	type DriftOverTime,
	type DriftOverTimeOptions,
	type DriftWindow,
	type WindowDrift,
	type ColumnOverTime,
	type ColumnThreshold
} from './drift-over-time';
export { driftReportSplit, driftColumnOutcomes, PEER_DEPTH, SPLIT_MIN_ROWS, type DriftPeer, type DriftPeerJob, type DriftColumnOutcome } from './drift-split';
export { driftAnalysis, PROGRESS_TOTAL, type DriftAnalysis, type DriftAnalysisOptions } from './drift-analysis';
export { Steps, throwIfAborted } from './progress';
export { gammaFn, betaFn, lbeta, incbet, ndtri, stdtr, stdtrit, bdtr } from './special';
