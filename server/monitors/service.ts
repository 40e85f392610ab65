import { currentActor } from '#server/auth/principal.ts';
import { ApiError, notFound } from '#server/http/errors.ts';
import { isUuid } from '#server/http/validate.ts';
import type { Queryable } from '#server/store/index.ts';
import type { Monitor, MonitorDefinition, MonitorEvaluation } from '#lib/contracts/monitors.ts';

/** Monitor definitions and their evaluations, as stored. */

interface MonitorRow {
	id: string;
	name: string;
	model_name: string;
	alias: string | null;
	reference_dataset_id: string;
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
	alias: r.alias,
	reference_dataset_id: r.reference_dataset_id,
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

/** Stores a checked definition; the first scheduled evaluation is one interval after `at`. */
export async function createMonitor(tx: Queryable, m: MonitorDefinition, at: number): Promise<Monitor> {
	const [model] = await tx.query(`SELECT 1 FROM mlflow_registered_models WHERE name = $1`, [m.model_name]);
	if (!model) throw notFound(`registered model ${m.model_name} not found`);
	// A view's dataset (the prediction log) is made at each evaluation: it may not exist yet.
	for (const id of [m.reference_dataset_id, ...(m.current_dataset_id === undefined ? [] : [m.current_dataset_id])]) {
		const [dataset] = await tx.query(`SELECT 1 FROM datasets WHERE id = $1`, [id]);
		if (!dataset) throw new ApiError(404, 'not_found', `dataset ${id} not found`);
	}
	const schedule = m.schedule_seconds === undefined ? null : m.schedule_seconds * 1000;
	const [row] = await tx.query<MonitorRow>(
		`INSERT INTO monitors (name, model_name, alias, reference_dataset_id, current_dataset_id, time_column, window_ms, columns, methods,
		   threshold, alert_share, schedule_ms, rollback, next_run_at, created_at, created_by, current_dataset_name, current_routes)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING *`,
		[
			m.name,
			m.model_name,
			m.alias ?? null,
			m.reference_dataset_id,
			m.current_dataset_id ?? null,
			m.time_column ?? null,
			m.window_seconds === undefined ? null : m.window_seconds * 1000,
			m.columns === undefined ? null : JSON.stringify(m.columns),
			JSON.stringify(m.methods),
			m.threshold ?? null,
			m.alert_share,
			schedule,
			m.rollback,
			schedule === null ? null : at + schedule,
			at,
			currentActor(),
			m.current_dataset_name ?? null,
			m.current_routes === undefined ? null : JSON.stringify(m.current_routes)
		]
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
	run_id: string | null;
	trigger: 'schedule' | 'manual';
	window_start: string | number | null;
	window_end: string | number | null;
	model_version: number | null;
	alerted: boolean;
	share: number;
	drifted_columns: number;
	tested_columns: number;
	rollback: Record<string, unknown> | null;
	report: MonitorEvaluation['report'];
	evaluated_at: string | number;
}

export const toEvaluation = (r: EvaluationRow): MonitorEvaluation => ({
	id: Number(r.id),
	monitor_id: r.monitor_id,
	run_id: r.run_id,
	trigger: r.trigger,
	window_start: orNull(r.window_start),
	window_end: orNull(r.window_end),
	model_version: r.model_version === null ? null : String(r.model_version),
	alerted: r.alerted,
	share: Number(r.share),
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
