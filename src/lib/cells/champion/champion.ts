/**
 * The champion cell: two models' predictions on the same rows against the labels, compared in
 * the stats worker (src/lib/stats/ab/champion.ts): paired tests, error metrics with paired
 * bootstrap intervals, agreement and the disagreeing rows, a slice table and a canary view.
 *
 * Fields (`key: value` lines):
 *
 *   table: shadow              the table with labels and both models' predictions (required)
 *   label: churned             the true outcome (required): 0/1, class names, or numbers
 *   champion: model_a          the current model's prediction: a probability, a class or a number
 *   challenger: model_b        the candidate's prediction (both required)
 *   slice: segment             break the comparison down by this column
 *   time: scored_at            DATE / TIMESTAMP / ISO text: metrics by day or week (canary view)
 *   task: auto                 auto, binary, multiclass or regression
 *   threshold: 0.5             binary: a probability at or above this predicts 1
 *   alpha: 0.05
 *   bootstrap: 2000            paired bootstrap resamples, and its seed
 *   seed: 42
 *
 * The metrics are also written to DuckDB as a table named after the cell.
 */
import * as Comlink from 'comlink';
import { Float64, Table, Utf8, tableToIPC } from 'apache-arrow';
import { vectorFromValues } from '#lib/sql/arrow-vector.ts';
import type { CellRunner } from '#lib/cells/core/types.ts';
import { Fields } from '#lib/cells/core/fields.ts';
import { quoteIdentifier } from '#lib/sql/identifiers.ts';
import type { ChampionReport } from '#lib/stats/ab/index.ts';
import type { ChampionRequest } from '#lib/workers/protocol.ts';
import { columnExpression, finite, onStatsWorker, schemaOf, selectedRows, timeExpression } from '#lib/cells/core/stats-input.ts';

export interface ChampionSettings {
	table: string;
	label: string;
	champion: string;
	challenger: string;
	slice?: string;
	time?: string;
}

export interface ChampionValue {
	settings: ChampionSettings;
	report: ChampionReport;
	output: { table: string; rows: number };
}

const COLUMNS = { label: '__cc_label', champion: '__cc_champion', challenger: '__cc_challenger', slice: '__cc_slice', time: '__cc_time' } as const;

function metricTable(report: ChampionReport): Table {
	const m = report.metrics;
	const num = (f: (r: (typeof m)[number]) => number | null) =>
		vectorFromValues(
			m.map((r) => finite(f(r))),
			new Float64()
		);
	return new Table({
		metric: vectorFromValues(
			m.map((r) => r.metric),
			new Utf8()
		),
		champion: num((r) => r.champion),
		challenger: num((r) => r.challenger),
		difference: num((r) => r.difference),
		ci_low: num((r) => r.ci_low),
		ci_high: num((r) => r.ci_high),
		p_value: num((r) => r.p_value),
		method: vectorFromValues(
			m.map((r) => r.method),
			new Utf8()
		),
		outcome: vectorFromValues(
			m.map((r) => r.outcome),
			new Utf8()
		)
	});
}

export const championCell: CellRunner = {
	kind: 'champion',
	inputs: (cell) => new Fields(cell).referenced(['table']),
	async run(cell, _inputs, services, { signal }): Promise<ChampionValue> {
		const name = cell.name;
		const fields = new Fields(cell);
		const table = fields.required('table');
		const label = fields.required('label');
		const champion = fields.required('champion');
		const challenger = fields.required('challenger');
		const slice = fields.optional('slice');
		const time = fields.optional('time');
		const task = fields.oneOf('task', ['auto', 'binary', 'multiclass', 'regression'] as const, 'auto');
		const threshold = fields.number('threshold');
		const alpha = fields.number('alpha');
		const bootstrap = fields.number('bootstrap');
		const seed = fields.number('seed');

		const db = await services.db();
		const schema = await schemaOf(db, table, signal);
		const select = [
			`${columnExpression(schema, label, table, name, 'label')} AS ${quoteIdentifier(COLUMNS.label)}`,
			`${columnExpression(schema, champion, table, name, 'champion')} AS ${quoteIdentifier(COLUMNS.champion)}`,
			`${columnExpression(schema, challenger, table, name, 'challenger')} AS ${quoteIdentifier(COLUMNS.challenger)}`
		];
		if (slice) select.push(`CAST(${columnExpression(schema, slice, table, name, 'slice')} AS VARCHAR) AS ${quoteIdentifier(COLUMNS.slice)}`);
		const timeSql = time ? timeExpression(schema, time, table, name) : undefined;
		if (timeSql) select.push(`${timeSql.sql} AS ${quoteIdentifier(COLUMNS.time)}`);
		const ipc = await selectedRows(db, table, select, name, signal);

		const request: ChampionRequest = {
			jobId: crypto.randomUUID(),
			columns: {
				label: COLUMNS.label,
				champion: COLUMNS.champion,
				challenger: COLUMNS.challenger,
				...(slice ? { slice: COLUMNS.slice } : {}),
				...(timeSql ? { time: COLUMNS.time } : {})
			},
			names: { label, champion, challenger, slice, time },
			...(task !== 'auto' ? { task } : {}),
			...(threshold !== undefined ? { threshold } : {}),
			...(alpha !== undefined ? { alpha } : {}),
			...(bootstrap !== undefined ? { bootstrap } : {}),
			...(seed !== undefined ? { seed } : {}),
			...(timeSql ? { timeUnit: timeSql.unit } : {})
		};
		const report = await onStatsWorker(services, signal, name, request.jobId, (api) => api.championChallenger(Comlink.transfer(ipc, [ipc.buffer]), request));
		signal.throwIfAborted();
		await db.insertArrowIPC(name, tableToIPC(metricTable(report), 'stream'));
		return { settings: { table, label, champion, challenger, slice, time }, report, output: { table: name, rows: report.metrics.length } };
	}
};
