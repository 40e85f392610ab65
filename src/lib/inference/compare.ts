/**
 * Comparing model outputs: backends against each other (parity) and quantized variants against
 * fp32 (agreement, accuracy). Pure functions over float32 output tensors.
 */
import type { TensorData } from './model-api';

export interface Difference {
	maxAbs: number;
	/** max |a − b| / max(|b|, tiny): relative to the reference `b`. */
	maxRel: number;
	/** The output and flat index where the absolute difference is largest. */
	where?: { output: string; index: number };
}

/** Largest absolute and relative differences over every output the two runs share. */
export function maxDifference(candidate: Record<string, TensorData>, reference: Record<string, TensorData>): Difference {
	const out: Difference = { maxAbs: 0, maxRel: 0 };
	for (const [name, ref] of Object.entries(reference)) {
		const got = candidate[name];
		if (!got) throw new Error(`output ${name} is missing from the compared run`);
		if (got.data.length !== ref.data.length) throw new Error(`output ${name} has ${got.data.length} values, the reference ${ref.data.length}`);
		for (let i = 0; i < ref.data.length; i++) {
			const abs = Math.abs(got.data[i] - ref.data[i]);
			if (Number.isNaN(abs)) return { maxAbs: Infinity, maxRel: Infinity, where: { output: name, index: i } };
			if (abs > out.maxAbs) out.where = { output: name, index: i };
			out.maxAbs = Math.max(out.maxAbs, abs);
			out.maxRel = Math.max(out.maxRel, abs / Math.max(Math.abs(ref.data[i]), 1e-12));
		}
	}
	return out;
}

/**
 * The output that carries scores: the first float output with one column (a probability) or
 * several (class probabilities); int64 outputs are labels.
 */
export function scoreOutput(outputs: Record<string, TensorData>): string | undefined {
	return Object.entries(outputs).find(([, t]) => t.type === 'float32')?.[0];
}

/** Predicted class per row: p > 0.5 for one column, else the arg-max column. */
export function predictedClasses(tensor: TensorData): Int32Array {
	const width = tensor.dims[1] ?? 1;
	const rows = tensor.data.length / width;
	const out = new Int32Array(rows);
	for (let r = 0; r < rows; r++) {
		if (width === 1) {
			out[r] = tensor.data[r] > 0.5 ? 1 : 0;
			continue;
		}
		let best = 0;
		for (let c = 1; c < width; c++) if (tensor.data[r * width + c] > tensor.data[r * width + best]) best = c;
		out[r] = best;
	}
	return out;
}

/** Share of positions where two class vectors agree. */
export function agreement(a: Int32Array, b: Int32Array): number {
	if (a.length !== b.length) throw new Error(`cannot compare ${a.length} predictions with ${b.length}`);
	let same = 0;
	for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
	return a.length === 0 ? NaN : same / a.length;
}

/** Accuracy of predicted classes against labels (class indices; NaN labels are skipped). */
export function accuracy(predicted: Int32Array, labels: Float64Array): { accuracy: number; rows: number } {
	let right = 0;
	let rows = 0;
	for (let i = 0; i < predicted.length; i++) {
		if (Number.isNaN(labels[i])) continue;
		rows++;
		if (predicted[i] === labels[i]) right++;
	}
	return { accuracy: rows === 0 ? NaN : right / rows, rows };
}
