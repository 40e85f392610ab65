// Dropped model files: how the cell names them, how dropped files are read and checked.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelHash, readModelFiles, withModelReference } from '#lib/inference/model-files.ts';
import { fileReference, parseFileReference } from '#lib/notebook/file-reference.ts';

const file = (path: string, name = path.split('/').pop()!) => new File([readFileSync(path)], name);
const MLP = 'static/models/churn_mlp.onnx';
const TFJS_JSON = 'static/models/churn_mlp_tfjs/model.json';
const TFJS_WEIGHTS = 'static/models/churn_mlp_tfjs/churn_mlp.weights.bin';
const sha = (...paths: string[]) => paths.reduce((h, p) => h.update(readFileSync(p)), createHash('sha256')).digest('hex');

describe('file references', () => {
	it('round-trip through the cell text; URLs and registry models are not file references', () => {
		const hex = 'ab'.repeat(32);
		expect(parseFileReference(fileReference({ name: 'churn model.onnx', sha256: hex }))).toEqual({ name: 'churn model.onnx', sha256: hex });
		expect(parseFileReference('/models/churn_mlp.onnx')).toBeUndefined();
		expect(parseFileReference('models:/churn@champion')).toBeUndefined();
		expect(() => parseFileReference('file:churn.onnx')).toThrow('write file:<name>#sha256=<64 hex digits>');
	});

	it('a drop rewrites only the model line, or adds one', () => {
		const source = 'model: /models/churn_mlp.onnx\ninput: events\ncompare: /models/churn_mlp_int8.onnx';
		expect(withModelReference(source, 'file:a.onnx#sha256=x')).toBe('model: file:a.onnx#sha256=x\ninput: events\ncompare: /models/churn_mlp_int8.onnx');
		expect(withModelReference('input: events', 'file:a.onnx#sha256=x')).toBe('model: file:a.onnx#sha256=x\ninput: events');
	});
});

describe('readModelFiles', () => {
	it('reads one .onnx file, hashed as its bytes', async () => {
		const model = await readModelFiles([file(MLP)]);
		expect(model).toMatchObject({ name: 'churn_mlp.onnx', format: 'onnx' });
		expect(await modelHash(model)).toBe(sha(MLP));
	});

	it('reads a TF.js model.json with its weight file, hashed with its weights', async () => {
		const model = await readModelFiles([file(TFJS_WEIGHTS), file(TFJS_JSON)]);
		expect(model.format).toBe('tfjs');
		expect(Object.keys(model.weights!)).toEqual(['churn_mlp.weights.bin']);
		expect(await modelHash(model)).toBe(sha(TFJS_JSON, TFJS_WEIGHTS));
	});

	it('names the file and says what it expected', async () => {
		await expect(readModelFiles([file('static/samples/churn_events.csv')])).rejects.toThrow('churn_events.csv: not a model file; drop one .onnx file');
		await expect(readModelFiles([file('static/samples/churn_events.csv', 'fake.onnx')])).rejects.toThrow('fake.onnx: not an ONNX model');
		await expect(readModelFiles([file(MLP), file('static/models/churn_gbt.onnx')])).rejects.toThrow('more than one model');
		await expect(readModelFiles([file(TFJS_JSON)])).rejects.toThrow('model.json: its weight file churn_mlp.weights.bin must be dropped with it');
		await expect(readModelFiles([file('static/models/churn_mlp.json', 'model.json')])).rejects.toThrow('model.json: not a TensorFlow.js layers model');
		await expect(readModelFiles([file(MLP), file(TFJS_WEIGHTS)])).rejects.toThrow('churn_mlp.weights.bin: not needed with churn_mlp.onnx');
	});
});
