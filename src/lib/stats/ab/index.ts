/**
 * A/B experiment statistics and champion/challenger model comparison. Pure TypeScript (no DOM,
 * no Node APIs): the notebook's stats worker and the CLI share it.
 */
export { AbInputError } from './errors';
export { mean, variance, covariance, moments, type Moments } from '#lib/stats/moments.ts';
export { srmTest, SRM_THRESHOLD, type SrmResult } from './srm';
export { probToBeat } from './bayes';
export { proportionTest, type ProportionResult } from './proportion';
export { welchTest, welchFromMoments, type WelchResult } from './welch';
export { mannWhitneyU, type MannWhitneyResult } from './mannwhitney';
export { cupedAdjust, cupedTest, type CupedAdjustment, type CupedResult } from './cuped';
export { holm, adjustPValues, CORRECTIONS, type Correction } from './multiple';
export {
	normalPower,
	sampleSizeForEffect,
	effectForSampleSize,
	cohensH,
	proportionSampleSize,
	proportionMde,
	meanSampleSize,
	meanMde,
	type PowerOptions,
	type SampleSize,
	type ProportionSampleSize,
	type ProportionMde,
	type MeanSampleSize
} from './power';
export { msprt, sequentialPath, type SequentialOptions, type SequentialLook, type SequentialResult } from './sequential';
export { ratioTest, ratioEstimate, type RatioSample, type RatioEstimate, type RatioResult } from './ratio';
export { mcnemarExact, type McNemarResult } from './mcnemar';
export { delongTest, type DeLongResult } from './delong';
export { Xoshiro128 } from './rng';
export {
	abTest,
	isAbTestKind,
	numericValues,
	AB_TESTS,
	type AbTestKind,
	type AbData,
	type AbOptions,
	type AbReport,
	type AbSrm,
	type AbSequential,
	type AbVariantReport,
	type AbGroupSummary,
	type AbTimelinePoint,
	type AbOutcome,
	type AbDecision,
	type AbVerdict
} from './experiment';
export {
	championChallenger,
	pairedBootstrap,
	percentile,
	type ChampionTask,
	type ChampionMetricName,
	type ChampionData,
	type ChampionOptions,
	type ChampionMetric,
	type ChampionDisagreement,
	type ChampionSlice,
	type ChampionCanaryPoint,
	type ChampionReport
} from './champion';
