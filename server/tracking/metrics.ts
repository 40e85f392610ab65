import type { Queryable } from '#server/store/index.ts';
import { childRowLoader } from '#server/store/child-rows.ts';
import { invalidParameter } from '#server/mlflow/errors.ts';
import { SqlParams } from '#server/mlflow/search-filter.ts';
import { compact, decodePageToken, encodeDouble, page } from '#server/mlflow/wire.ts';
import type { Metric } from '#lib/contracts/mlflow.ts';

/** One value to log, already decoded (value may be NaN or ±Infinity). */
export interface MetricInput {
	key: string;
	value: number;
	timestamp: number;
	step?: number;
	model_id?: string;
	dataset_name?: string;
	dataset_digest?: string;
}

type MetricRow = {
	run_id: string;
	key: string;
	value: number;
	timestamp: number;
	step: number;
	model_id: string;
	dataset_name: string;
	dataset_digest: string;
};

const NAME = /^[/\p{L}\p{N}_.\- :]*$/u;

/**
 * MLflow's rule for metric, param and tag names: alphanumerics, _ - . space : and /, and no
 * path tricks ("..", leading "/").
 */
export function checkKey(kind: 'metric' | 'param' | 'tag', key: string): void {
	if (key === '') throw invalidParameter(`Invalid ${kind} name: ''. The name must not be empty.`);
	if (key.length > 250) throw invalidParameter(`Invalid ${kind} name: '${key.slice(0, 40)}…' is longer than 250 characters.`);
	if (!NAME.test(key)) {
		throw invalidParameter(
			`Invalid ${kind} name: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`
		);
	}
	if (key.startsWith('/') || key.split('/').some((part) => part === '..' || part === '.')) {
		throw invalidParameter(`Invalid ${kind} name: '${key}'. Names must not refer to parent or absolute paths.`);
	}
}

function toMetric(row: MetricRow, withRunId = false): Metric {
	return compact({
		key: row.key,
		value: encodeDouble(row.value),
		timestamp: Number(row.timestamp),
		step: Number(row.step),
		model_id: row.model_id || undefined,
		dataset_name: row.dataset_name || undefined,
		dataset_digest: row.dataset_digest || undefined,
		run_id: withRunId ? row.run_id : undefined
	});
}

/** PostgreSQL's float8 order: NaN above everything, so "latest" agrees with the SQL side. */
function compareDouble(a: number, b: number): number {
	if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
	if (Number.isNaN(b)) return -1;
	return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders values as MLflow's SQL store picks the latest one: by step, then timestamp, then value. */
function compareLatest(a: MetricInput, b: MetricInput): number {
	return (a.step ?? 0) - (b.step ?? 0) || a.timestamp - b.timestamp || compareDouble(a.value, b.value);
}

// Rows per statement: 8 parameters a row stays far below PostgreSQL's 65535.
const CHUNK = 1000;

/**
 * Appends values to a run's history (an identical value logged twice is kept once) and moves
 * each key's latest value forward when a new one is later by (step, timestamp, value).
 * Multi-row statements: a 1000-metric log-batch is two round trips, not two thousand.
 */
export async function insertMetrics(tx: Queryable, runId: string, metrics: readonly MetricInput[]): Promise<void> {
	if (metrics.length === 0) return;
	for (const m of metrics) checkKey('metric', m.key);
	const latest = new Map<string, MetricInput>();
	for (const m of metrics) {
		const current = latest.get(m.key);
		if (!current || compareLatest(m, current) >= 0) latest.set(m.key, m);
	}
	const columns = '(run_id, key, value, timestamp, step, model_id, dataset_name, dataset_digest)';
	const values = (rows: readonly MetricInput[], params: SqlParams) =>
		rows
			.map(
				(m) =>
					`(${params.add(runId)}, ${params.add(m.key)}, ${params.add(m.value)}::double precision, ${params.add(m.timestamp)}::bigint, ${params.add(m.step ?? 0)}::bigint, ${params.add(m.model_id ?? '')}, ${params.add(m.dataset_name ?? '')}, ${params.add(m.dataset_digest ?? '')})`
			)
			.join(', ');
	for (let i = 0; i < metrics.length; i += CHUNK) {
		const params = new SqlParams();
		await tx.query(`INSERT INTO mlflow_metrics ${columns} VALUES ${values(metrics.slice(i, i + CHUNK), params)} ON CONFLICT DO NOTHING`, params.values);
	}
	const newest = [...latest.values()];
	for (let i = 0; i < newest.length; i += CHUNK) {
		const params = new SqlParams();
		await tx.query(
			`INSERT INTO mlflow_latest_metrics AS l ${columns} VALUES ${values(newest.slice(i, i + CHUNK), params)}
			 ON CONFLICT (run_id, key) DO UPDATE SET value = EXCLUDED.value, timestamp = EXCLUDED.timestamp, step = EXCLUDED.step,
			   model_id = EXCLUDED.model_id, dataset_name = EXCLUDED.dataset_name, dataset_digest = EXCLUDED.dataset_digest
			 WHERE (EXCLUDED.step, EXCLUDED.timestamp, EXCLUDED.value) >= (l.step, l.timestamp, l.value)`,
			params.values
		);
	}
}

/** The latest value of every key, per run. */
export async function latestMetrics(db: Queryable, runIds: readonly string[]): Promise<(runId: string) => Metric[]> {
	const rows = await childRowLoader(db, ['run_id'], runIds)<MetricRow>(
		'mlflow_latest_metrics',
		'key, value, timestamp, step, model_id, dataset_name, dataset_digest',
		'key'
	);
	return (runId) => rows(runId).map((row) => toMetric(row));
}

/** Every value logged with a logged model's id (MLflow 3), per model, with the run that logged it. */
export async function modelMetrics(db: Queryable, modelIds: readonly string[]): Promise<(modelId: string) => Metric[]> {
	const rows = await childRowLoader(db, ['model_id'], modelIds)<MetricRow>(
		'mlflow_metrics',
		'run_id, key, value, timestamp, step, dataset_name, dataset_digest',
		'key, step, timestamp, seq'
	);
	return (modelId) => rows(modelId).map((row) => toMetric(row, true));
}

const HISTORY_MAX_RESULTS = 25_000_000;

/** A metric's history in (step, timestamp) order; paged when max_results is given. */
export async function metricHistory(
	db: Queryable,
	runId: string,
	key: string,
	options: { max_results?: number; page_token?: string }
): Promise<{ metrics?: Metric[]; next_page_token?: string }> {
	const offset = decodePageToken(options.page_token);
	const maxResults = options.max_results;
	if (maxResults !== undefined && (maxResults < 1 || maxResults > HISTORY_MAX_RESULTS)) {
		throw invalidParameter(`Invalid value ${maxResults} for parameter 'max_results' supplied. It must be a positive integer.`);
	}
	const rows = await db.query<MetricRow>(
		`SELECT run_id, key, value, timestamp, step, model_id, dataset_name, dataset_digest FROM mlflow_metrics
		 WHERE run_id = $1 AND key = $2 ORDER BY step, timestamp, seq LIMIT $3 OFFSET $4`,
		[runId, key, maxResults === undefined ? null : maxResults + 1, offset]
	);
	if (maxResults === undefined) return compact({ metrics: rows.map((r) => toMetric(r)) });
	const { items, next_page_token } = page(rows, offset, maxResults);
	return compact({ metrics: items.map((r) => toMetric(r)), next_page_token });
}
