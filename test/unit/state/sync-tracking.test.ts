import { describe, expect, it } from 'vitest';
import { driftReport } from '#lib/stats/index.ts';
import { abTest } from '#lib/stats/ab/index.ts';
import { runFromCell as runWith, type TrackingContext } from '#lib/state/tracking.ts';
import { metricKey } from '#lib/cells/core/runs.ts';
import { CELL_KINDS } from '#lib/cells/registry.ts';
import type { ModelValue } from '#lib/cells/model/model.ts';
import type { CellState } from '#lib/runtime/runtime.ts';
import type { CellSpec } from '#lib/notebook/format.ts';

const context: TrackingContext = { experiment: 'churn-review', notebookTitle: 'Churn review', finishedAt: 1_700_000_010_000 };
const done = (value: unknown, durationMs = 2500): CellState => ({ status: 'done', value, version: 3, runs: 1, durationMs });
/** The runs cells of the registered kinds log. */
const runFromCell = (ctx: TrackingContext, cell: CellSpec, state: CellState | undefined) => runWith(ctx, cell, state, CELL_KINDS);
const num = (values: number[]) => ({ type: 'number' as const, values: Float64Array.from(values) });

describe('runs from cells', () => {
	it('a model cell logs its model, backend, threads and rows as params and its speed as metrics', () => {
		const value = {
			model: { key: 'k', name: 'churn_lr.onnx', format: 'onnx', sizeBytes: 1234, inputs: [], outputs: [], backend: 'wasm', threads: 2 },
			backend: 'wasm',
			fallbackReason: 'no WebGPU adapter',
			rows: 5000,
			inferenceMs: 40,
			rowsPerSecond: 125_000
		} as unknown as ModelValue;
		const cell = { kind: 'model', name: 'scores', attrs: {}, source: 'model: /models/churn_lr.onnx\ninput: features\nid: event_id\ncolumns: a, b, c' };
		const run = runFromCell(context, cell, done(value))!;
		expect(run.experiment_name).toBe('churn-review');
		expect(run.start_time).toBe(1_700_000_007_500);
		expect(run.end_time).toBe(1_700_000_010_000);
		expect(run.params).toMatchObject({
			model: 'churn_lr.onnx',
			backend: 'wasm',
			threads: '2',
			rows: '5000',
			input_table: 'features',
			features: '3',
			fallback_reason: 'no WebGPU adapter'
		});
		expect(Object.fromEntries(run.metrics!.map((m) => [m.key, m.value]))).toEqual({ rows_per_second: 125_000, inference_ms: 40, rows: 5000, cell_ms: 2500 });
		expect(run.tags).toMatchObject({ 'driftbook.cell': 'scores', 'driftbook.cell_kind': 'model', 'mlflow.source.name': 'churn-review' });
		expect(run.artifacts).toBeUndefined();
	});

	it('a drift cell logs drift share and each column statistic / p-value, and the report as JSON', () => {
		const reference = { tenure: num([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 'odd col!': num([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) };
		const current = { tenure: num([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]), 'odd col!': num([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) };
		const report = driftReport(reference, current, { methods: ['ks'] });
		const cell = { kind: 'drift', name: 'drift', attrs: {}, source: 'reference: r\ncurrent: c' };
		const run = runFromCell(context, cell, done({ reference: 'r', current: 'c', report }))!;
		const metrics = Object.fromEntries(run.metrics!.map((m) => [m.key, m.value]));
		expect(metrics.drift_share).toBe(report.share);
		expect(metrics['drift.tenure.statistic']).toBe(1);
		expect(metrics['drift.tenure.p_value']).toBe(report.columns[0].tests[0].p_value);
		expect(metrics['drift.odd col_.statistic']).toBe(0);
		expect(JSON.parse(run.artifacts![0].content).report).toEqual(report);
		expect(run.artifacts![0].path).toBe('reports/drift.json');
	});

	it('an A/B cell logs each variant against control and the verdict', () => {
		const group = { type: 'string' as const, values: [...Array(200)].map((_, i) => (i % 2 ? 'B' : 'A')) };
		const metric = num([...Array(200)].map((_, i) => (i % 2 ? (i % 3 === 0 ? 1 : 0) : i % 5 === 0 ? 1 : 0)));
		const report = abTest({ group, metric }, { control: 'A' });
		const cell = { kind: 'ab', name: 'test', attrs: {}, source: '' };
		const run = runFromCell(context, cell, done({ settings: { table: 't', group: 'g', metric: 'm' }, report, output: { table: 'test', rows: 1 } }))!;
		const metrics = Object.fromEntries(run.metrics!.map((m) => [m.key, m.value]));
		expect(metrics['ab.B.difference']).toBeCloseTo(report.variants[0].difference!, 12);
		expect(metrics['ab.B.p_value']).toBe(report.variants[0].p_value);
		expect(run.tags!['driftbook.decision']).toBe(report.verdict.decision);
		expect(run.artifacts![0].path).toBe('reports/ab.json');
	});

	it('logs nothing for other kinds or unfinished cells, and keeps metric keys within MLflow’s alphabet', () => {
		expect(runFromCell(context, { kind: 'sql', name: 'q', attrs: {}, source: '' }, done({}))).toBeUndefined();
		expect(runFromCell(context, { kind: 'drift', name: 'd', attrs: {}, source: '' }, { status: 'error', version: 1, runs: 1 })).toBeUndefined();
		expect(metricKey('drift', 'a/../b', 'p_value')).toBe('drift.a___b.p_value');
		expect(metricKey('ab', 'größe?', 'n')).toBe('ab.gr__e_.n');
	});
});
