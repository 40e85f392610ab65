import { getDataset } from '#server/datasets/service.ts';
import type { Queryable } from '#server/store/index.ts';
import type { Monitor, MonitorEvaluation } from '#lib/contracts/monitors.ts';

/**
 * The notebook "Open in notebook" creates for an evaluation: the reference and the current
 * dataset loaded from the server, the current one cut to the evaluation's window in SQL, and the
 * same drift report (columns, methods, threshold) in a drift cell, to look into what alerted.
 */
export async function evaluationNotebookSource(db: Queryable, monitor: Monitor, evaluation: MonitorEvaluation): Promise<string> {
	const reference = await getDataset(db, monitor.reference_dataset_id);
	// A view (the prediction log) is loaded by name: the notebook reads its newest rows.
	const currentUrl =
		monitor.current_dataset_name === null ? `server:${(await getDataset(db, monitor.current_dataset_id!)).id}` : `server:${monitor.current_dataset_name}`;
	const iso = (ms: number) => new Date(ms).toISOString();
	const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
	const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
	const window =
		evaluation.window_start !== null && evaluation.window_end !== null && monitor.time_column !== null
			? { start: iso(evaluation.window_start), end: iso(evaluation.window_end), column: monitor.time_column }
			: undefined;
	const conditions = [
		...(window
			? [
					`CAST(${ident(window.column)} AS TIMESTAMPTZ) >= TIMESTAMPTZ '${window.start}'`,
					`CAST(${ident(window.column)} AS TIMESTAMPTZ) < TIMESTAMPTZ '${window.end}'`
				]
			: []),
		...(monitor.current_routes ? [`route IN (${monitor.current_routes.map(literal).join(', ')})`] : [])
	];
	const columns = monitor.columns ?? evaluation.report.columns.map((c) => c.column);
	const lines = [
		'---',
		`title: ${monitor.name} — evaluation ${evaluation.id} (${evaluation.alerted ? 'alerted' : 'no alert'})`,
		'---',
		'',
		`# ${monitor.name}: evaluation ${evaluation.id}`,
		'',
		`Monitor of model **${monitor.model_name}**${monitor.alias ? ` (alias \`${monitor.alias}\`${evaluation.model_version ? `, version ${evaluation.model_version}` : ''})` : ''}, evaluated ${iso(evaluation.evaluated_at)}` +
			`${evaluation.run_id ? ` as MLflow run \`${evaluation.run_id}\`` : ''}: ${evaluation.drifted_columns} of ${evaluation.tested_columns} columns drifted.`,
		'',
		'```data name=reference',
		`url: server:${reference.id}`,
		'```',
		'',
		'```data name=current_data',
		`url: ${currentUrl}`,
		'```',
		'',
		(window ? `The window that was evaluated: ${window.start} to ${window.end}.` : 'The monitor reads the whole current dataset.') +
			(monitor.current_routes ? ` Only the prediction log rows of route ${monitor.current_routes.join(', ')}.` : ''),
		'',
		'```sql name=current',
		['SELECT * FROM current_data', ...conditions.map((c, i) => `${i === 0 ? 'WHERE' : '  AND'} ${c}`)].join('\n'),
		'```',
		'',
		'```drift name=drift',
		'reference: reference',
		'current: current',
		`columns: ${columns.join(', ')}`,
		`method: ${monitor.methods.join(', ')}`,
		...(monitor.threshold === null ? [] : [`threshold: ${monitor.threshold}`]),
		'```',
		''
	];
	return lines.join('\n');
}
