/**
 * scikit-learn 1.2's `StratifiedKFold(n_splits, shuffle, random_state)`: the test fold of every row.
 * Classes are numbered in order of first appearance; the sorted labels are dealt round-robin to
 * the folds to decide how many rows of each class every fold tests, and each class's rows (in
 * data order) are given to the folds in blocks — shuffled by NumPy's legacy RandomState when
 * `shuffleSeed` is set. Fold f tests the rows whose entry is f and trains on the others, both in
 * ascending row order. NannyML's domain classifier uses it without shuffling.
 */

import { RandomState } from '#lib/stats/performance/random-state.ts';

export function stratifiedKFold(y: ArrayLike<number>, nSplits: number, shuffleSeed: number | null = null): Int32Array {
	if (!Number.isInteger(nSplits) || nSplits < 2) throw new Error(`the number of folds must be a whole number of 2 or more (got ${nSplits})`);
	const n = y.length;
	if (nSplits > n) throw new Error(`cannot have ${nSplits} folds with only ${n} rows`);
	const classOf = new Map<number, number>();
	const encoded = new Int32Array(n);
	for (let i = 0; i < n; i++) {
		let k = classOf.get(y[i]);
		if (k === undefined) classOf.set(y[i], (k = classOf.size));
		encoded[i] = k;
	}
	const counts = new Array<number>(classOf.size).fill(0);
	for (const k of encoded) counts[k]++;
	if (counts.every((c) => nSplits > c)) throw new Error(`${nSplits} folds cannot be more than the rows of every class (${counts.join(', ')})`);
	// allocation[f][k]: rows of class k at positions f, f + nSplits, … of the sorted labels.
	const allocation = Array.from({ length: nSplits }, () => new Array<number>(counts.length).fill(0));
	let position = 0;
	counts.forEach((c, k) => {
		for (let i = 0; i < c; i++, position++) allocation[position % nSplits][k]++;
	});
	const rng = shuffleSeed === null ? null : new RandomState(shuffleSeed);
	const testFold = new Int32Array(n);
	counts.forEach((c, k) => {
		const folds = new Int32Array(c);
		let at = 0;
		for (let f = 0; f < nSplits; f++) folds.fill(f, at, (at += allocation[f][k]));
		rng?.shuffle(folds);
		let next = 0;
		for (let i = 0; i < n; i++) if (encoded[i] === k) testFold[i] = folds[next++];
	});
	return testFold;
}
