/**
 * NannyML 0.13.1's calibration of predicted probabilities on the reference (nannyml/calibration.py):
 * `needs_calibration` decides, an isotonic regression fitted on the whole reference calibrates.
 *
 * The rule: no calibration when the labels hold one class or the scores already separate them
 * (ROC AUC > 0.999). Otherwise ten stratified 90/10 shuffle splits (seed 42); on each, isotonic
 * regression is fitted on the 90% and applied to the 10%. The ten test parts are put together and
 * the expected calibration error (ECE, 10 bins of equal count over the sorted probabilities) of the
 * raw and the calibrated probabilities compared: calibration is needed when it lowers the ECE.
 */

import { pairwiseSum } from '#lib/stats/float.ts';
import { rocAuc } from '#lib/stats/performance-drift.ts';
import { fitIsotonic, predictIsotonic, type IsotonicFit } from './isotonic';
import { numpyArgsort } from './numpy-argsort';
import { stratifiedShuffleSplit } from './stratified-split';
import { tabulate, take } from './take';

const BIN_COUNT = 10;
const SPLIT_COUNT = 10;
const TEST_SIZE = 0.1;
const SPLIT_SEED = 42;
const SEPARATING_AUROC = 0.999;

/** `_get_bin_index_edges(n, bin_count)`: [left, right) row ranges of the sorted vector. */
export function binIndexEdges(n: number, binCount = BIN_COUNT): [number, number][] {
	let bins = binCount;
	if (n <= 2 * bins) {
		bins = Math.floor(n / 2);
		if (bins < 2) throw new Error(`cannot split ${n} values into at least 2 bins for the calibration check; more reference rows are needed`);
	}
	const width = Math.floor(n / bins);
	const edges: number[] = [];
	for (let e = 0; e <= n; e += width) edges.push(e);
	edges[edges.length - 1] = n;
	return edges.slice(0, -1).map((left, i) => [left, edges[i + 1]]);
}

/** `_calculate_expected_calibration_error`. */
export function expectedCalibrationError(yTrue: ArrayLike<number>, proba: ArrayLike<number>, edges: [number, number][]): number {
	const order = numpyArgsort(proba);
	const n = proba.length;
	const sortedP = take(proba, order);
	const sortedY = take(yTrue, order);
	const terms = edges.map(([left, right]) => {
		const len = right - left;
		const meanP = pairwiseSum(sortedP, left, len) / len;
		const meanY = pairwiseSum(sortedY, left, len) / len;
		return (len / n) * Math.abs(meanP - meanY);
	});
	return pairwiseSum(terms);
}

/**
 * `needs_calibration(y_true, y_pred_proba, IsotonicCalibrator())`. `order` sorts `proba` (any
 * order of ties): every split's isotonic fit takes its train rows in that order rather than
 * sorting them again.
 */
export function needsCalibration(yTrue: ArrayLike<number>, proba: ArrayLike<number>, order: Int32Array = numpyArgsort(proba)): boolean {
	if (new Set(Array.from(yTrue)).size === 1) return false;
	if (rocAuc(yTrue, proba) > SEPARATING_AUROC) return false;
	const splits = stratifiedShuffleSplit(yTrue, SPLIT_COUNT, TEST_SIZE, SPLIT_SEED);
	const total = splits.reduce((sum, s) => sum + s.test.length, 0);
	const tests = new Float64Array(total);
	const rawTest = new Float64Array(total);
	const calibratedTest = new Float64Array(total);
	const inTrain = new Uint8Array(proba.length);
	let at = 0;
	for (const { train, test } of splits) {
		inTrain.fill(0);
		for (let k = 0; k < train.length; k++) inTrain[train[k]] = 1;
		const trainRows = new Int32Array(train.length);
		for (let k = 0, m = 0; k < order.length; k++) if (inTrain[order[k]]) trainRows[m++] = order[k];
		const fit = fitIsotonic(proba, yTrue, trainRows);
		const p = take(proba, test);
		const calibrated = predictIsotonic(fit, p);
		for (let k = 0; k < test.length; k++) {
			tests[at] = yTrue[test[k]];
			rawTest[at] = p[k];
			calibratedTest[at++] = calibrated[k];
		}
	}
	const edges = binIndexEdges(total);
	return expectedCalibrationError(tests, rawTest, edges) > expectedCalibrationError(tests, calibratedTest, edges);
}

/** The fitted calibration: isotonic when needed, else the probabilities as they are. */
export interface Calibration {
	needed: boolean;
	fit: IsotonicFit | null;
}

export function fitCalibration(yTrue: ArrayLike<number>, proba: ArrayLike<number>): Calibration {
	const order = numpyArgsort(proba);
	const needed = needsCalibration(yTrue, proba, order);
	return { needed, fit: needed ? fitIsotonic(proba, yTrue, order) : null };
}

export function calibrate(calibration: Calibration, proba: Float64Array): Float64Array {
	return calibration.fit ? predictIsotonic(calibration.fit, proba) : proba;
}

/**
 * Multiclass (`_fit_calibrators`): one calibration per class, decided and fitted one-vs-rest on
 * the reference (labels are class indices; column k holds class k's probability).
 */
export function fitClassCalibrations(yTrue: ArrayLike<number>, columns: readonly Float64Array[]): Calibration[] {
	return columns.map((proba, k) =>
		fitCalibration(
			tabulate(yTrue.length, (i) => (yTrue[i] === k ? 1 : 0)),
			proba
		)
	);
}

/**
 * `_calibrate_predicted_probabilities`: every class calibrated, then each row divided by its sum
 * (1 / K where the sum is 0; a missing probability leaves the row missing).
 */
export function calibrateClasses(calibrations: readonly Calibration[], columns: readonly Float64Array[]): Float64Array[] {
	const calibrated = columns.map((proba, k) => calibrate(calibrations[k], proba));
	const n = columns[0].length;
	const out = columns.map(() => new Float64Array(n));
	for (let i = 0; i < n; i++) {
		let sum = 0;
		for (const c of calibrated) sum += c[i];
		for (let k = 0; k < out.length; k++) out[k][i] = sum !== 0 ? calibrated[k][i] / sum : 1 / out.length;
	}
	return out;
}
