import { getDataset } from '#server/datasets/service.ts';
import type { Queryable } from '#server/store/index.ts';
import { MONITOR_KIND_HANDLERS } from './kinds';
import { referenceDatasetId } from './reference';
import type { Monitor, MonitorEvaluation } from '#lib/contracts/monitors.ts';

/**
 * The notebook "Open in notebook" creates for an evaluation: the reference and the current
 * dataset loaded from the server, the current one cut to the evaluation's window in SQL, and the
 * same analysis in the kind's cell (drift, performance or multivariate), to look into what alerted.
 */
export async function evaluationNotebookSource(db: Queryable, monitor: Monitor, evaluation: MonitorEvaluation): Promise<string> {
	// The reference the evaluation was judged against (its training run's dataset may have changed since).
	const reference = await getDataset(db, evaluation.reference_dataset_id ?? (await referenceDatasetId(db, monitor)));
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
	const lines = [
		'---',
		`title: ${monitor.name} — evaluation ${evaluation.id} (${evaluation.alerted ? 'alerted' : 'no alert'})`,
		'---',
		'',
		`# ${monitor.name}: evaluation ${evaluation.id}`,
		'',
		`Monitor of model **${monitor.model_name}**${monitor.alias ? ` (alias \`${monitor.alias}\`${evaluation.model_version ? `, version ${evaluation.model_version}` : ''})` : ''}, evaluated ${iso(evaluation.evaluated_at)}` +
			`${evaluation.run_id ? ` as MLflow run \`${evaluation.run_id}\`` : ''}: ${outcome(evaluation)}.`,
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
		...MONITOR_KIND_HANDLERS[monitor.kind].notebookCell(monitor, evaluation),
		''
	];
	return lines.join('\n');
}

/** What the evaluation found, in words. */
function outcome(e: MonitorEvaluation): string {
	const r = e.report;
	if (r.kind === 'drift') return `${r.drifted_columns} of ${r.tested_columns} columns drifted`;
	const what = r.kind === 'performance' ? `estimated ${r.metric}` : 'mean reconstruction error';
	const bounds = `thresholds ${r.lower_threshold ?? '−∞'} to ${r.upper_threshold ?? '∞'}`;
	return `${what} ${r.value} over ${r.rows} rows (${bounds})${r.kind === 'performance' && r.realized !== null ? `, realized ${r.realized}` : ''}`;
}
