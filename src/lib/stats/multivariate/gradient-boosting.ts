/**
 * Binary gradient boosting as scikit-learn 1.2's `GradientBoostingClassifier` fits it (log loss,
 * 100 trees of depth 3, learning rate 0.1, friedman_mse, no subsampling; GRADIENT_BOOSTING_DEFAULTS
 * says which two settings differ from scikit-learn's defaults): exact greedy regression trees on the
 * residuals y − p, whose leaves then take one Newton step Σ residual / Σ p(1 − p), started from the
 * log-odds of the class prior. Features are rounded to float32 as scikit-learn's trees store them.
 *
 * Trees grow as scikit-learn's do, depth first, each node visiting the features in the order its
 * splitter draws them (`rand_r` seeded per tree from `RandomState(random_state)`), so that equal
 * splits — several features cutting off the same outlying rows — go to the same feature, and node
 * sums are taken in the order scikit-learn's splitter holds the rows, so that they round alike.
 * Instead of sorting each node's rows, every feature's rows are sorted once per fit and split
 * between the children by a stable partition: O(rows · features) per level. A split is tried
 * wherever the value rises by more than 1e-7 (scikit-learn's FEATURE_THRESHOLD), with the
 * threshold halfway between. Not bit for bit: V8's Math.exp and glibc's exp differ in the last bit
 * now and then, and tied values are summed in a stable order where scikit-learn's introsort leaves
 * them in its own; where two splits are equally good, such an ulp can pick the other one
 * (docs/multivariate-drift.md measures how often).
 *
 * Trees do not pay on a GPU here: the work is data-dependent gathers and running sums per node,
 * with a read-back after every level, so it stays on the CPU (in a worker in the browser).
 */

import { pairwiseSum } from '#lib/stats/float.ts';
import { RandomState } from '#lib/stats/performance/random-state.ts';

export interface BoostingOptions {
	trees: number;
	learningRate: number;
	maxDepth: number;
	/** `min_samples_leaf`: the fewest rows a leaf may hold. */
	minSamplesLeaf: number;
	/** `min_impurity_decrease`: a split must lower the impurity by more than this. */
	minImpurityDecrease: number;
	/** `random_state`: seeds the order in which each tree visits the features (it decides ties). */
	randomState: number;
}

/**
 * scikit-learn's defaults for `GradientBoostingClassifier` but for two, with `random_state=0`:
 * `min_samples_leaf=20` (LightGBM's `min_child_samples`, which NannyML's learner uses) and
 * `min_impurity_decrease=1e-12`, so that no split is made in a node whose rows are all alike and
 * only rounding leaves an impurity above zero (there, which split wins is rounding noise, and no
 * two implementations agree on it).
 */
export const GRADIENT_BOOSTING_DEFAULTS: Readonly<BoostingOptions> = {
	trees: 100,
	learningRate: 0.1,
	maxDepth: 3,
	minSamplesLeaf: 20,
	minImpurityDecrease: 1e-12,
	randomState: 0
};

/** A data set as the trees see it: float32 feature columns and each column's rows in ascending order. */
export interface SortedColumns {
	rows: number;
	columns: readonly Float32Array[];
	order: readonly Int32Array[];
}

interface Tree {
	/** Per node: the feature it splits on, −1 for a leaf. */
	feature: Int32Array;
	threshold: Float64Array;
	left: Int32Array;
	right: Int32Array;
	value: Float64Array;
}

export interface BoostedTrees {
	/** The log-odds every prediction starts from. */
	init: number;
	learningRate: number;
	trees: Tree[];
	/** scikit-learn's `feature_importances_`: mean impurity decrease per feature over the trees that split, summing to 1. */
	importance: Float64Array;
}

/** np.finfo(np.float64).eps: a node at or below this impurity is pure. */
const EPSILON = 2.220446049250313e-16;
/** np.finfo(np.float32).eps: the class prior is clipped to [eps, 1 − eps]. */
const FLOAT32_EPSILON = 2 ** -23;
const FEATURE_THRESHOLD = 1e-7;

const expit = (x: number) => 1 / (1 + Math.exp(-x));

/** The rows of each column in ascending order of value. */
export function sortColumns(columns: readonly Float32Array[]): Int32Array[] {
	return columns.map((column) => {
		const order = new Int32Array(column.length);
		for (let i = 0; i < order.length; i++) order[i] = i;
		return order.sort((a, b) => column[a] - column[b]);
	});
}

/** A growing tree: nodes as parallel lists, frozen into typed arrays at the end. */
class TreeBuilder {
	feature: number[] = [];
	threshold: number[] = [];
	left: number[] = [];
	right: number[] = [];
	count: number[] = [];
	sum: number[] = [];
	squares: number[] = [];
	impurity: number[] = [];

	add(count: number, sum: number, squares: number, impurity: number): number {
		this.feature.push(-1);
		this.threshold.push(NaN);
		this.left.push(-1);
		this.right.push(-1);
		this.count.push(count);
		this.sum.push(sum);
		this.squares.push(squares);
		this.impurity.push(impurity);
		return this.feature.length - 1;
	}

	/** `compute_feature_importances(normalize=False)`: the weighted impurity decrease per feature over the root's rows. */
	importance(features: number): Float64Array {
		const out = new Float64Array(features);
		this.feature.forEach((f, node) => {
			if (f < 0) return;
			const l = this.left[node];
			const r = this.right[node];
			out[f] += this.count[node] * this.impurity[node] - this.count[l] * this.impurity[l] - this.count[r] * this.impurity[r];
		});
		for (let j = 0; j < features; j++) out[j] /= this.count[0];
		return out;
	}

	freeze(value: Float64Array): Tree {
		return {
			feature: Int32Array.from(this.feature),
			threshold: Float64Array.from(this.threshold),
			left: Int32Array.from(this.left),
			right: Int32Array.from(this.right),
			value
		};
	}
}

/**
 * The training rows of one fit and the scratch space its trees reuse: features by row and by
 * presorted position, which every tree starts from, and the copies each tree partitions between
 * its nodes, so that no tree sorts or allocates per row.
 */
interface TrainingRows {
	n: number;
	x: Float32Array[];
	sortedRows: Int32Array[];
	sortedValues: Float32Array[];
	y: Float64Array;
	rows: Int32Array[];
	values: Float32Array[];
	spareRows: Int32Array;
	spareValues: Float32Array;
	goesLeft: Uint8Array;
	leafOf: Int32Array;
	/** Each pending node's rows in the order scikit-learn's splitter holds them (it decides how sums round). */
	inherited: Int32Array;
	/** The splitter's feature order and the features found constant, carried from a node to its children. */
	features: Int32Array;
	constantFeatures: Int32Array;
	/** newtonLeaves' terms grouped by leaf. */
	numerator: Float64Array;
	denominator: Float64Array;
	/** The best proxy of the node being split. */
	bestProxy: Float64Array;
}

function trainingRows(data: SortedColumns, train: Int32Array, labels: Uint8Array): TrainingRows {
	const n = train.length;
	const p = data.columns.length;
	const local = new Int32Array(data.rows).fill(-1);
	train.forEach((row, i) => (local[row] = i));
	const x = data.columns.map((column) => Float32Array.from(train, (row) => column[row]));
	const sortedRows: Int32Array[] = [];
	const sortedValues: Float32Array[] = [];
	data.order.forEach((order, j) => {
		const rows = new Int32Array(n);
		const values = new Float32Array(n);
		let at = 0;
		for (const row of order) {
			const i = local[row];
			if (i < 0) continue;
			rows[at] = i;
			values[at++] = x[j][i];
		}
		sortedRows.push(rows);
		sortedValues.push(values);
	});
	return {
		n,
		x,
		sortedRows,
		sortedValues,
		y: Float64Array.from(train, (row) => labels[row]),
		rows: sortedRows.map((r) => new Int32Array(r.length)),
		values: sortedValues.map((v) => new Float32Array(v.length)),
		spareRows: new Int32Array(n),
		spareValues: new Float32Array(n),
		goesLeft: new Uint8Array(n),
		leafOf: new Int32Array(n),
		inherited: new Int32Array(n),
		features: new Int32Array(p),
		constantFeatures: new Int32Array(p),
		numerator: new Float64Array(n),
		denominator: new Float64Array(n),
		bestProxy: new Float64Array(1)
	};
}

/** scikit-learn's `rand_r` (tree/_utils.pyx): the xorshift that orders the features a splitter visits. */
class TreeRandom {
	constructor(private state: number) {}

	/** `rand_int(low, high)`: low + our_rand_r() % (high − low). */
	int(low: number, high: number): number {
		let s = this.state === 0 ? 1 : this.state;
		s = (s ^ (s << 13)) >>> 0;
		s = (s ^ (s >>> 17)) >>> 0;
		s = (s ^ (s << 5)) >>> 0;
		this.state = s;
		return low + ((s % 0x80000000) % (high - low));
	}
}

/** RAND_R_MAX: a tree's splitter is seeded with `random_state.randint(0, RAND_R_MAX)`. */
const RAND_R_MAX = 0x7fffffff;

/** Squared-error impurity from a node's count, sum and sum of squares (scikit-learn's MSE criterion). */
const impurityOf = (count: number, sum: number, squares: number) => squares / count - (sum / count) ** 2;

interface Split {
	feature: number;
	threshold: number;
	/** friedman_mse's impurity improvement: the proxy over the node's rows. */
	improvement: number;
	/** The last feature the splitter sorted the node's rows by (−1: none), which leaves them in that order. */
	sortedBy: number;
	/** How many features the node's children know to be constant (the first of `constantFeatures`). */
	constants: number;
}

/** A node waiting to be split: its rows are [start, end) of `inherited` and of every feature's sorted rows. */
interface Pending {
	start: number;
	end: number;
	depth: number;
	node: number;
	constants: number;
	/** Each feature's sweep of the node's rows, made while its parent's split partitioned them (null at the root). */
	swept: Swept | null;
}

/** Per feature: the best proxy of its sweep (−∞: no split allowed) and the first position k that reached it. */
interface Swept {
	proxy: Float64Array;
	at: Int32Array;
}

function swap(a: Int32Array, i: number, j: number): void {
	const v = a[i];
	a[i] = a[j];
	a[j] = v;
}

/**
 * One feature's sweep over a node's rows [start, end) in ascending order: the position k after
 * which a split beats `best[0]` first (best[0] then holds its proxy), or −1. Splits are tried
 * only between `first` and `stop` (min_samples_leaf) and where the value rises by more than
 * FEATURE_THRESHOLD. Its own function, so that V8 optimises the loop on its own.
 */
function sweep(
	r: Int32Array,
	v: Float32Array,
	residual: Float64Array,
	start: number,
	end: number,
	sum: number,
	first: number,
	stop: number,
	best: Float64Array
): number {
	const count = end - start;
	let bestProxy = best[0];
	let bestAt = -1;
	let leftSum = 0;
	let k = start;
	for (; k < first; k++) leftSum += residual[r[k]];
	for (; k < stop; k++) {
		leftSum += residual[r[k]];
		if (v[k + 1] <= v[k] + FEATURE_THRESHOLD) continue;
		const nLeft = k + 1 - start;
		const nRight = count - nLeft;
		const diff = nRight * leftSum - nLeft * (sum - leftSum);
		const proxy = (diff * diff) / (nLeft * nRight);
		if (proxy > bestProxy) {
			bestProxy = proxy;
			bestAt = k;
		}
	}
	best[0] = bestProxy;
	return bestAt;
}

/**
 * BestSplitter.node_split over a node's rows: visits the features in the splitter's random order
 * (features found constant are remembered for the node's children) and sweeps each one's rows in
 * ascending order, keeping the first best friedman_mse proxy (n_R·s_L − n_L·s_R)² / (n_L·n_R).
 * `rowsOf`/`valuesOf` hold every feature's rows of the node in ascending order at [start, end).
 * The split, or null where no feature splits.
 */
function nodeSplit(
	t: TrainingRows,
	rowsOf: readonly Int32Array[],
	valuesOf: readonly Float32Array[],
	residual: Float64Array,
	at: Pending,
	sum: number,
	minLeaf: number,
	random: TreeRandom
): Split | null {
	const { features, constantFeatures } = t;
	const { start, end } = at;
	const p = features.length;
	const known = at.constants;
	features.set(constantFeatures.subarray(0, known));
	const best = t.bestProxy;
	best[0] = -Infinity;
	let bestFeature = -1;
	let bestAt = -1;
	let fi = p;
	let visited = 0;
	let found = 0;
	let drawn = 0;
	let total = known;
	let sortedBy = -1;
	// Positions before `first` cannot split (min_samples_leaf on the left) but add to the left sum;
	// from `stop` on, none can (on the right).
	const first = start + minLeaf - 1;
	const stop = end - Math.max(minLeaf, 1);
	while (fi > total && (visited < p || visited <= found + drawn)) {
		visited++;
		let fj = random.int(drawn, fi - found);
		if (fj < known) {
			swap(features, drawn, fj);
			drawn++;
			continue;
		}
		fj += found;
		const j = features[fj];
		const v = valuesOf[j];
		const r = rowsOf[j];
		// Sorting values that are all equal moves no row.
		if (v[end - 1] !== v[start]) sortedBy = j;
		if (v[end - 1] <= v[start] + FEATURE_THRESHOLD) {
			swap(features, fj, total);
			found++;
			total++;
			continue;
		}
		fi--;
		swap(features, fi, fj);
		// Sweeping features one after another keeps the first best: the feature visited first among
		// those whose own sweep reached the highest proxy, at its first position that did.
		if (at.swept === null) {
			const k = sweep(r, v, residual, start, end, sum, first, stop, best);
			if (k >= 0) {
				bestFeature = j;
				bestAt = k;
			}
		} else if (at.swept.proxy[j] > best[0]) {
			best[0] = at.swept.proxy[j];
			bestFeature = j;
			bestAt = at.swept.at[j];
		}
	}
	constantFeatures.set(features.subarray(known, known + found), known);
	if (bestFeature < 0) return null;
	const v = valuesOf[bestFeature];
	// The sum of halves cannot overflow; a midpoint that rounds onto the upper value takes the lower one.
	const mid = v[bestAt] / 2 + v[bestAt + 1] / 2;
	const threshold = mid === v[bestAt + 1] || !Number.isFinite(mid) ? v[bestAt] : mid;
	return { feature: bestFeature, threshold, improvement: best[0] / (end - start), sortedBy, constants: total };
}

/** A child node as its parent's partition sweeps it: where its rows go and what its sweep needs (see `sweep`). */
interface Child {
	start: number;
	count: number;
	sum: number;
	/** The splits the sweep may try lie between positions k and k + 1 for first ≤ k < stop. */
	first: number;
	stop: number;
	swept: Swept;
}

function child(start: number, count: number, sum: number, minLeaf: number, p: number): Child {
	const swept = { proxy: new Float64Array(p), at: new Int32Array(p) };
	return { start, count, sum, first: start + minLeaf - 1, stop: start + count - Math.max(minLeaf, 1), swept };
}

/**
 * Stable partition of every feature's rows at [start, end) by `goesLeft` into `t.rows`/`t.values`:
 * from the presorted rows at the root (straight to both sides), in place below it (the right rows
 * through the spare arrays, as they would overwrite unread rows). `left` starts at `start`, `right`
 * at the middle. As each row lands, the child's sweep of that feature (`sweep`, the same sums in
 * the same order) moves on by one: the split between the child's previous row and this one is
 * tried before the row joins the left sum. That spares the children a pass over their rows.
 */
function partition(
	t: TrainingRows,
	fromRows: readonly Int32Array[],
	fromValues: readonly Float32Array[],
	residual: Float64Array,
	left: Child,
	right: Child
): void {
	const { goesLeft, spareRows, spareValues } = t;
	const start = left.start;
	const middle = right.start;
	const end = middle + right.count;
	for (let j = 0; j < fromRows.length; j++) {
		const src = fromRows[j];
		const sv = fromValues[j];
		const r = t.rows[j];
		const v = t.values[j];
		const inPlace = src === r;
		const rightRows = inPlace ? spareRows : r;
		const rightValues = inPlace ? spareValues : v;
		const shift = inPlace ? middle : 0;
		let l = start;
		let lSum = 0;
		let lPrevious = Infinity;
		let lBest = -Infinity;
		let lAt = -1;
		let q = middle - shift;
		let rSum = 0;
		let rPrevious = Infinity;
		let rBest = -Infinity;
		let rAt = -1;
		for (let k = start; k < end; k++) {
			const i = src[k];
			const x = sv[k];
			if (goesLeft[i]) {
				if (l > left.first && l <= left.stop && !(x <= lPrevious + FEATURE_THRESHOLD)) {
					const nLeft = l - start;
					const nRight = left.count - nLeft;
					const diff = nRight * lSum - nLeft * (left.sum - lSum);
					const proxy = (diff * diff) / (nLeft * nRight);
					if (proxy > lBest) {
						lBest = proxy;
						lAt = l - 1;
					}
				}
				lSum += residual[i];
				lPrevious = x;
				r[l] = i;
				v[l++] = x;
			} else {
				const position = q + shift;
				if (position > right.first && position <= right.stop && !(x <= rPrevious + FEATURE_THRESHOLD)) {
					const nLeft = position - middle;
					const nRight = right.count - nLeft;
					const diff = nRight * rSum - nLeft * (right.sum - rSum);
					const proxy = (diff * diff) / (nLeft * nRight);
					if (proxy > rBest) {
						rBest = proxy;
						rAt = position - 1;
					}
				}
				rSum += residual[i];
				rPrevious = x;
				rightRows[q] = i;
				rightValues[q++] = x;
			}
		}
		if (inPlace) {
			r.set(spareRows.subarray(0, q), middle);
			v.set(spareValues.subarray(0, q), middle);
		}
		left.swept.proxy[j] = lBest;
		left.swept.at[j] = lAt;
		right.swept.proxy[j] = rBest;
		right.swept.at[j] = rAt;
	}
}

/**
 * One regression tree on `residual`, grown depth first as scikit-learn's DepthFirstTreeBuilder and
 * BestSplitter do; a node hands its rows to its children by a stable partition, which keeps every
 * feature's rows sorted. Returns the tree's nodes; `t.leafOf` holds the node each training row ends in.
 */
function growTree(t: TrainingRows, residual: Float64Array, options: BoostingOptions, random: TreeRandom): TreeBuilder {
	const { n, goesLeft, leafOf, inherited: order, features } = t;
	for (let i = 0; i < n; i++) order[i] = i;
	for (let j = 0; j < features.length; j++) features[j] = j;
	const tree = new TreeBuilder();
	const minLeaf = options.minSamplesLeaf;
	let rootSum = 0;
	let rootSquares = 0;
	for (let i = 0; i < n; i++) {
		rootSum += residual[i];
		rootSquares += residual[i] * residual[i];
	}
	const stack: Pending[] = [
		{ start: 0, end: n, depth: 0, node: tree.add(n, rootSum, rootSquares, impurityOf(n, rootSum, rootSquares)), constants: 0, swept: null }
	];
	// scikit-learn raises min_samples_split to 2 · min_samples_leaf.
	const splittable = (count: number, depth: number) => depth < options.maxDepth && count >= Math.max(2, 2 * minLeaf);
	while (stack.length > 0) {
		const at = stack.pop() as Pending;
		const { start, end, depth, node } = at;
		// The root reads the presorted rows; the nodes below it, the rows its splits partitioned.
		const rowsOf = depth === 0 ? t.sortedRows : t.rows;
		const valuesOf = depth === 0 ? t.sortedValues : t.values;
		const split =
			splittable(end - start, depth) && tree.impurity[node] > EPSILON ? nodeSplit(t, rowsOf, valuesOf, residual, at, tree.sum[node], minLeaf, random) : null;
		if (split === null || split.improvement + EPSILON < options.minImpurityDecrease) {
			for (let k = start; k < end; k++) leafOf[order[k]] = node;
			continue;
		}
		// The splitter's rows: sorted by the last feature it visited (unique where values are distinct),
		// then split by swapping each row that goes right with the last unsettled one.
		if (split.sortedBy >= 0) order.set(rowsOf[split.sortedBy].subarray(start, end), start);
		const x = t.x[split.feature];
		let middle = start;
		for (let settled = end; middle < settled;) {
			if (x[order[middle]] <= split.threshold) middle++;
			else {
				const row = order[--settled];
				order[settled] = order[middle];
				order[middle] = row;
			}
		}
		const nLeft = middle - start;
		const nRight = end - middle;
		let leftSum = 0;
		let leftSquares = 0;
		for (let k = start; k < middle; k++) {
			const e = residual[order[k]];
			goesLeft[order[k]] = 1;
			leftSum += e;
			leftSquares += e * e;
		}
		let rightSum = 0;
		let rightSquares = 0;
		for (let k = middle; k < end; k++) {
			const e = residual[order[k]];
			goesLeft[order[k]] = 0;
			rightSum += e;
			rightSquares += e * e;
		}
		// children_impurity after criterion.update(pos): the left sum forward, or the node's sum less
		// the right rows from the end when they are fewer.
		let criterionLeftSum = leftSum;
		if (nLeft > nRight) {
			criterionLeftSum = tree.sum[node];
			for (let k = end - 1; k >= middle; k--) criterionLeftSum -= residual[order[k]];
		}
		const leftImpurity = leftSquares / nLeft - (criterionLeftSum / nLeft) ** 2;
		const rightImpurity = (tree.squares[node] - leftSquares) / nRight - ((tree.sum[node] - criterionLeftSum) / nRight) ** 2;
		const left = tree.add(nLeft, leftSum, leftSquares, leftImpurity);
		const right = tree.add(nRight, rightSum, rightSquares, rightImpurity);
		tree.feature[node] = split.feature;
		tree.threshold[node] = split.threshold;
		tree.left[node] = left;
		tree.right[node] = right;
		if (!splittable(nLeft, depth + 1) && !splittable(nRight, depth + 1)) {
			// Both children are leaves: their rows need no sorted order.
			for (let k = start; k < end; k++) leafOf[order[k]] = k < middle ? left : right;
			continue;
		}
		const p = features.length;
		const leftChild = child(start, nLeft, leftSum, minLeaf, p);
		const rightChild = child(middle, nRight, rightSum, minLeaf, p);
		partition(t, rowsOf, valuesOf, residual, leftChild, rightChild);
		stack.push({ start: middle, end, depth: depth + 1, node: right, constants: split.constants, swept: rightChild.swept });
		stack.push({ start, end: middle, depth: depth + 1, node: left, constants: split.constants, swept: leftChild.swept });
	}
	return tree;
}

/**
 * BinomialDeviance's `_update_terminal_region`: each leaf's value is one Newton step,
 * Σ residual / Σ (y − residual)(1 − y + residual) over its rows (NumPy sums, rows in order), 0 when
 * the denominator is below 1e-150.
 */
function newtonLeaves(t: TrainingRows, leaves: number, residual: Float64Array): Float64Array {
	const { n, leafOf, y, numerator, denominator } = t;
	const start = new Int32Array(leaves + 1);
	for (let i = 0; i < n; i++) start[leafOf[i] + 1]++;
	for (let l = 0; l < leaves; l++) start[l + 1] += start[l];
	const at = start.slice(0, leaves);
	for (let i = 0; i < n; i++) {
		const k = at[leafOf[i]]++;
		numerator[k] = residual[i];
		denominator[k] = (y[i] - residual[i]) * (1 - y[i] + residual[i]);
	}
	const value = new Float64Array(leaves);
	for (let l = 0; l < leaves; l++) {
		const size = start[l + 1] - start[l];
		if (size === 0) continue;
		const den = pairwiseSum(denominator, start[l], size);
		value[l] = Math.abs(den) < 1e-150 ? 0 : pairwiseSum(numerator, start[l], size) / den;
	}
	return value;
}

/**
 * Fit on the rows `train` (ascending) of `data` with labels `labels` (0/1 for every row of the data
 * set). `onTree` runs after each tree (progress, cancellation).
 */
export async function fitGradientBoosting(
	data: SortedColumns,
	train: Int32Array,
	labels: Uint8Array,
	options: BoostingOptions = GRADIENT_BOOSTING_DEFAULTS,
	onTree?: () => Promise<void>
): Promise<BoostedTrees> {
	const t = trainingRows(data, train, labels);
	const { n, y } = t;
	let positives = 0;
	for (const v of y) positives += v;
	const prior = Math.min(Math.max(positives / n, FLOAT32_EPSILON), 1 - FLOAT32_EPSILON);
	const init = Math.log(prior / (1 - prior));
	const raw = new Float64Array(n).fill(init);
	const residual = new Float64Array(n);
	const seeds = new RandomState(options.randomState);
	const trees: Tree[] = [];
	const importanceSum = new Float64Array(data.columns.length);
	let splitting = 0;
	for (let m = 0; m < options.trees; m++) {
		// expit written out: a call that returns a double boxes it, one allocation per row and tree.
		for (let i = 0; i < n; i++) residual[i] = y[i] - 1 / (1 + Math.exp(-raw[i]));
		const tree = growTree(t, residual, options, new TreeRandom(seeds.randint(RAND_R_MAX)));
		const value = newtonLeaves(t, tree.feature.length, residual);
		const { leafOf } = t;
		for (let i = 0; i < n; i++) raw[i] += options.learningRate * value[leafOf[i]];
		trees.push(tree.freeze(value));
		if (tree.feature.length > 1) {
			splitting++;
			tree.importance(importanceSum.length).forEach((v, j) => (importanceSum[j] += v));
		}
		await onTree?.();
	}
	let total = 0;
	for (let j = 0; j < importanceSum.length; j++) total += importanceSum[j] / splitting;
	const importance = Float64Array.from(importanceSum, (v) => (splitting === 0 ? 0 : v / splitting / total));
	return { init, learningRate: options.learningRate, trees, importance };
}

/** `predict_proba(X)[:, 1]` for the rows `rows` of `data`. */
export function predictProbability(model: BoostedTrees, data: SortedColumns, rows: Int32Array): Float64Array {
	const out = new Float64Array(rows.length);
	rows.forEach((row, k) => {
		let raw = model.init;
		for (const tree of model.trees) {
			let node = 0;
			while (tree.feature[node] >= 0) node = data.columns[tree.feature[node]][row] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
			raw += model.learningRate * tree.value[node];
		}
		out[k] = expit(raw);
	});
	return out;
}
