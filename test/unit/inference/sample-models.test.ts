// The bundled models written by scripts/models/generate_models.py, run by onnxruntime-node,
// against scikit-learn's own predictions on the same rows (and the variants against fp32).
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { readOnnxMetadata, defaultOpset } from '#lib/inference/onnx-metadata.ts';

const reference = JSON.parse(readFileSync('test/fixtures/models/sample_models_reference.json', 'utf8'));

async function run(file: string, name: string, rows: number[][]) {
	const session = await ort.InferenceSession.create(`static/models/${file}`);
	const width = rows[0].length;
	const result = await session.run({ [name]: new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, width]) });
	await session.release();
	return result;
}

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

describe('bundled sample models', () => {
	it('the tree ensemble gives scikit-learn probabilities', async () => {
		const out = await run('churn_gbt.onnx', 'features', reference.churn.raw);
		const p = out.probabilities.data as Float32Array;
		const positive = Array.from({ length: p.length / 2 }, (_, i) => p[2 * i + 1]);
		expect(maxAbs(positive, reference.churn.gbt_probability)).toBeLessThan(1e-5);
		const labels = Array.from(out.label.data as BigInt64Array, Number);
		expect(labels).toEqual(positive.map((v) => (v > 0.5 ? 1 : 0)));
	});

	it('the MLP gives scikit-learn probabilities on standardized rows', async () => {
		const out = await run('churn_mlp.onnx', 'features', reference.churn.standardized);
		expect(maxAbs(out.churn_probability.data as Float32Array, reference.churn.mlp_probability)).toBeLessThan(1e-5);
	});

	it('fp16 and int8 variants stay close to fp32 and are smaller', async () => {
		const fp32 = (await run('churn_mlp.onnx', 'features', reference.churn.standardized)).churn_probability.data as Float32Array;
		const fp16 = (await run('churn_mlp_fp16.onnx', 'features', reference.churn.standardized)).churn_probability.data as Float32Array;
		const int8 = (await run('churn_mlp_int8.onnx', 'features', reference.churn.standardized)).churn_probability.data as Float32Array;
		expect(maxAbs(fp16, fp32)).toBeLessThan(5e-3);
		expect(maxAbs(fp16, fp32)).toBeGreaterThan(0);
		expect(maxAbs(int8, fp32)).toBeLessThan(5e-2);
		const size = (f: string) => readFileSync(`static/models/${f}`).byteLength;
		expect(size('churn_mlp_fp16.onnx')).toBeLessThan(size('churn_mlp.onnx'));
		expect(size('churn_mlp_int8.onnx')).toBeLessThan(size('churn_mlp_fp16.onnx'));
	});

	it('the digits model classifies held-out images as scikit-learn does', async () => {
		const out = await run('digits_mlp.onnx', 'pixels', reference.digits.pixels);
		expect(maxAbs(out.probabilities.data as Float32Array, reference.digits.probabilities.flat())).toBeLessThan(1e-5);
	});

	it('reads opsets and producer from the files', () => {
		const meta = readOnnxMetadata(readFileSync('static/models/churn_gbt.onnx'));
		expect(defaultOpset(meta)).toBe(17);
		expect(meta.opsets).toContainEqual({ domain: 'ai.onnx.ml', version: 3 });
		expect(meta.producer).toContain('generate_models.py');
		expect(meta.irVersion).toBe(8);
	});

	it('rejects files that are not ONNX', () => {
		expect(() => readOnnxMetadata(new TextEncoder().encode('event_id,churned\n1,0\n'))).toThrow(/not an ONNX model/);
		expect(() => readOnnxMetadata(readFileSync('static/models/churn_mlp_tfjs/churn_mlp.weights.bin'))).toThrow(/not an ONNX model/);
		expect(() => readOnnxMetadata(new Uint8Array())).toThrow(/not an ONNX model/);
	});
});
