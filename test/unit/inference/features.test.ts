// The model cell's pre-processing (src/lib/inference/features.ts) against the generator's own
// standardization and one-hot encoding of the same rows (test/fixtures/models/sample_models_reference.json).
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Bool, Float64, Utf8, makeVector, Table, tableFromArrays, vectorFromArray, RecordBatch } from 'apache-arrow';
import { buildTensor, parseFeatures, parseStandardize, sourceColumns } from '#lib/inference/features.ts';
import { drawingToPixels } from '#lib/inference/digits.ts';

const reference = JSON.parse(readFileSync('test/fixtures/models/sample_models_reference.json', 'utf8'));
const meta = JSON.parse(readFileSync('static/models/churn_mlp.json', 'utf8')) as {
	columns: string[];
	standardize: Record<string, { mean: number; sd: number }>;
};
const NUMERIC = ['tenure_months', 'monthly_charges', 'sessions_per_week', 'avg_session_minutes', 'support_tickets', 'days_since_last_login'];
const standardizeText = Object.entries(meta.standardize)
	.map(([c, s]) => `${c} mean=${s.mean} sd=${s.sd}`)
	.join(', ');

/** The reference rows turned back into raw columns (categories from their indicators). */
function rawTable(): Table {
	const raw = reference.churn.raw as number[][];
	const columns: Record<string, unknown> = {};
	NUMERIC.forEach((c, j) => (columns[c] = makeVector(Float64Array.from(raw, (r) => r[j]))));
	columns.plan = vectorFromArray(
		raw.map((r) => (r[6] ? 'standard' : r[7] ? 'premium' : 'basic')),
		new Utf8()
	);
	columns.autopay = vectorFromArray(
		raw.map((r) => r[8] === 1),
		new Bool()
	);
	columns.channel = vectorFromArray(
		raw.map((r) => (r[9] ? 'ios' : r[10] ? 'android' : 'web')),
		new Utf8()
	);
	return new Table(columns as never);
}

describe('model cell pre-processing', () => {
	it('one-hot and booleans give the generator’s raw feature matrix', () => {
		const features = parseFeatures(meta.columns, new Map(), 'test');
		const tensor = buildTensor(rawTable(), features);
		expect(Array.from(tensor)).toEqual(Array.from(Float32Array.from((reference.churn.raw as number[][]).flat())));
	});

	it('one-hot and booleans read sliced, multi-chunk columns at the right rows', () => {
		const features = parseFeatures(meta.columns, new Map(), 'test');
		const table = rawTable();
		const whole = buildTensor(table, features);
		const width = features.length;
		// Slices start mid-buffer (offsets and bitmaps not at 0); concat makes several chunks.
		const pieces = [table.slice(3, 11), table.slice(11, 17), table.slice(17, 40)];
		const chunked = pieces[0].concat(pieces[1], pieces[2]);
		expect(Array.from(buildTensor(chunked, features))).toEqual(Array.from(whole.subarray(3 * width, 40 * width)));
		for (const [i, piece] of pieces.entries()) {
			const start = [3, 11, 17][i];
			expect(Array.from(buildTensor(piece, features))).toEqual(Array.from(whole.subarray(start * width, (start + piece.numRows) * width)));
		}
	});

	it('standardization equals the generator’s, bit for bit in float32', () => {
		const features = parseFeatures(meta.columns, parseStandardize(standardizeText, 'test'), 'test');
		const tensor = buildTensor(rawTable(), features);
		expect(Array.from(tensor)).toEqual(Array.from(Float32Array.from((reference.churn.standardized as number[][]).flat())));
		expect(sourceColumns(features)).toEqual([...NUMERIC, 'plan', 'autopay', 'channel']);
	});

	it('works batch by batch, numbering rows across batches in errors', () => {
		const table = tableFromArrays({ x: Float64Array.from([1, 2, 3]) });
		const features = parseFeatures(['x'], new Map(), 'test');
		const batch = new RecordBatch({ x: makeVector(Float64Array.from([1, NaN])).data[0] });
		expect(Array.from(buildTensor(table, features))).toEqual([1, 2, 3]);
		expect(() => buildTensor(batch, features, 2048)).toThrow('column "x" is not a finite number at row 2050');
		const withNull = new Table({ x: vectorFromArray([1, null, 3], new Float64()) });
		expect(() => buildTensor(withNull, features, 0)).toThrow('column "x" is missing (NULL) at row 2');
	});

	it('names what is wrong in the fields', () => {
		expect(() => parseStandardize('x mean=1', 'cell m, field "standardize"')).toThrow(
			'cell m, field "standardize": expected "column mean=<number> sd=<number>", got "x mean=1"'
		);
		expect(() => parseStandardize('x mean=1 sd=0', 'f')).toThrow('sd of x "0" must be a positive number');
		expect(() => parseStandardize('x mean=a sd=1', 'f')).toThrow('mean of x "a" is not a number');
		expect(() => parseFeatures(['x', 'plan=gold'], parseStandardize('plan mean=1 sd=1', 'f'), 'f')).toThrow(
			'standardize names plan, which is not a numeric feature in columns'
		);
		expect(() => parseFeatures(['plan='], new Map(), 'f')).toThrow('"plan=" should be column=value');
		const text = new Table({ plan: vectorFromArray(['a'], new Utf8()) });
		expect(() => buildTensor(text, parseFeatures(['plan'], new Map(), 'f'))).toThrow('column "plan" is Utf8, not a number: use column=value');
		expect(() => buildTensor(text, parseFeatures(['missing'], new Map(), 'f'))).toThrow('column "missing" is not in the input table');
	});
});

describe('digit drawings as model input', () => {
	it('averages ink over 8 × 8 blocks and scales it to 0–16', () => {
		const side = 16;
		const alpha = new Uint8Array(side * side);
		// Block (0, 0) fully inked, block (1, 0) half inked, block (7, 7) a quarter.
		for (let y = 0; y < 2; y++) for (let x = 0; x < 2; x++) alpha[y * side + x] = 255;
		alpha[2] = 255;
		alpha[side + 2] = 255;
		alpha[15 * side + 15] = 255;
		const pixels = drawingToPixels(alpha, side);
		expect(pixels[0]).toBe(16);
		expect(pixels[1]).toBe(8);
		expect(pixels[63]).toBe(4);
		expect(pixels.filter((v) => v > 0).length).toBe(3);
		expect(() => drawingToPixels(new Uint8Array(10), 10)).toThrow();
	});
});
