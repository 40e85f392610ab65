// Checks the bundled sample model and dataset written by scripts/generate_sample.py.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const MODEL_PATH = `${root}static/models/churn_lr.onnx`;
const META_PATH = `${root}static/models/churn_lr.json`;
const REFERENCE_PATH = `${root}test/fixtures/models/churn_lr_reference.json`;
const CSV_PATH = `${root}static/samples/churn_events.csv`;

const FEATURES = [
	'tenure_months',
	'monthly_charges',
	'sessions_per_week',
	'avg_session_minutes',
	'support_tickets',
	'days_since_last_login',
	'plan_standard',
	'plan_premium',
	'autopay',
	'channel_ios',
	'channel_android'
];

const COLUMNS = [
	'event_id',
	'customer_id',
	'event_time',
	'tenure_months',
	'monthly_charges',
	'sessions_per_week',
	'avg_session_minutes',
	'support_tickets',
	'days_since_last_login',
	'plan',
	'region',
	'channel',
	'autopay',
	'churned'
];

interface Reference {
	features_order: string[];
	features: number[][];
	probabilities: number[];
}

describe('sample churn model (static/models/churn_lr.onnx)', () => {
	it('matches scikit-learn predict_proba on the 200 reference holdout rows', async () => {
		const ref = JSON.parse(readFileSync(REFERENCE_PATH, 'utf8')) as Reference;
		const meta = JSON.parse(readFileSync(META_PATH, 'utf8')) as { features: string[] };
		expect(ref.features_order).toEqual(FEATURES);
		expect(meta.features).toEqual(FEATURES);
		expect(ref.features).toHaveLength(200);
		expect(ref.probabilities).toHaveLength(200);

		const session = await ort.InferenceSession.create(MODEL_PATH);
		try {
			expect(session.inputNames).toEqual(['features']);
			expect(session.outputNames).toEqual(['churn_probability']);
			const input = session.inputMetadata[0];
			const output = session.outputMetadata[0];
			expect(input.isTensor).toBe(true);
			expect(output.isTensor).toBe(true);
			if (input.isTensor && output.isTensor) {
				expect(input.type).toBe('float32');
				expect(input.shape).toEqual(['batch', FEATURES.length]);
				expect(output.type).toBe('float32');
				expect(output.shape).toEqual(['batch', 1]);
			}

			const n = ref.features.length;
			const data = Float32Array.from(ref.features.flat());
			const feeds = { features: new ort.Tensor('float32', data, [n, FEATURES.length]) };
			const result = await session.run(feeds);
			const out = result.churn_probability;
			expect(out.type).toBe('float32');
			expect(out.dims).toEqual([n, 1]);
			const probs = out.data as Float32Array;
			let maxErr = 0;
			for (let i = 0; i < n; i++) {
				const err = Math.abs(probs[i] - ref.probabilities[i]);
				maxErr = Math.max(maxErr, err);
				expect(err, `row ${i}: onnx ${probs[i]} vs sklearn ${ref.probabilities[i]}`).toBeLessThanOrEqual(1e-5);
			}
			expect(maxErr).toBeLessThanOrEqual(1e-5);

			// The dynamic batch dimension also works for a single row.
			const one = await session.run({
				features: new ort.Tensor('float32', Float32Array.from(ref.features[0]), [1, FEATURES.length])
			});
			expect(one.churn_probability.dims).toEqual([1, 1]);
			expect(Math.abs((one.churn_probability.data as Float32Array)[0] - ref.probabilities[0])).toBeLessThanOrEqual(1e-5);
		} finally {
			await session.release();
		}
	});
});

describe('sample dataset (static/samples/churn_events.csv)', () => {
	it('has the expected header, ~200k rows and spans 12 weeks from 2026-01-05', () => {
		const text = readFileSync(CSV_PATH, 'utf8');
		const lines = text.split('\n');
		if (lines[lines.length - 1] === '') lines.pop();

		expect(lines[0].split(',')).toEqual(COLUMNS);
		const rows = lines.slice(1);
		expect(rows.length).toBeGreaterThanOrEqual(190_000);
		expect(rows.length).toBeLessThanOrEqual(210_000);

		const timeCol = COLUMNS.indexOf('event_time');
		const ts = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
		let prev = '';
		const weeks = new Set<number>();
		const start = Date.parse('2026-01-05T00:00:00Z');
		const weekMs = 7 * 24 * 3600 * 1000;
		for (const row of rows) {
			const fields = row.split(',');
			if (fields.length !== COLUMNS.length) throw new Error(`bad row: ${row}`);
			const t = fields[timeCol];
			if (!ts.test(t)) throw new Error(`bad event_time: ${t}`);
			if (t < prev) throw new Error(`rows not sorted by event_time at ${row}`);
			prev = t;
			weeks.add(Math.floor((Date.parse(t.replace(' ', 'T') + 'Z') - start) / weekMs));
		}

		const first = rows[0].split(',')[timeCol];
		const last = rows[rows.length - 1].split(',')[timeCol];
		expect(first >= '2026-01-05 00:00:00').toBe(true);
		expect(first < '2026-01-06 00:00:00').toBe(true);
		expect(last >= '2026-03-29 00:00:00').toBe(true);
		expect(last < '2026-03-30 00:00:00').toBe(true);
		expect([...weeks].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
	});
});
