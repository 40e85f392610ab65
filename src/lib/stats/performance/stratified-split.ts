/**
 * scikit-learn 1.2's `StratifiedShuffleSplit(n_splits, test_size=<fraction>, random_state=<int>)`,
 * draw for draw (NumPy's legacy RandomState): NannyML's calibration check uses it with 10 splits,
 * a 10% test share and seed 42. Per split, `_approximate_mode` shares the train and test sizes
 * out over the classes (ties in the remainders broken by `choice`), each class is permuted, and
 * the train and test index lists are permuted again; their order matters downstream.
 */

import { RandomState } from './random-state';

export interface Split {
	train: Int32Array;
	test: Int32Array;
}

/** `_approximate_mode(class_counts, n_draws, rng)`. */
function approximateMode(classCounts: readonly number[], nDraws: number, rng: RandomState): number[] {
	let total = 0;
	for (const c of classCounts) total += c;
	const continuous = classCounts.map((c) => (c / total) * nDraws);
	const floored = continuous.map(Math.floor);
	let needToAdd = Math.trunc(nDraws - floored.reduce((s, f) => s + f, 0));
	if (needToAdd > 0) {
		const remainder = continuous.map((c, i) => c - floored[i]);
		const values = [...new Set(remainder)].sort((a, b) => b - a);
		for (const value of values) {
			const inds: number[] = [];
			remainder.forEach((r, i) => {
				if (r === value) inds.push(i);
			});
			const addNow = Math.min(inds.length, needToAdd);
			for (const k of rng.choiceWithoutReplacement(inds, addNow)) floored[k] += 1;
			needToAdd -= addNow;
			if (needToAdd === 0) break;
		}
	}
	return floored;
}

/** The splits of `y` (class labels), in scikit-learn's order. */
export function stratifiedShuffleSplit(y: ArrayLike<number>, nSplits: number, testSize: number, seed: number): Split[] {
	const n = y.length;
	const nTest = Math.ceil(testSize * n);
	const nTrain = n - nTest;
	if (nTrain <= 0) throw new Error(`cannot split ${n} rows into train and test sets`);
	const classes = [...new Set(Array.from(y))].sort((a, b) => a - b);
	const classOf = new Map(classes.map((c, i) => [c, i]));
	const classIndices: number[][] = classes.map(() => []);
	for (let i = 0; i < n; i++) classIndices[classOf.get(y[i]) as number].push(i);
	const classCounts = classIndices.map((c) => c.length);
	if (Math.min(...classCounts) < 2) {
		throw new Error('the least populated class has only 1 member, too few for a stratified split (at least 2 are needed)');
	}
	if (nTrain < classes.length) throw new Error(`the train size ${nTrain} is smaller than the number of classes ${classes.length}`);
	if (nTest < classes.length) throw new Error(`the test size ${nTest} is smaller than the number of classes ${classes.length}`);
	const rng = new RandomState(seed);
	const splits: Split[] = [];
	for (let s = 0; s < nSplits; s++) {
		const nI = approximateMode(classCounts, nTrain, rng);
		const tI = approximateMode(
			classCounts.map((c, i) => c - nI[i]),
			nTest,
			rng
		);
		const train = new Int32Array(nI.reduce((a, b) => a + b, 0));
		const test = new Int32Array(tI.reduce((a, b) => a + b, 0));
		let trainAt = 0;
		let testAt = 0;
		classes.forEach((_, i) => {
			const permutation = rng.permutation(classCounts[i]);
			const members = classIndices[i];
			for (let k = 0; k < nI[i]; k++) train[trainAt++] = members[permutation[k]];
			for (let k = nI[i]; k < nI[i] + tI[i]; k++) test[testAt++] = members[permutation[k]];
		});
		splits.push({ train: rng.permutation(train), test: rng.permutation(test) });
	}
	return splits;
}
