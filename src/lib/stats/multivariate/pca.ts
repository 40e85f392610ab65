/**
 * Principal component analysis as scikit-learn 1.2's `PCA(n_components=<fraction>)` fits it, for
 * the reconstruction of rows from their leading components.
 *
 * scikit-learn takes the full SVD of the centred data; its right singular vectors are the
 * eigenvectors of the covariance matrix and S²/(n−1) its eigenvalues, so a symmetric
 * eigen-decomposition of the covariance (cyclic Jacobi, exact to rounding for a few dozen
 * features) gives the same components and explained variances. The signs scikit-learn fixes with
 * `svd_flip` do not change a reconstruction, so they are not reproduced.
 */

import { pairwiseSum } from '#lib/stats/float.ts';

export interface Pca {
	/** Column means of the fitted data (`mean_`). */
	mean: Float64Array;
	/** Kept components, row-major: `components[c * features + j]` (`components_`). */
	components: Float64Array;
	/** Number of kept components (`n_components_`). */
	count: number;
	features: number;
	/** Explained variance ratio of every component, largest first. */
	explainedVarianceRatio: Float64Array;
}

/** Eigenvalues and eigenvectors (columns of `vectors`, row-major p×p) of a symmetric p×p matrix. */
export function symmetricEigen(matrix: Float64Array, p: number): { values: Float64Array; vectors: Float64Array } {
	const a = Float64Array.from(matrix);
	const v = new Float64Array(p * p);
	for (let i = 0; i < p; i++) v[i * p + i] = 1;
	for (let sweep = 0; sweep < 100; sweep++) {
		let off = 0;
		let diag = 0;
		for (let i = 0; i < p; i++) {
			diag += a[i * p + i] * a[i * p + i];
			for (let j = i + 1; j < p; j++) off += a[i * p + j] * a[i * p + j];
		}
		if (off <= 1e-32 * diag || off === 0) break;
		for (let i = 0; i < p; i++) {
			for (let j = i + 1; j < p; j++) {
				const aij = a[i * p + j];
				if (aij === 0) continue;
				// Rotation that zeroes a[i][j] (Golub & Van Loan, symmetric Schur decomposition).
				const theta = (a[j * p + j] - a[i * p + i]) / (2 * aij);
				const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
				const c = 1 / Math.sqrt(t * t + 1);
				const s = t * c;
				for (let k = 0; k < p; k++) {
					const aki = a[k * p + i];
					const akj = a[k * p + j];
					a[k * p + i] = c * aki - s * akj;
					a[k * p + j] = s * aki + c * akj;
				}
				for (let k = 0; k < p; k++) {
					const aik = a[i * p + k];
					const ajk = a[j * p + k];
					a[i * p + k] = c * aik - s * ajk;
					a[j * p + k] = s * aik + c * ajk;
				}
				for (let k = 0; k < p; k++) {
					const vki = v[k * p + i];
					const vkj = v[k * p + j];
					v[k * p + i] = c * vki - s * vkj;
					v[k * p + j] = s * vki + c * vkj;
				}
			}
		}
	}
	const values = new Float64Array(p);
	for (let i = 0; i < p; i++) values[i] = a[i * p + i];
	return { values, vectors: v };
}

/**
 * Fit on `rows` rows of `p` features (row-major), keeping the fewest leading components whose
 * cumulative explained variance ratio exceeds `fraction` (scikit-learn's
 * `searchsorted(cumsum, fraction, side='right') + 1`).
 */
export function fitPca(data: Float64Array, rows: number, p: number, fraction: number): Pca {
	if (!(fraction > 0 && fraction < 1)) throw new Error(`the explained variance to keep must be between 0 and 1 (got ${fraction})`);
	if (rows < 2) throw new Error(`PCA needs at least 2 rows (got ${rows})`);
	const mean = new Float64Array(p);
	const column = new Float64Array(rows);
	for (let j = 0; j < p; j++) {
		for (let r = 0; r < rows; r++) column[r] = data[r * p + j];
		mean[j] = pairwiseSum(column) / rows;
	}
	const cov = new Float64Array(p * p);
	const product = new Float64Array(rows);
	for (let i = 0; i < p; i++) {
		for (let j = i; j < p; j++) {
			for (let r = 0; r < rows; r++) product[r] = (data[r * p + i] - mean[i]) * (data[r * p + j] - mean[j]);
			cov[i * p + j] = cov[j * p + i] = pairwiseSum(product) / (rows - 1);
		}
	}
	const { values, vectors } = symmetricEigen(cov, p);
	const order = Array.from({ length: p }, (_, i) => i).sort((x, y) => values[y] - values[x]);
	let total = 0;
	for (const v of values) total += Math.max(v, 0);
	const explainedVarianceRatio = Float64Array.from(order, (i) => Math.max(values[i], 0) / total);
	let count = 0;
	let cumulative = 0;
	while (count < p) {
		cumulative += explainedVarianceRatio[count];
		count++;
		if (cumulative > fraction) break;
	}
	const components = new Float64Array(count * p);
	for (let c = 0; c < count; c++) for (let j = 0; j < p; j++) components[c * p + j] = vectors[j * p + order[c]];
	return { mean, components, count, features: p, explainedVarianceRatio };
}

/** ‖x − inverse_transform(transform(x))‖ for one row: the distance to the kept components' plane. */
export function reconstructionError(pca: Pca, row: Float64Array): number {
	const { mean, components, count, features: p } = pca;
	const centred = new Float64Array(p);
	for (let j = 0; j < p; j++) centred[j] = row[j] - mean[j];
	const residual = Float64Array.from(centred);
	for (let c = 0; c < count; c++) {
		let score = 0;
		for (let j = 0; j < p; j++) score += centred[j] * components[c * p + j];
		for (let j = 0; j < p; j++) residual[j] -= score * components[c * p + j];
	}
	let sum = 0;
	for (let j = 0; j < p; j++) sum += residual[j] * residual[j];
	return Math.sqrt(sum);
}
