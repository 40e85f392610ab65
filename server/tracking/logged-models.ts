import type { Queryable } from '#server/store/index.ts';
import { childRowLoader } from '#server/store/child-rows.ts';
import { doesNotExist, invalidParameter } from '#server/mlflow/errors.ts';
import { getActiveExperiment, parseExperimentId } from './experiments';
import { newModelId, randomName } from './ids';
import { checkKey, modelMetrics } from './metrics';
import { compileFilter, compileOrderTerms, parseFilter, SqlParams, type OrderTerm, keyValueTable, type SearchSchema } from '#server/mlflow/search-filter.ts';
import { checkMaxResults, compact, decodePageToken, now, page } from '#server/mlflow/wire.ts';
import type { KeyValue, LoggedModel, LoggedModelStatus } from '#lib/contracts/mlflow.ts';

/** MLflow 3 logged models: a model with its own id, artifacts, params, tags and linked metrics. */

interface LoggedModelRow {
	model_id: string;
	experiment_id: number;
	name: string;
	artifact_uri: string;
	status: LoggedModelStatus;
	status_message: string | null;
	model_type: string | null;
	source_run_id: string | null;
	creation_timestamp_ms: number;
	last_updated_timestamp_ms: number;
}

export const MODEL_ID = /^m-[0-9a-f]{32}$/;

const COLUMNS =
	'm.model_id, m.experiment_id, m.name, m.artifact_uri, m.status, m.status_message, m.model_type, m.source_run_id, m.creation_timestamp_ms, m.last_updated_timestamp_ms';

async function loadModels(db: Queryable, rows: LoggedModelRow[]): Promise<LoggedModel[]> {
	if (rows.length === 0) return [];
	const ids = rows.map((r) => r.model_id);
	const ofModels = childRowLoader(db, ['model_id'], ids);
	const paramRows = await ofModels<{ key: string; value: string }>('mlflow_logged_model_params', 'key, value', 'key');
	const tagRows = await ofModels<{ key: string; value: string }>('mlflow_logged_model_tags', 'key, value', 'key');
	const registrations = await ofModels<{ name: string; version: number }>('mlflow_model_versions', 'name, version', 'name, version');
	const metrics = await modelMetrics(db, ids);
	const pairs = (items: { key: string; value: string }[]) => items.map(({ key, value }) => ({ key, value }));
	return rows.map((r) => ({
		info: compact({
			model_id: r.model_id,
			experiment_id: String(r.experiment_id),
			name: r.name,
			creation_timestamp_ms: Number(r.creation_timestamp_ms),
			last_updated_timestamp_ms: Number(r.last_updated_timestamp_ms),
			artifact_uri: r.artifact_uri,
			status: r.status,
			model_type: r.model_type ?? undefined,
			source_run_id: r.source_run_id ?? undefined,
			status_message: r.status_message ?? undefined,
			tags: pairs(tagRows(r.model_id)),
			registrations: registrations(r.model_id).map((v) => ({ name: v.name, version: String(v.version) }))
		}),
		data: compact({ params: pairs(paramRows(r.model_id)), metrics: metrics(r.model_id) })
	}));
}

/** A logged model that exists and is not deleted; undefined otherwise. */
export async function findLoggedModel(db: Queryable, modelId: string): Promise<LoggedModel | undefined> {
	const rows = await db.query<LoggedModelRow>(`SELECT ${COLUMNS} FROM mlflow_logged_models m WHERE m.model_id = $1 AND m.lifecycle_stage = 'active'`, [
		modelId
	]);
	return (await loadModels(db, rows))[0];
}

export async function getLoggedModel(db: Queryable, modelId: string): Promise<LoggedModel> {
	const model = await findLoggedModel(db, modelId);
	if (!model) throw doesNotExist(`Logged model with ID '${modelId}' not found.`);
	return model;
}

async function upsertPairs(
	tx: Queryable,
	table: 'mlflow_logged_model_params' | 'mlflow_logged_model_tags',
	modelId: string,
	pairs: readonly KeyValue[]
): Promise<void> {
	const isParams = table === 'mlflow_logged_model_params';
	const last = new Map<string, string>();
	for (const { key, value } of pairs) {
		checkKey(isParams ? 'param' : 'tag', key);
		const earlier = last.get(key);
		if (isParams && earlier !== undefined && earlier !== value) throw invalidParameter(`Duplicate parameter keys have been submitted: '${key}'.`);
		last.set(key, value);
	}
	if (last.size === 0) return;
	const params = new SqlParams([modelId]);
	const rows = [...last].map(([key, value]) => `($1, ${params.add(key)}, ${params.add(value)})`).join(', ');
	// (table is one of two literals above, never input)
	const conflict = isParams ? 'DO NOTHING' : 'DO UPDATE SET value = EXCLUDED.value';
	await tx.query(`INSERT INTO ${table} (model_id, key, value) VALUES ${rows} ON CONFLICT (model_id, key) ${conflict}`, params.values);
	if (!isParams) return;
	// Params are immutable, as a run's are.
	const keys = new SqlParams([modelId]);
	const list = [...last.keys()].map((key) => keys.add(key)).join(', ');
	const stored = await tx.query<{ key: string; value: string }>(
		`SELECT key, value FROM mlflow_logged_model_params WHERE model_id = $1 AND key IN (${list})`,
		keys.values
	);
	for (const { key, value } of stored) {
		if (value !== last.get(key)) {
			throw invalidParameter(
				`Changing param values is not allowed. Param with key='${key}' was already logged with value='${value}' for model ID='${modelId}'.`
			);
		}
	}
}

async function touch(tx: Queryable, modelId: string): Promise<void> {
	await tx.query(`UPDATE mlflow_logged_models SET last_updated_timestamp_ms = $2 WHERE model_id = $1`, [modelId, now()]);
}

export interface CreateLoggedModelInput {
	experiment_id: string;
	name?: string;
	model_type?: string;
	source_run_id?: string;
	params?: KeyValue[];
	tags?: KeyValue[];
}

export async function createLoggedModel(tx: Queryable, input: CreateLoggedModelInput): Promise<LoggedModel> {
	const experiment = await getActiveExperiment(tx, input.experiment_id);
	const modelId = newModelId();
	const time = now();
	await tx.query(
		`INSERT INTO mlflow_logged_models (model_id, experiment_id, name, artifact_uri, status, model_type, source_run_id, creation_timestamp_ms, last_updated_timestamp_ms)
		 VALUES ($1, $2, $3, $4, 'LOGGED_MODEL_PENDING', $5, $6, $7, $7)`,
		[
			modelId,
			parseExperimentId(experiment.experiment_id),
			input.name || randomName(),
			`${experiment.artifact_location}/models/${modelId}/artifacts`,
			input.model_type || null,
			input.source_run_id || null,
			time
		]
	);
	await upsertPairs(tx, 'mlflow_logged_model_params', modelId, input.params ?? []);
	await upsertPairs(tx, 'mlflow_logged_model_tags', modelId, input.tags ?? []);
	return getLoggedModel(tx, modelId);
}

/** PATCH logged-models/<id>: LOGGED_MODEL_READY once its files are uploaded (or UPLOAD_FAILED). */
export async function finalizeLoggedModel(tx: Queryable, modelId: string, status: LoggedModelStatus): Promise<LoggedModel> {
	await getLoggedModel(tx, modelId);
	await tx.query(`UPDATE mlflow_logged_models SET status = $2, last_updated_timestamp_ms = $3 WHERE model_id = $1`, [modelId, status, now()]);
	return getLoggedModel(tx, modelId);
}

export async function deleteLoggedModel(tx: Queryable, modelId: string): Promise<void> {
	await getLoggedModel(tx, modelId);
	await tx.query(`UPDATE mlflow_logged_models SET lifecycle_stage = 'deleted', last_updated_timestamp_ms = $2 WHERE model_id = $1`, [modelId, now()]);
}

export async function logLoggedModelParams(tx: Queryable, modelId: string, params: readonly KeyValue[]): Promise<void> {
	await getLoggedModel(tx, modelId);
	await upsertPairs(tx, 'mlflow_logged_model_params', modelId, params);
	await touch(tx, modelId);
}

export async function setLoggedModelTags(tx: Queryable, modelId: string, tags: readonly KeyValue[]): Promise<LoggedModel> {
	await getLoggedModel(tx, modelId);
	await upsertPairs(tx, 'mlflow_logged_model_tags', modelId, tags);
	await touch(tx, modelId);
	return getLoggedModel(tx, modelId);
}

export async function deleteLoggedModelTag(tx: Queryable, modelId: string, key: string): Promise<void> {
	await getLoggedModel(tx, modelId);
	const deleted = await tx.query(`DELETE FROM mlflow_logged_model_tags WHERE model_id = $1 AND key = $2 RETURNING key`, [modelId, key]);
	if (deleted.length === 0) throw doesNotExist(`No tag with key '${key}' found for model with ID '${modelId}'.`);
	await touch(tx, modelId);
}

function searchSchema(datasetCondition: (column: string) => string): SearchSchema {
	const number = (sql: string) => ({ sql, type: 'number' as const });
	return {
		what: 'logged models',
		prefixes: {
			attribute: 'attributes',
			attributes: 'attributes',
			attr: 'attributes',
			param: 'params',
			params: 'params',
			tag: 'tags',
			tags: 'tags',
			metric: 'metrics',
			metrics: 'metrics'
		},
		attributes: {
			name: { sql: 'm.name', type: 'string' },
			model_id: { sql: 'm.model_id', type: 'string', list: true },
			model_type: { sql: 'm.model_type', type: 'string' },
			status: { sql: 'm.status', type: 'string' },
			source_run_id: { sql: 'm.source_run_id', type: 'string', list: true },
			creation_timestamp: number('m.creation_timestamp_ms'),
			creation_time: number('m.creation_timestamp_ms'),
			creation_timestamp_ms: number('m.creation_timestamp_ms'),
			last_updated_timestamp: number('m.last_updated_timestamp_ms'),
			last_updated_timestamp_ms: number('m.last_updated_timestamp_ms')
		},
		keyed: {
			params: keyValueTable('string', 'mlflow_logged_model_params', 'p', 'p.model_id = m.model_id'),
			tags: keyValueTable('string', 'mlflow_logged_model_tags', 't', 't.model_id = m.model_id'),
			metrics: {
				type: 'number',
				exists: (key, cond) =>
					`EXISTS (SELECT 1 FROM mlflow_metrics x WHERE x.model_id = m.model_id AND x.key = ${key} AND ${datasetCondition('x')} AND ${cond('x.value')})`,
				value: (key) =>
					`(SELECT x.value FROM mlflow_metrics x WHERE x.model_id = m.model_id AND x.key = ${key} AND ${datasetCondition('x')} ORDER BY x.step DESC, x.timestamp DESC, x.seq DESC LIMIT 1)`
			}
		}
	};
}

export interface SearchLoggedModelsInput {
	experiment_ids?: string[];
	filter?: string;
	datasets?: { dataset_name: string; dataset_digest?: string }[];
	max_results?: number;
	order_by?: { field_name: string; ascending?: boolean }[];
	page_token?: string;
}

const SEARCH_MAX_RESULTS_THRESHOLD = 50_000;

export async function searchLoggedModels(db: Queryable, input: SearchLoggedModelsInput): Promise<{ models?: LoggedModel[]; next_page_token?: string }> {
	const maxResults = input.max_results ?? 50;
	checkMaxResults(maxResults, SEARCH_MAX_RESULTS_THRESHOLD);
	const offset = decodePageToken(input.page_token);
	const experimentIds = (input.experiment_ids ?? []).map(parseExperimentId);
	if (experimentIds.length === 0) throw invalidParameter('logged-models/search needs at least one experiment id in experiment_ids');
	const params = new SqlParams();
	const experiments = experimentIds.map((id) => params.add(id)).join(', ');
	// Metric clauses only count values logged against the given datasets, when any are given.
	const datasets = (input.datasets ?? []).map((d) => ({
		name: params.add(d.dataset_name),
		digest: d.dataset_digest === undefined ? undefined : params.add(d.dataset_digest)
	}));
	const datasetCondition = (alias: string) =>
		datasets.length === 0
			? 'TRUE'
			: `(${datasets.map((d) => `(${alias}.dataset_name = ${d.name}${d.digest ? ` AND ${alias}.dataset_digest = ${d.digest}` : ''})`).join(' OR ')})`;
	const schema = searchSchema(datasetCondition);
	const where = compileFilter(schema, parseFilter(input.filter), params);
	const terms: OrderTerm[] = (input.order_by ?? []).map((o) => {
		const dot = o.field_name.indexOf('.');
		const id = dot < 0 ? { key: o.field_name } : { prefix: o.field_name.slice(0, dot), key: o.field_name.slice(dot + 1) };
		return { ...id, ascending: o.ascending ?? true };
	});
	const order = compileOrderTerms(schema, terms, params);
	if (!order.attributes.has('m.creation_timestamp_ms')) order.terms.push('m.creation_timestamp_ms DESC');
	order.terms.push('m.model_id ASC');
	const limit = params.add(maxResults + 1);
	const skip = params.add(offset);
	const rows = await db.query<LoggedModelRow>(
		`SELECT ${COLUMNS} FROM mlflow_logged_models m
		 WHERE m.experiment_id IN (${experiments}) AND m.lifecycle_stage = 'active' AND ${where}
		 ORDER BY ${order.terms.join(', ')} LIMIT ${limit} OFFSET ${skip}`,
		params.values
	);
	const { items, next_page_token } = page(rows, offset, maxResults);
	return compact({ models: await loadModels(db, items), next_page_token });
}
