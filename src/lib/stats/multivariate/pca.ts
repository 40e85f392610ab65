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

/** Components of centred data (the standardised features: their mean, scikit-learn's `mean_`, is 0 up to rounding). */
export interface Pca {
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
 * The components of `p` features from their p×p covariance matrix (row-major, divisor n − 1),
 * keeping the fewest leading components whose cumulative explained variance ratio exceeds
 * `fraction` (scikit-learn's `searchsorted(cumsum, fraction, side='right') + 1`).
 */
export function pcaFromCovariance(cov: Float64Array, p: number, fraction: number): Pca {
	if (!(fraction > 0 && fraction < 1)) throw new Error(`the explained variance to keep must be between 0 and 1 (got ${fraction})`);
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
	return { components, count, features: p, explainedVarianceRatio };
}

/**
 * ‖x − inverse_transform(transform(x))‖ of `rows` centred rows held feature-major in `block`
 * (`block[j * stride + i]`, row i, feature j) into `out[at…]`: the distance of each row to the kept
 * components' plane. `scores` (count long) is scratch; nothing is allocated. The residual is
 * subtracted explicitly rather than taken as ‖x‖² − ‖scores‖², which would cancel when rows lie
 * near the plane. A row at a time, its scores and its sum of squares stay in registers (the same
 * sums in the same order as scores, then x − scores·components, taken for the whole block).
 */
export function reconstructionErrors(pca: Pca, block: Float64Array, stride: number, rows: number, out: Float64Array, at: number, scores: Float64Array): void {
	const { components, count, features: p } = pca;
	for (let i = 0; i < rows; i++) {
		for (let c = 0; c < count; c++) {
			let score = 0;
			for (let j = 0; j < p; j++) score += components[c * p + j] * block[j * stride + i];
			scores[c] = score;
		}
		let sum = 0;
		for (let j = 0; j < p; j++) {
			let residual = block[j * stride + i];
			for (let c = 0; c < count; c++) residual -= scores[c] * components[c * p + j];
			sum += residual * residual;
		}
		out[at + i] = Math.sqrt(sum);
	}
}
