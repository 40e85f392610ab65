import { currentActor } from '#server/auth/principal.ts';
import { ApiError, notFound } from '#server/http/errors.ts';
import { isUuid } from '#server/http/validate.ts';
import type { Queryable } from '#server/store/index.ts';
import { trainingDatasetId } from './reference';
import type { Monitor, MonitorDefinition, MonitorEvaluation, MonitorKind, PerformanceColumns } from '#lib/contracts/monitors.ts';

/** Monitor definitions and their evaluations, as stored. */

interface MonitorRow {
	id: string;
	name: string;
	model_name: string;
	kind: MonitorKind;
	alias: string | null;
	reference_dataset_id: string | null;
	reference_training_run: boolean;
	performance: PerformanceColumns | null;
	current_dataset_id: string | null;
	current_dataset_name: string | null;
	current_routes: string[] | null;
	time_column: string | null;
	window_ms: string | number | null;
	columns: string[] | null;
	methods: string[];
	threshold: number | null;
	alert_share: number;
	schedule_ms: string | number | null;
	rollback: boolean;
	next_run_at: string | number | null;
	created_at: string | number;
	created_by: string;
}

const orNull = (v: string | number | null, scale = 1) => (v === null ? null : Number(v) / scale);

const toMonitor = (r: MonitorRow): Monitor => ({
	id: r.id,
	name: r.name,
	model_name: r.model_name,
	kind: r.kind,
	alias: r.alias,
	reference_dataset_id: r.reference_dataset_id,
	reference_training_run: r.reference_training_run,
	current_dataset_id: r.current_dataset_id,
	current_dataset_name: r.current_dataset_name,
	current_routes: r.current_routes,
	time_column: r.time_column,
	window_seconds: orNull(r.window_ms, 1000),
	columns: r.columns,
	methods: r.methods,
	threshold: r.threshold === null ? null : Number(r.threshold),
	alert_share: Number(r.alert_share),
	schedule_seconds: orNull(r.schedule_ms, 1000),
	rollback: r.rollback,
	performance: r.performance,
	next_run_at: orNull(r.next_run_at),
	created_at: Number(r.created_at),
	created_by: r.created_by
});

export async function getMonitor(db: Queryable, id: string): Promise<Monitor> {
	const [row] = isUuid(id) ? await db.query<MonitorRow>(`SELECT * FROM monitors WHERE id = $1`, [id]) : [];
	if (!row) throw notFound(`monitor ${id} not found`);
	return toMonitor(row);
}

/** Every monitor, or a model's. */
export async function listMonitors(db: Queryable, modelName?: string): Promise<Monitor[]> {
	const rows =
		modelName === undefined
			? await db.query<MonitorRow>(`SELECT * FROM monitors ORDER BY model_name, name, id`)
			: await db.query<MonitorRow>(`SELECT * FROM monitors WHERE model_name = $1 ORDER BY name, id`, [modelName]);
	return rows.map(toMonitor);
}

/** The columns a definition is stored in, in the order of COLUMNS. */
const COLUMNS = [
	'name',
	'kind',
	'alias',
	'reference_dataset_id',
	'reference_training_run',
	'current_dataset_id',
	'current_dataset_name',
	'current_routes',
	'time_column',
	'window_ms',
	'columns',
	'methods',
	'threshold',
	'alert_share',
	'schedule_ms',
	'rollback',
	'performance'
] as const;

const json = <T>(value: T | undefined) => (value === undefined ? null : JSON.stringify(value));

function definitionValues(m: MonitorDefinition): unknown[] {
	return [
		m.name,
		m.kind,
		m.alias ?? null,
		m.reference_dataset_id ?? null,
		m.reference_training_run,
		m.current_dataset_id ?? null,
		m.current_dataset_name ?? null,
		json(m.current_routes),
		m.time_column ?? null,
		m.window_seconds === undefined ? null : m.window_seconds * 1000,
		json(m.columns),
		JSON.stringify(m.methods),
		m.threshold ?? null,
		m.alert_share,
		m.schedule_seconds === undefined ? null : m.schedule_seconds * 1000,
		m.rollback,
		json(m.performance)
	];
}

/** What a definition names must exist: its model, its stored datasets, and its training run's dataset when that is the reference. */
async function checkReferences(tx: Queryable, m: Omit<MonitorDefinition, 'model_name'>, model: string): Promise<void> {
	const [found] = await tx.query(`SELECT 1 FROM mlflow_registered_models WHERE name = $1`, [model]);
	if (!found) throw notFound(`registered model ${model} not found`);
	// A view's dataset (the prediction log) is made at each evaluation: it may not exist yet.
	for (const [field, id] of [
		['reference_dataset_id', m.reference_dataset_id],
		['current_dataset_id', m.current_dataset_id]
	] as const) {
		if (id === undefined) continue;
		const [dataset] = await tx.query(`SELECT 1 FROM datasets WHERE id = $1`, [id]);
		if (!dataset) throw new ApiError(404, 'not_found', `${field}: dataset ${id} not found`);
	}
	if (m.reference_training_run) await trainingDatasetId(tx, { model_name: model, alias: m.alias ?? null });
}

/** Stores a checked definition; the first scheduled evaluation is one interval after `at`. */
export async function createMonitor(tx: Queryable, m: MonitorDefinition, at: number): Promise<Monitor> {
	await checkReferences(tx, m, m.model_name);
	const schedule = m.schedule_seconds === undefined ? null : m.schedule_seconds * 1000;
	const values = definitionValues(m);
	const [row] = await tx.query<MonitorRow>(
		`INSERT INTO monitors (model_name, next_run_at, created_at, created_by, ${COLUMNS.join(', ')})
		 VALUES ($1, $2, $3, $4, ${values.map((_, i) => `$${i + 5}`).join(', ')}) RETURNING *`,
		[m.model_name, schedule === null ? null : at + schedule, at, currentActor(), ...values]
	);
	return toMonitor(row);
}

/**
 * Replaces a monitor's definition with a checked one (the stored monitor with a patch merged in);
 * a changed schedule starts over one interval after `at`, an unchanged one keeps its next run.
 */
export async function updateMonitor(tx: Queryable, id: string, m: MonitorDefinition, at: number): Promise<Monitor> {
	const before = await getMonitor(tx, id);
	await checkReferences(tx, m, before.model_name);
	const schedule = m.schedule_seconds === undefined ? null : m.schedule_seconds * 1000;
	const nextRun = schedule === null ? null : (before.schedule_seconds ?? 0) * 1000 === schedule ? before.next_run_at : at + schedule;
	const values = definitionValues(m);
	const [row] = await tx.query<MonitorRow>(
		`UPDATE monitors SET next_run_at = $2, ${COLUMNS.map((c, i) => `${c} = $${i + 3}`).join(', ')} WHERE id = $1 RETURNING *`,
		[id, nextRun, ...values]
	);
	return toMonitor(row);
}

export async function deleteMonitor(tx: Queryable, id: string): Promise<void> {
	await getMonitor(tx, id);
	await tx.query(`DELETE FROM monitors WHERE id = $1`, [id]);
}

interface EvaluationRow {
	id: string | number;
	monitor_id: string;
	kind: MonitorKind;
	reference_dataset_id: string | null;
	run_id: string | null;
	trigger: 'schedule' | 'manual';
	window_start: string | number | null;
	window_end: string | number | null;
	model_version: number | null;
	alerted: boolean;
	value: number | string;
	upper_threshold: number | string | null;
	lower_threshold: number | string | null;
	share: number | null;
	drifted_columns: number | null;
	tested_columns: number | null;
	rollback: Record<string, unknown> | null;
	report: MonitorEvaluation['report'];
	evaluated_at: string | number;
}

export const toEvaluation = (r: EvaluationRow): MonitorEvaluation => ({
	id: Number(r.id),
	monitor_id: r.monitor_id,
	kind: r.kind,
	reference_dataset_id: r.reference_dataset_id,
	run_id: r.run_id,
	trigger: r.trigger,
	window_start: orNull(r.window_start),
	window_end: orNull(r.window_end),
	model_version: r.model_version === null ? null : String(r.model_version),
	alerted: r.alerted,
	value: Number(r.value),
	upper_threshold: orNull(r.upper_threshold),
	lower_threshold: orNull(r.lower_threshold),
	share: orNull(r.share),
	drifted_columns: r.drifted_columns,
	tested_columns: r.tested_columns,
	rollback: r.rollback,
	report: r.report,
	evaluated_at: Number(r.evaluated_at)
});

/** Oldest first (the order a chart over time reads them). */
export async function listEvaluations(db: Queryable, monitorId: string, limit = 500): Promise<MonitorEvaluation[]> {
	await getMonitor(db, monitorId);
	const rows = await db.query<EvaluationRow>(
		`SELECT * FROM (SELECT * FROM monitor_evaluations WHERE monitor_id = $1 ORDER BY id DESC LIMIT $2) newest ORDER BY id`,
		[monitorId, limit]
	);
	return rows.map(toEvaluation);
}

export async function getEvaluation(db: Queryable, monitorId: string, evaluationId: number): Promise<MonitorEvaluation> {
	const [row] = await db.query<EvaluationRow>(`SELECT * FROM monitor_evaluations WHERE monitor_id = $1 AND id = $2`, [monitorId, evaluationId]);
	if (!row) throw notFound(`evaluation ${evaluationId} of monitor ${monitorId} not found`);
	return toEvaluation(row);
}
