/**
 * The ab cell: an A/B experiment in one table, analysed in the stats worker
 * (src/lib/stats/ab): sample-ratio check, every variant against control, a forest plot, the
 * cumulative difference over time with its always-valid band, and a verdict in words.
 *
 * Fields (`key: value` lines):
 *
 *   table: experiment          the table (a data or SQL cell), one row per unit (required)
 *   group: variant             the column naming each row's group (required)
 *   metric: converted          the outcome: 0/1 for conversions, any number otherwise (required)
 *   control: A                 the control group's value (required)
 *   test: auto                 auto (proportion for a 0/1 metric, else welch), proportion,
 *                              welch, mannwhitney or cuped
 *   covariate: pre_revenue     pre-experiment covariate, for cuped
 *   time: assigned_at          DATE / TIMESTAMP / ISO text column: the result over time
 *   correction: holm           holm (default) or bh, with more than one variant
 *   alpha: 0.05                significance level; intervals are 1 − alpha
 *   better: higher             whether a higher (default) or lower metric is better
 *   weights: A=1, B=1          the planned split for the sample-ratio check (default equal)
 *   tau: 0.005                 mixing standard deviation of the sequential test, in metric units
 *                              (default 0.1 × the control's standard deviation)
 *   unit: USD                  the metric's unit, for the plots' axes (not for 0/1 metrics)
 *
 * The per-variant results are also written to DuckDB as a table named after the cell.
 */
import * as Comlink from 'comlink';
import { Float64, Int32, Table, Utf8, tableToIPC } from 'apache-arrow';
import { vectorFromValues } from '#lib/sql/arrow-vector.ts';
import type { CellRunner } from '#lib/cells/core/types.ts';
import { columnExpression, finite, onStatsWorker, schemaOf, selectedRows, timeExpression } from '#lib/cells/core/stats-input.ts';
import { Fields } from '#lib/cells/core/fields.ts';
import { quoteIdentifier } from '#lib/sql/identifiers.ts';
import { AB_TESTS, CORRECTIONS, type AbReport, type AbTestKind, type Correction } from '#lib/stats/ab/index.ts';
import type { AbTestRequest } from '#lib/workers/protocol.ts';

export interface AbSettings {
	table: string;
	group: string;
	metric: string;
	covariate?: string;
	time?: string;
	unit?: string;
}

export interface AbValue {
	settings: AbSettings;
	report: AbReport;
	/** The DuckDB table the per-variant results were written to. */
	output: { table: string; rows: number };
}

/** Columns as they cross to the worker. */
export const AB_COLUMNS = { group: '__ab_group', metric: '__ab_metric', covariate: '__ab_covariate', time: '__ab_time' } as const;

function parseWeights(text: string | undefined, cell: string): Record<string, number> | undefined {
	if (!text) return undefined;
	const weights: Record<string, number> = {};
	for (const part of text.split(',')) {
		if (part.trim() === '') continue;
		const eq = part.lastIndexOf('=');
		const w = Number(part.slice(eq + 1));
		if (eq <= 0 || !(w > 0)) throw new Error(`cell ${cell}, field "weights": "${part.trim()}" is not group=weight`);
		weights[part.slice(0, eq).trim()] = w;
	}
	return weights;
}

/** The per-variant results as written to DuckDB, under the cell's name; values in full. */
export function resultTable(report: AbReport): Table {
	const v = report.variants;
	const num = (f: (r: (typeof v)[number]) => number | null | undefined) =>
		vectorFromValues(
			v.map((r) => finite(f(r))),
			new Float64()
		);
	return new Table({
		variant: vectorFromValues(
			v.map((r) => r.variant),
			new Utf8()
		),
		test: vectorFromValues(
			v.map(() => report.test),
			new Utf8()
		),
		n: vectorFromValues(
			v.map((r) => r.n),
			new Int32()
		),
		control_n: vectorFromValues(
			v.map((r) => r.control_n),
			new Int32()
		),
		mean: num((r) => r.mean),
		control_mean: num((r) => r.control_mean),
		difference: num((r) => r.difference),
		ci_low: num((r) => r.ci_low),
		ci_high: num((r) => r.ci_high),
		relative_lift: num((r) => r.relative_lift),
		statistic: num((r) => r.statistic),
		probability_of_superiority: num((r) => r.probability_of_superiority),
		p_value: num((r) => r.p_value),
		p_value_adjusted: num((r) => r.p_value_adjusted),
		prob_to_beat: num((r) => r.prob_to_beat),
		outcome: vectorFromValues(
			v.map((r) => r.outcome),
			new Utf8()
		)
	});
}

export const abCell: CellRunner = {
	kind: 'ab',
	inputs: (cell) => new Fields(cell).referenced(['table']),
	async run(cell, _inputs, services, { signal }): Promise<AbValue> {
		const name = cell.name;
		const fields = new Fields(cell);
		const table = fields.required('table');
		const group = fields.required('group');
		const metric = fields.required('metric');
		const control = fields.required('control');
		const test = fields.oneOf<AbTestKind | 'auto'>('test', ['auto', ...AB_TESTS], 'auto');
		const covariate = fields.optional('covariate');
		if (test === 'cuped' && !covariate) throw new Error(`cell ${name}, field "covariate": the cuped test needs a covariate column`);
		const time = fields.optional('time');
		const correction = fields.oneOf<Correction>('correction', CORRECTIONS, 'holm');
		const alpha = fields.number('alpha');
		const better = fields.oneOf<'higher' | 'lower'>('better', ['higher', 'lower'], 'higher');
		const weights = parseWeights(fields.optional('weights'), name);
		const tau = fields.number('tau');
		if (tau !== undefined && !(tau > 0)) throw new Error(`cell ${name}, field "tau": must be positive`);

		const db = await services.db();
		const schema = await schemaOf(db, table, signal);
		const select = [
			`${columnExpression(schema, group, table, name, 'group')} AS ${quoteIdentifier(AB_COLUMNS.group)}`,
			`${columnExpression(schema, metric, table, name, 'metric')} AS ${quoteIdentifier(AB_COLUMNS.metric)}`
		];
		if (covariate && test === 'cuped')
			select.push(`${columnExpression(schema, covariate, table, name, 'covariate')} AS ${quoteIdentifier(AB_COLUMNS.covariate)}`);
		const timeSql = time ? timeExpression(schema, time, table, name) : undefined;
		if (timeSql) select.push(`${timeSql.sql} AS ${quoteIdentifier(AB_COLUMNS.time)}`);
		const ipc = await selectedRows(db, table, select, name, signal);

		const request: AbTestRequest = {
			jobId: crypto.randomUUID(),
			columns: {
				group: AB_COLUMNS.group,
				metric: AB_COLUMNS.metric,
				...(covariate && test === 'cuped' ? { covariate: AB_COLUMNS.covariate } : {}),
				...(timeSql ? { time: AB_COLUMNS.time } : {})
			},
			names: { group, metric, covariate, time },
			control,
			test,
			correction,
			better,
			...(alpha !== undefined ? { alpha } : {}),
			...(weights ? { weights } : {}),
			...(tau !== undefined ? { tau2: tau * tau } : {}),
			...(timeSql ? { timeUnit: timeSql.unit } : {})
		};
		const report = await onStatsWorker(services, signal, name, request.jobId, (api) => api.abTest(Comlink.transfer(ipc, [ipc.buffer]), request));
		signal.throwIfAborted();
		await db.insertArrowIPC(name, tableToIPC(resultTable(report), 'stream'));
		const settings: AbSettings = { table, group, metric, covariate: test === 'cuped' ? covariate : undefined, time, unit: fields.optional('unit') };
		return { settings, report, output: { table: name, rows: report.variants.length } };
	}
};
