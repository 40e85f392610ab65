import type { Queryable } from '#server/store/index.ts';
import { childRowLoader } from '#server/store/child-rows.ts';
import { doesNotExist, invalidParameter } from '#server/mlflow/errors.ts';
import { getActiveExperiment, parseExperimentId, viewCondition } from './experiments';
import { newRunId, randomName } from './ids';
import { checkKey, insertMetrics, latestMetrics, type MetricInput } from './metrics';
import { compileFilter, compileOrderBy, parseFilter, SqlParams, keyValueTable, type KeyedSpec, type SearchSchema } from '#server/mlflow/search-filter.ts';
import { checkMaxResults, compact, decodePageToken, now, page } from '#server/mlflow/wire.ts';
import type { Dataset, DatasetInput, KeyValue, Run, RunInfo, RunStatus, ViewType } from '#lib/contracts/mlflow.ts';

interface RunRow {
	run_id: string;
	experiment_id: number;
	run_name: string;
	user_id: string;
	status: RunStatus;
	start_time: number | null;
	end_time: number | null;
	artifact_uri: string;
	lifecycle_stage: 'active' | 'deleted';
}

/** The tag MLflow mirrors the run name into. */
export const RUN_NAME_TAG = 'mlflow.runName';
/** The tag runs/log-model appends each MLmodel (as JSON) to, as MLflow's stores do. */
export const LOGGED_MODELS_TAG = 'mlflow.log-model.history';

const MAX_PARAM_VALUE_LENGTH = 6000;
const SEARCH_MAX_RESULTS_THRESHOLD = 50_000;

const COLUMNS = 'r.run_id, r.experiment_id, r.run_name, r.user_id, r.status, r.start_time, r.end_time, r.artifact_uri, r.lifecycle_stage';

function toInfo(row: RunRow): RunInfo {
	return compact({
		run_id: row.run_id,
		run_uuid: row.run_id,
		run_name: row.run_name,
		experiment_id: String(row.experiment_id),
		user_id: row.user_id || undefined,
		status: row.status,
		start_time: row.start_time === null ? undefined : Number(row.start_time),
		end_time: row.end_time === null ? undefined : Number(row.end_time),
		artifact_uri: row.artifact_uri,
		lifecycle_stage: row.lifecycle_stage
	});
}

async function findRunRow(db: Queryable, runId: string): Promise<RunRow | undefined> {
	const [row] = await db.query<RunRow>(`SELECT ${COLUMNS} FROM mlflow_runs r WHERE r.run_id = $1`, [runId]);
	return row;
}

async function getRunRow(db: Queryable, runId: string): Promise<RunRow> {
	const row = await findRunRow(db, runId);
	if (!row) throw doesNotExist(`Run with id=${runId} not found`);
	return row;
}

/** A run that may be written to: it exists and is not deleted (MLflow's _check_run_is_active). */
async function getActiveRunRow(tx: Queryable, runId: string): Promise<RunRow> {
	// Row lock: concurrent writers to one run (params, the log-model tag) take turns.
	const [row] = await tx.query<RunRow>(`SELECT ${COLUMNS} FROM mlflow_runs r WHERE r.run_id = $1 FOR UPDATE`, [runId]);
	if (!row) throw doesNotExist(`Run with id=${runId} not found`);
	if (row.lifecycle_stage !== 'active') {
		throw invalidParameter(`The run ${runId} must be in the 'active' state. Current state is ${row.lifecycle_stage}.`);
	}
	return row;
}

/** Whole runs (info, data, inputs, outputs) for rows, in their order. */
async function loadRuns(db: Queryable, rows: RunRow[]): Promise<Run[]> {
	if (rows.length === 0) return [];
	const ids = rows.map((r) => r.run_id);
	const ofRuns = childRowLoader(db, ['run_id'], ids);
	const params = await ofRuns<{ key: string; value: string }>('mlflow_params', 'key, value', 'key');
	const tags = await ofRuns<{ key: string; value: string }>('mlflow_run_tags', 'key, value', 'key');
	const outputs = await ofRuns<{ model_id: string; step: number }>('mlflow_run_outputs', 'model_id, step', 'step, model_id');
	const datasets = await ofRuns<{ dataset: Dataset; tags: KeyValue[] }>('mlflow_run_dataset_inputs', 'dataset, tags', 'logged_at, name, digest');
	const modelInputs = await ofRuns<{ model_id: string }>('mlflow_run_model_inputs', 'model_id', 'model_id');
	const metrics = await latestMetrics(db, ids);
	return rows.map((row) => ({
		info: toInfo(row),
		data: compact({
			metrics: metrics(row.run_id),
			params: params(row.run_id).map(({ key, value }) => ({ key, value })),
			tags: tags(row.run_id).map(({ key, value }) => ({ key, value }))
		}),
		inputs: compact({
			dataset_inputs: datasets(row.run_id).map(({ dataset, tags }) => compact({ tags, dataset })),
			model_inputs: modelInputs(row.run_id).map(({ model_id }) => ({ model_id }))
		}),
		outputs: compact({ model_outputs: outputs(row.run_id).map(({ model_id, step }) => ({ model_id, step: Number(step) })) })
	}));
}

export async function getRun(db: Queryable, runId: string): Promise<Run> {
	const [run] = await loadRuns(db, [await getRunRow(db, runId)]);
	return run;
}

export async function runExists(db: Queryable, runId: string): Promise<boolean> {
	return (await findRunRow(db, runId)) !== undefined;
}

export interface CreateRunInput {
	experiment_id?: string;
	user_id?: string;
	run_name?: string;
	start_time?: number;
	tags?: KeyValue[];
}

/** Upserts tags (the last value given for a key wins), keeping run_name in step with mlflow.runName. */
async function writeTags(tx: Queryable, runId: string, tags: readonly KeyValue[]): Promise<void> {
	const last = new Map<string, string>();
	for (const tag of tags) {
		checkKey('tag', tag.key);
		last.set(tag.key, tag.value);
	}
	if (last.size === 0) return;
	const params = new SqlParams([runId]);
	const rows = [...last].map(([key, value]) => `($1, ${params.add(key)}, ${params.add(value)})`).join(', ');
	await tx.query(
		`INSERT INTO mlflow_run_tags (run_id, key, value) VALUES ${rows} ON CONFLICT (run_id, key) DO UPDATE SET value = EXCLUDED.value`,
		params.values
	);
	// The run name lives in both places; MLflow keeps them in step.
	const runName = last.get(RUN_NAME_TAG);
	if (runName !== undefined) await tx.query(`UPDATE mlflow_runs SET run_name = $2 WHERE run_id = $1`, [runId, runName]);
}

async function writeTag(tx: Queryable, runId: string, key: string, value: string): Promise<void> {
	await writeTags(tx, runId, [{ key, value }]);
}

export async function createRun(tx: Queryable, input: CreateRunInput): Promise<Run> {
	const experiment = await getActiveExperiment(tx, input.experiment_id ?? '0');
	const tags = new Map<string, string>();
	for (const tag of input.tags ?? []) tags.set(tag.key, tag.value);
	const nameTag = tags.get(RUN_NAME_TAG);
	if (input.run_name && nameTag !== undefined && input.run_name !== nameTag) {
		throw invalidParameter(
			`Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${input.run_name}', mlflow.runName='${nameTag}').`
		);
	}
	const runName = input.run_name || nameTag || randomName();
	tags.set(RUN_NAME_TAG, runName);
	const runId = newRunId();
	await tx.query(
		`INSERT INTO mlflow_runs (run_id, experiment_id, run_name, user_id, status, start_time, artifact_uri)
		 VALUES ($1, $2, $3, $4, 'RUNNING', $5, $6)`,
		[
			runId,
			parseExperimentId(experiment.experiment_id),
			runName,
			input.user_id ?? '',
			input.start_time ?? now(),
			`${experiment.artifact_location}/${runId}/artifacts`
		]
	);
	await writeTags(
		tx,
		runId,
		[...tags].map(([key, value]) => ({ key, value }))
	);
	return getRun(tx, runId);
}

export async function updateRun(tx: Queryable, input: { run_id: string; status?: RunStatus; end_time?: number; run_name?: string }): Promise<RunInfo> {
	await getActiveRunRow(tx, input.run_id);
	if (input.status !== undefined) await tx.query(`UPDATE mlflow_runs SET status = $2 WHERE run_id = $1`, [input.run_id, input.status]);
	if (input.end_time !== undefined) await tx.query(`UPDATE mlflow_runs SET end_time = $2 WHERE run_id = $1`, [input.run_id, input.end_time]);
	if (input.run_name) await writeTag(tx, input.run_id, RUN_NAME_TAG, input.run_name);
	return toInfo(await getRunRow(tx, input.run_id));
}

export async function deleteRun(tx: Queryable, runId: string): Promise<void> {
	await getRunRow(tx, runId);
	await tx.query(`UPDATE mlflow_runs SET lifecycle_stage = 'deleted', deleted_time = $2 WHERE run_id = $1`, [runId, now()]);
}

export async function restoreRun(tx: Queryable, runId: string): Promise<void> {
	await getRunRow(tx, runId);
	await tx.query(`UPDATE mlflow_runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE run_id = $1`, [runId]);
}

/** Params are immutable: the same value again is fine, a different one is a 400. */
async function writeParams(tx: Queryable, runId: string, params: readonly KeyValue[]): Promise<void> {
	const seen = new Map<string, string>();
	for (const p of params) {
		checkKey('param', p.key);
		if (p.value.length > MAX_PARAM_VALUE_LENGTH) {
			throw invalidParameter(`Param value '${p.value.slice(0, 40)}…' had length ${p.value.length}, which exceeded length limit of ${MAX_PARAM_VALUE_LENGTH}`);
		}
		const earlier = seen.get(p.key);
		if (earlier !== undefined && earlier !== p.value) {
			throw invalidParameter(`Duplicate parameter keys have been submitted: '${p.key}' with values '${earlier}' and '${p.value}'.`);
		}
		seen.set(p.key, p.value);
	}
	if (seen.size === 0) return;
	const insert = new SqlParams([runId]);
	const rows = [...seen].map(([key, value]) => `($1, ${insert.add(key)}, ${insert.add(value)})`).join(', ');
	await tx.query(`INSERT INTO mlflow_params (run_id, key, value) VALUES ${rows} ON CONFLICT (run_id, key) DO NOTHING`, insert.values);
	const keys = new SqlParams([runId]);
	const list = [...seen.keys()].map((key) => keys.add(key)).join(', ');
	const stored = await tx.query<{ key: string; value: string }>(`SELECT key, value FROM mlflow_params WHERE run_id = $1 AND key IN (${list})`, keys.values);
	for (const { key, value } of stored) {
		const wanted = seen.get(key)!;
		if (value !== wanted) {
			throw invalidParameter(
				`Changing param values is not allowed. Param with key='${key}' was already logged with value='${value}' for run ID='${runId}'. Attempted logging new value '${wanted}'.`
			);
		}
	}
}

export async function logParam(tx: Queryable, runId: string, param: KeyValue): Promise<void> {
	await getActiveRunRow(tx, runId);
	await writeParams(tx, runId, [param]);
}

export async function logMetric(tx: Queryable, runId: string, metric: MetricInput): Promise<void> {
	await getActiveRunRow(tx, runId);
	await insertMetrics(tx, runId, [metric]);
}

export async function setTag(tx: Queryable, runId: string, tag: KeyValue): Promise<void> {
	await getActiveRunRow(tx, runId);
	await writeTag(tx, runId, tag.key, tag.value);
}

export async function deleteTag(tx: Queryable, runId: string, key: string): Promise<void> {
	await getActiveRunRow(tx, runId);
	const deleted = await tx.query(`DELETE FROM mlflow_run_tags WHERE run_id = $1 AND key = $2 RETURNING key`, [runId, key]);
	if (deleted.length === 0) throw doesNotExist(`No tag with name: ${key} in run with id ${runId}`);
}

export const LOG_BATCH_LIMITS = { metrics: 1000, params: 100, tags: 100, total: 1000 } as const;

export async function logBatch(tx: Queryable, runId: string, batch: { metrics?: MetricInput[]; params?: KeyValue[]; tags?: KeyValue[] }): Promise<void> {
	const metrics = batch.metrics ?? [];
	const params = batch.params ?? [];
	const tags = batch.tags ?? [];
	const limit = (what: string, count: number, max: number) => {
		if (count > max) {
			throw invalidParameter(
				`A batch logging request can contain at most ${max} ${what}. Got ${count} ${what}. Please split up ${what} across multiple requests and try again.`
			);
		}
	};
	limit('metrics', metrics.length, LOG_BATCH_LIMITS.metrics);
	limit('params', params.length, LOG_BATCH_LIMITS.params);
	limit('tags', tags.length, LOG_BATCH_LIMITS.tags);
	const total = metrics.length + params.length + tags.length;
	if (total > LOG_BATCH_LIMITS.total) {
		throw invalidParameter(
			`A batch logging request can contain at most ${LOG_BATCH_LIMITS.total} metrics, params, and tags in total. Got ${total} (${metrics.length} metrics, ${params.length} params, ${tags.length} tags).`
		);
	}
	await getActiveRunRow(tx, runId);
	await writeParams(tx, runId, params);
	await insertMetrics(tx, runId, metrics);
	await writeTags(tx, runId, tags);
}

const MODEL_JSON_REQUIRED = ['artifact_path', 'flavors', 'utc_time_created', 'run_id'];
// MLflow keeps these out of the history tag (Model.get_tags_dict): they can be large.
const MODEL_JSON_DROPPED = ['signature', 'input_example', 'saved_input_example_info'];

/** runs/log-model: appends the MLmodel (JSON) to the run's `mlflow.log-model.history` tag. */
export async function logModel(tx: Queryable, runId: string, modelJson: string): Promise<void> {
	let model: unknown;
	try {
		model = JSON.parse(modelJson);
	} catch {
		throw invalidParameter(`Malformed model info: model_json is not valid JSON`);
	}
	if (typeof model !== 'object' || model === null || Array.isArray(model)) throw invalidParameter('Malformed model info: model_json must be a JSON object');
	const missing = MODEL_JSON_REQUIRED.filter((field) => !(field in model));
	if (missing.length > 0) throw invalidParameter(`Model json is missing mandatory fields: [${missing.map((m) => `'${m}'`).join(', ')}]`);
	const entry = Object.fromEntries(Object.entries(model).filter(([key]) => !MODEL_JSON_DROPPED.includes(key)));
	await getActiveRunRow(tx, runId);
	const [previous] = await tx.query<{ value: string }>(`SELECT value FROM mlflow_run_tags WHERE run_id = $1 AND key = $2`, [runId, LOGGED_MODELS_TAG]);
	let history: unknown[] = [];
	if (previous) {
		try {
			const parsed: unknown = JSON.parse(previous.value);
			if (Array.isArray(parsed)) history = parsed;
		} catch {
			history = [];
		}
	}
	await writeTag(tx, runId, LOGGED_MODELS_TAG, JSON.stringify([...history, entry]));
}

/**
 * runs/log-inputs: the datasets a run used (the first logging of a name+digest per run stays,
 * as in MLflow) and, in MLflow 3, the models it used.
 */
export async function logInputs(tx: Queryable, runId: string, input: { datasets?: DatasetInput[]; models?: { model_id: string }[] }): Promise<void> {
	await getActiveRunRow(tx, runId);
	const time = now();
	for (const { dataset, tags } of input.datasets ?? []) {
		const stored = compact({ ...dataset });
		await tx.query(
			`INSERT INTO mlflow_run_dataset_inputs (run_id, name, digest, dataset, tags, logged_at) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6)
			 ON CONFLICT (run_id, name, digest) DO NOTHING`,
			[runId, dataset.name, dataset.digest, JSON.stringify(stored), JSON.stringify(tags ?? []), time]
		);
	}
	for (const { model_id } of input.models ?? []) {
		await tx.query(`INSERT INTO mlflow_run_model_inputs (run_id, model_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [runId, model_id]);
	}
}

/** runs/outputs (MLflow 3): records the logged models a run produced. */
export async function logOutputs(tx: Queryable, runId: string, models: readonly { model_id: string; step?: number }[]): Promise<void> {
	await getRunRow(tx, runId);
	for (const model of models) {
		await tx.query(
			`INSERT INTO mlflow_run_outputs (run_id, model_id, step) VALUES ($1, $2, $3)
			 ON CONFLICT (run_id, model_id) DO UPDATE SET step = EXCLUDED.step`,
			[runId, model.model_id, model.step ?? 0]
		);
	}
}

const STRING_ATTRIBUTE = (sql: string) => ({ sql, type: 'string' as const });

/**
 * `dataset.name`, `dataset.digest` and `dataset.context` (the input's mlflow.data.context tag): a
 * run matches when one of its dataset inputs does, each term on its own, as MLflow's
 * SqlAlchemyStore joins one dataset subquery per term.
 */
const DATASET_FIELDS: KeyedSpec = {
	type: 'string',
	keys: ['name', 'digest', 'context'],
	list: true,
	exists: (key, cond) =>
		`(EXISTS (SELECT 1 FROM mlflow_run_dataset_inputs d,
			LATERAL (VALUES ('name', d.name), ('digest', d.digest),
				('context', (SELECT tag->>'value' FROM jsonb_array_elements(d.tags) tag WHERE tag->>'key' = 'mlflow.data.context' LIMIT 1))) f(key, value)
			WHERE d.run_id = r.run_id AND f.key = ${key} AND ${cond('f.value')}) IS TRUE)`
};

export const RUN_SEARCH: SearchSchema = {
	what: 'runs',
	prefixes: {
		metric: 'metrics',
		metrics: 'metrics',
		param: 'params',
		params: 'params',
		parameter: 'params',
		parameters: 'params',
		tag: 'tags',
		tags: 'tags',
		attribute: 'attributes',
		attributes: 'attributes',
		attr: 'attributes',
		run: 'attributes',
		dataset: 'datasets',
		datasets: 'datasets'
	},
	attributes: {
		run_id: { sql: 'r.run_id', type: 'string', list: true },
		run_name: STRING_ATTRIBUTE('r.run_name'),
		'run name': STRING_ATTRIBUTE('r.run_name'),
		status: STRING_ATTRIBUTE('r.status'),
		user_id: STRING_ATTRIBUTE('r.user_id'),
		artifact_uri: STRING_ATTRIBUTE('r.artifact_uri'),
		lifecycle_stage: STRING_ATTRIBUTE('r.lifecycle_stage'),
		experiment_id: { sql: 'r.experiment_id::text', orderSql: 'r.experiment_id', type: 'string', like: false },
		start_time: { sql: 'r.start_time', type: 'number' },
		created: { sql: 'r.start_time', type: 'number' },
		end_time: { sql: 'r.end_time', type: 'number' }
	},
	keyed: {
		metrics: keyValueTable('number', 'mlflow_latest_metrics', 'm', 'm.run_id = r.run_id'),
		params: keyValueTable('string', 'mlflow_params', 'p', 'p.run_id = r.run_id'),
		tags: keyValueTable('string', 'mlflow_run_tags', 't', 't.run_id = r.run_id'),
		datasets: DATASET_FIELDS
	}
};

export interface SearchRunsInput {
	experiment_ids?: string[];
	filter?: string;
	run_view_type?: ViewType;
	max_results?: number;
	order_by?: string[];
	page_token?: string;
}

export async function searchRuns(db: Queryable, input: SearchRunsInput): Promise<{ runs?: Run[]; next_page_token?: string }> {
	const maxResults = input.max_results ?? 1000;
	checkMaxResults(maxResults, SEARCH_MAX_RESULTS_THRESHOLD);
	const offset = decodePageToken(input.page_token);
	const experimentIds = (input.experiment_ids ?? []).map(parseExperimentId);
	if (experimentIds.length === 0) return {};
	const params = new SqlParams();
	const experiments = experimentIds.map((id) => params.add(id)).join(', ');
	const where = compileFilter(RUN_SEARCH, parseFilter(input.filter), params);
	const order = compileOrderBy(RUN_SEARCH, input.order_by ?? [], params);
	// MLflow's tiebreaks (and default order): newest first, then by run id.
	if (!order.attributes.has('r.start_time')) order.terms.push('r.start_time DESC NULLS LAST');
	order.terms.push('r.run_id ASC');
	const limit = params.add(maxResults + 1);
	const skip = params.add(offset);
	const rows = await db.query<RunRow>(
		`SELECT ${COLUMNS} FROM mlflow_runs r
		 WHERE r.experiment_id IN (${experiments}) AND ${viewCondition('r.lifecycle_stage', input.run_view_type ?? 'ACTIVE_ONLY')} AND ${where}
		 ORDER BY ${order.terms.join(', ')} LIMIT ${limit} OFFSET ${skip}`,
		params.values
	);
	const { items, next_page_token } = page(rows, offset, maxResults);
	return compact({ runs: await loadRuns(db, items), next_page_token });
}
