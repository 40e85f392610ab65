import { currentActor } from '#server/auth/principal.ts';
import type { Queryable } from '#server/store/index.ts';
import { childRowLoader } from '#server/store/child-rows.ts';
import { alreadyExists, doesNotExist, invalidParameter, isUniqueViolation } from '#server/mlflow/errors.ts';
import { findLoggedModel, MODEL_ID } from '#server/tracking/logged-models.ts';
import { emitEvent } from '#server/webhooks/events.ts';
import { getRun } from '#server/tracking/runs.ts';
import { compileFilter, compileOrderBy, parseFilter, SqlParams, keyValueTable, type Comparison, type SearchSchema } from '#server/mlflow/search-filter.ts';
import { checkMaxResults, compact, decodePageToken, now, page } from '#server/mlflow/wire.ts';
import type { CreateModelVersionInput, KeyValue, ModelVersion, RegisteredModel, Stage } from '#lib/contracts/mlflow.ts';

/**
 * The model registry: registered models, their numbered versions, stages, aliases and tags.
 * Every change MLflow 3 sends a webhook for is emitted here, in the change's transaction
 * (server/webhooks/events.ts), with MLflow's payload — whichever route made it.
 */

const tagMap = (tags: readonly KeyValue[] | undefined) => Object.fromEntries((tags ?? []).map((t) => [t.key, t.value]));

const STAGES: readonly Stage[] = ['None', 'Staging', 'Production', 'Archived'];

interface VersionRow {
	name: string;
	version: number;
	description: string | null;
	source: string;
	storage_location: string;
	run_id: string | null;
	run_link: string | null;
	model_id: string | null;
	current_stage: Stage;
	status: 'READY';
	creation_timestamp: number;
	last_updated_timestamp: number;
}

interface ModelRow {
	name: string;
	description: string | null;
	creation_timestamp: number;
	last_updated_timestamp: number;
}

const VERSION_COLUMNS =
	'v.name, v.version, v.description, v.source, v.storage_location, v.run_id, v.run_link, v.model_id, v.current_stage, v.status, v.creation_timestamp, v.last_updated_timestamp';

/** Case-insensitive stage name to MLflow's spelling. */
export function parseStage(stage: string): Stage {
	const found = STAGES.find((s) => s.toLowerCase() === stage.trim().toLowerCase());
	if (!found) throw invalidParameter(`Invalid Model Version stage: ${stage}. Value must be one of ${STAGES.join(', ')}.`);
	return found;
}

/** Versions are strings of integers on the wire. */
export function parseVersion(version: string): number {
	if (!/^\d{1,9}$/.test(version.trim())) throw invalidParameter(`Parameter 'version' must be an integer, got '${version}'.`);
	return Number(version);
}

function checkModelName(name: string): void {
	if (name.trim() === '') throw invalidParameter('Registered model name cannot be empty.');
}

function checkAlias(alias: string): void {
	if (alias === '') throw invalidParameter('Registered model alias name cannot be empty.');
	if (alias.length > 255) throw invalidParameter(`Registered model alias name '${alias.slice(0, 40)}…' exceeds the maximum length of 255 characters.`);
	if (!/^[\w-]+$/.test(alias)) throw invalidParameter(`Invalid alias name '${alias}': only alphanumerics, underscores and dashes are allowed.`);
	if (alias.toLowerCase() === 'latest') throw invalidParameter("'latest' alias name (case insensitive) is reserved.");
	if (/^v\d+$/i.test(alias)) throw invalidParameter(`Version alias name '${alias}' is reserved.`);
}

async function loadVersions(db: Queryable, rows: VersionRow[]): Promise<ModelVersion[]> {
	if (rows.length === 0) return [];
	const ofVersions = childRowLoader(
		db,
		['name', { column: 'version', type: 'integer' }],
		rows.map((r) => [r.name, r.version])
	);
	const tags = await ofVersions<{ key: string; value: string }>('mlflow_model_version_tags', 'key, value', 'key');
	const aliases = await ofVersions<{ alias: string }>('mlflow_registered_model_aliases', 'alias', 'alias');
	const of = (r: VersionRow) => [r.name, r.version];
	return rows.map((r) =>
		compact({
			name: r.name,
			version: String(r.version),
			creation_timestamp: Number(r.creation_timestamp),
			last_updated_timestamp: Number(r.last_updated_timestamp),
			current_stage: r.current_stage,
			description: r.description ?? undefined,
			source: r.source,
			run_id: r.run_id ?? undefined,
			run_link: r.run_link ?? undefined,
			status: r.status,
			tags: tags(of(r)).map(({ key, value }) => ({ key, value })),
			aliases: aliases(of(r)).map((a) => a.alias),
			model_id: r.model_id ?? undefined
		})
	);
}

async function loadModels(db: Queryable, rows: ModelRow[]): Promise<RegisteredModel[]> {
	if (rows.length === 0) return [];
	const names = rows.map((r) => r.name);
	const ofModels = childRowLoader(db, ['name'], names);
	const tags = await ofModels<{ key: string; value: string }>('mlflow_registered_model_tags', 'key, value', 'key');
	const aliases = await ofModels<{ alias: string; version: number }>('mlflow_registered_model_aliases', 'alias, version', 'alias');
	// The newest version in each stage, as MLflow's latest_versions.
	const params = new SqlParams();
	const latest = await loadVersions(
		db,
		await db.query<VersionRow>(
			`SELECT DISTINCT ON (v.name, v.current_stage) ${VERSION_COLUMNS} FROM mlflow_model_versions v
			 WHERE v.name IN (${names.map((name) => params.add(name)).join(', ')}) ORDER BY v.name, v.current_stage, v.version DESC`,
			params.values
		)
	);
	return rows.map((r) =>
		compact({
			name: r.name,
			creation_timestamp: Number(r.creation_timestamp),
			last_updated_timestamp: Number(r.last_updated_timestamp),
			description: r.description ?? undefined,
			latest_versions: latest.filter((v) => v.name === r.name).sort((a, b) => Number(a.version) - Number(b.version)),
			tags: tags(r.name).map(({ key, value }) => ({ key, value })),
			aliases: aliases(r.name).map((a) => ({ alias: a.alias, version: String(a.version) }))
		})
	);
}

async function getModelRow(db: Queryable, name: string, lock = false): Promise<ModelRow> {
	const [row] = await db.query<ModelRow>(
		`SELECT name, description, creation_timestamp, last_updated_timestamp FROM mlflow_registered_models WHERE name = $1${lock ? ' FOR UPDATE' : ''}`,
		[name]
	);
	if (!row) throw doesNotExist(`Registered Model with name=${name} not found`);
	return row;
}

async function touchModel(tx: Queryable, name: string): Promise<void> {
	await tx.query(`UPDATE mlflow_registered_models SET last_updated_timestamp = $2 WHERE name = $1`, [name, now()]);
}

export async function getRegisteredModel(db: Queryable, name: string): Promise<RegisteredModel> {
	const [model] = await loadModels(db, [await getModelRow(db, name)]);
	return model;
}

async function upsertModelTags(tx: Queryable, name: string, tags: readonly KeyValue[]): Promise<void> {
	for (const tag of tags) {
		if (tag.key === '') throw invalidParameter('Registered model tag key must not be empty');
		await tx.query(
			`INSERT INTO mlflow_registered_model_tags (name, key, value) VALUES ($1, $2, $3) ON CONFLICT (name, key) DO UPDATE SET value = EXCLUDED.value`,
			[name, tag.key, tag.value]
		);
	}
}

export async function createRegisteredModel(tx: Queryable, input: { name: string; description?: string; tags?: KeyValue[] }): Promise<RegisteredModel> {
	checkModelName(input.name);
	const exists = await tx.query(`SELECT 1 FROM mlflow_registered_models WHERE name = $1`, [input.name]);
	if (exists.length > 0) throw alreadyExists(`Registered Model (name=${input.name}) already exists.`);
	const time = now();
	try {
		await tx.query(`INSERT INTO mlflow_registered_models (name, description, creation_timestamp, last_updated_timestamp) VALUES ($1, $2, $3, $3)`, [
			input.name,
			input.description ?? null,
			time
		]);
	} catch (error) {
		if (isUniqueViolation(error)) throw alreadyExists(`Registered Model (name=${input.name}) already exists.`);
		throw error;
	}
	await upsertModelTags(tx, input.name, input.tags ?? []);
	// As MLflow: the description as sent ('' when none).
	await emitEvent(tx, 'registered_model.created', { name: input.name, tags: tagMap(input.tags), description: input.description ?? '' });
	return getRegisteredModel(tx, input.name);
}

export async function renameRegisteredModel(tx: Queryable, name: string, newName: string): Promise<RegisteredModel> {
	checkModelName(newName);
	await getModelRow(tx, name, true);
	if (newName !== name) {
		const clash = await tx.query(`SELECT 1 FROM mlflow_registered_models WHERE name = $1`, [newName]);
		if (clash.length > 0) throw alreadyExists(`Registered Model (name=${newName}) already exists.`);
		// Versions, tags and aliases follow by ON UPDATE CASCADE.
		await tx.query(`UPDATE mlflow_registered_models SET name = $2, last_updated_timestamp = $3 WHERE name = $1`, [name, newName, now()]);
	}
	return getRegisteredModel(tx, newName);
}

export async function updateRegisteredModel(tx: Queryable, name: string, description: string | undefined): Promise<RegisteredModel> {
	await getModelRow(tx, name, true);
	if (description !== undefined) {
		await tx.query(`UPDATE mlflow_registered_models SET description = $2, last_updated_timestamp = $3 WHERE name = $1`, [name, description, now()]);
	}
	return getRegisteredModel(tx, name);
}

export async function deleteRegisteredModel(tx: Queryable, name: string): Promise<void> {
	await getModelRow(tx, name, true);
	await tx.query(`DELETE FROM mlflow_registered_models WHERE name = $1`, [name]);
}

export async function setRegisteredModelTag(tx: Queryable, name: string, tag: KeyValue): Promise<void> {
	await getModelRow(tx, name, true);
	await upsertModelTags(tx, name, [tag]);
	await touchModel(tx, name);
}

export async function deleteRegisteredModelTag(tx: Queryable, name: string, key: string): Promise<void> {
	await getModelRow(tx, name, true);
	await tx.query(`DELETE FROM mlflow_registered_model_tags WHERE name = $1 AND key = $2`, [name, key]);
}

/** The tag that marks MLflow prompts, which live in the registry as models and versions. */
const IS_PROMPT_TAG = 'mlflow.prompt.is_prompt';

/**
 * A registry filter as MLflow's SqlAlchemyStore runs it (_is_querying_prompt,
 * _update_query_to_exclude_prompts): unless it asks for prompts (`tag.<is_prompt> = 'true'` or
 * `!= 'false'`), its comparisons on the prompt tag are dropped and prompts are left out — the
 * clients from 2.21 on append ``tag.`mlflow.prompt.is_prompt` != 'true'``, which untagged models
 * must pass. Every other tag keeps "has the tag, with another value" for `!=`, as in MLflow.
 * `promptTags` is the tag table whose rows with the prompt tag 'true' exclude a row of `name`:
 * by name alone for versions too, as MLflow joins it.
 */
function registryFilter(schema: SearchSchema, filter: string | undefined, promptTags: string, name: string, params: SqlParams): string {
	const comparisons = parseFilter(filter);
	const onPromptTag = (c: Comparison) =>
		c.prefix !== undefined && schema.prefixes[c.prefix.toLowerCase()] === 'tags' && c.key === IS_PROMPT_TAG && c.value.kind === 'string';
	const asked = comparisons.find(onPromptTag);
	const value = asked?.value.kind === 'string' ? asked.value.value.toLowerCase() : undefined;
	if ((asked?.op === '=' && value === 'true') || (asked?.op === '!=' && value === 'false')) return compileFilter(schema, comparisons, params);
	// Dropped only once they would compile (string comparisons), so bad ones are still a 400.
	const rest = comparisons.filter((c) => !(onPromptTag(c) && ['=', '!=', 'LIKE', 'ILIKE'].includes(c.op)));
	const prompts = `SELECT 1 FROM ${promptTags} p WHERE p.name = ${name} AND p.key = ${params.add(IS_PROMPT_TAG)} AND p.value = 'true'`;
	return `${compileFilter(schema, rest, params)} AND NOT EXISTS (${prompts})`;
}

const MODEL_SEARCH: SearchSchema = {
	what: 'registered models',
	prefixes: { attribute: 'attributes', attributes: 'attributes', attr: 'attributes', tag: 'tags', tags: 'tags' },
	attributes: {
		name: { sql: 'rm.name', type: 'string' },
		creation_timestamp: { sql: 'rm.creation_timestamp', type: 'number' },
		last_updated_timestamp: { sql: 'rm.last_updated_timestamp', type: 'number' },
		timestamp: { sql: 'rm.last_updated_timestamp', type: 'number' }
	},
	keyed: {
		tags: keyValueTable('string', 'mlflow_registered_model_tags', 't', 't.name = rm.name')
	}
};

interface SearchInput {
	filter?: string;
	max_results?: number;
	order_by?: string[];
	page_token?: string;
}

export async function searchRegisteredModels(db: Queryable, input: SearchInput): Promise<{ registered_models?: RegisteredModel[]; next_page_token?: string }> {
	const maxResults = input.max_results ?? 100;
	checkMaxResults(maxResults, 1000);
	const offset = decodePageToken(input.page_token);
	const params = new SqlParams();
	const where = registryFilter(MODEL_SEARCH, input.filter, 'mlflow_registered_model_tags', 'rm.name', params);
	const order = compileOrderBy(MODEL_SEARCH, input.order_by ?? [], params);
	if (!order.attributes.has('rm.name')) order.terms.push('rm.name ASC');
	const rows = await db.query<ModelRow>(
		`SELECT rm.name, rm.description, rm.creation_timestamp, rm.last_updated_timestamp FROM mlflow_registered_models rm
		 WHERE ${where} ORDER BY ${order.terms.join(', ')} LIMIT ${params.add(maxResults + 1)} OFFSET ${params.add(offset)}`,
		params.values
	);
	const { items, next_page_token } = page(rows, offset, maxResults);
	return compact({ registered_models: await loadModels(db, items), next_page_token });
}

// ---------------------------------------------------------------------------------------------
// Versions

async function getVersionRow(db: Queryable, name: string, version: string): Promise<VersionRow> {
	const number = parseVersion(version);
	const [row] = await db.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM mlflow_model_versions v WHERE v.name = $1 AND v.version = $2`, [name, number]);
	if (!row) throw doesNotExist(`Model Version (name=${name}, version=${version}) not found`);
	return row;
}

export async function getModelVersion(db: Queryable, name: string, version: string): Promise<ModelVersion> {
	const [mv] = await loadVersions(db, [await getVersionRow(db, name, version)]);
	return mv;
}

/** Where a version's files are, and the run that produced them when its source says. */
interface ResolvedSource {
	storage: string;
	/** The logged model's source_run_id, for a version registered from a logged model. */
	sourceRunId?: string;
}

/**
 * `runs:/<run>/<path>` → under the run's artifact_uri; `models:/<name>/<version>` → that version's
 * storage location; `models:/m-…` (or a given model_id) → the
 * logged model's artifact_uri, and its source_run_id as the version's run (MLflow's
 * SqlAlchemyStore.create_model_version does the same); anything else as given.
 */
async function resolveSource(db: Queryable, source: string, modelId: string | undefined): Promise<ResolvedSource> {
	const models = /^models:\/(m-[0-9a-f]{32})(?:\/(.*))?$/.exec(source);
	if (modelId !== undefined || models) {
		const id = modelId ?? models![1];
		const model = await findLoggedModel(db, id);
		if (!model) {
			if (modelId !== undefined) throw doesNotExist(`Logged model with ID '${modelId}' not found.`);
			return { storage: source };
		}
		const sourceRunId = model.info.source_run_id;
		if (!source.startsWith('models:/')) return { storage: source, sourceRunId };
		const sub = models && models[1] === id ? models[2] : undefined;
		return { storage: sub ? `${model.info.artifact_uri}/${sub}` : model.info.artifact_uri, sourceRunId };
	}
	// models:/<name>/<version> (copy_model_version's source): that version's own files, as MLflow's
	// store resolves it, so the copy downloads from where the original does.
	const registered = /^models:\/([^/]+)\/(\d+)$/.exec(source);
	if (registered) {
		const [, name, version] = registered;
		const row = await getVersionRow(db, name, version).catch((error: unknown) => {
			throw invalidParameter(`Unable to fetch model from model URI source artifact location '${source}'. Error: ${(error as Error).message}`);
		});
		return { storage: row.storage_location };
	}
	const runs = /^runs:\/([^/]+)(?:\/(.*))?$/.exec(source);
	if (runs) {
		const run = await getRun(db, runs[1]);
		const sub = runs[2]?.replace(/^\/+|\/+$/g, '');
		return { storage: sub ? `${run.info.artifact_uri}/${sub}` : run.info.artifact_uri };
	}
	return { storage: source };
}

/** A new version, READY at once: there is no asynchronous copy behind it. */
export async function createModelVersion(tx: Queryable, input: CreateModelVersionInput): Promise<ModelVersion> {
	if (input.source.trim() === '') throw invalidParameter("Missing value for required parameter 'source'.");
	if (input.model_id !== undefined && !MODEL_ID.test(input.model_id)) throw invalidParameter(`Invalid model_id '${input.model_id}'.`);
	await getModelRow(tx, input.name, true);
	const { storage, sourceRunId } = await resolveSource(tx, input.source, input.model_id);
	const [{ version }] = await tx.query<{ version: number }>(
		`UPDATE mlflow_registered_models SET next_version = next_version + 1, last_updated_timestamp = $2 WHERE name = $1 RETURNING next_version - 1 AS version`,
		[input.name, now()]
	);
	const time = now();
	await tx.query(
		`INSERT INTO mlflow_model_versions (name, version, description, source, storage_location, run_id, run_link, model_id, creation_timestamp, last_updated_timestamp)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
		[
			input.name,
			version,
			input.description ?? null,
			input.source,
			storage,
			input.run_id || sourceRunId || null,
			input.run_link || null,
			input.model_id ?? null,
			time
		]
	);
	for (const tag of input.tags ?? []) {
		if (tag.key === '') throw invalidParameter('Model version tag key must not be empty');
		await tx.query(
			`INSERT INTO mlflow_model_version_tags (name, version, key, value) VALUES ($1, $2, $3, $4) ON CONFLICT (name, version, key) DO UPDATE SET value = EXCLUDED.value`,
			[input.name, version, tag.key, tag.value]
		);
	}
	await emitEvent(tx, 'model_version.created', {
		name: input.name,
		version: String(version),
		source: input.source,
		run_id: input.run_id || null,
		tags: tagMap(input.tags),
		description: input.description || null
	});
	return getModelVersion(tx, input.name, String(version));
}

async function touchVersion(tx: Queryable, name: string, version: number): Promise<void> {
	const time = now();
	await tx.query(`UPDATE mlflow_model_versions SET last_updated_timestamp = $3 WHERE name = $1 AND version = $2`, [name, version, time]);
	await tx.query(`UPDATE mlflow_registered_models SET last_updated_timestamp = $2 WHERE name = $1`, [name, time]);
}

export async function updateModelVersion(tx: Queryable, name: string, version: string, description: string | undefined): Promise<ModelVersion> {
	const row = await getVersionRow(tx, name, version);
	if (description !== undefined) {
		await tx.query(`UPDATE mlflow_model_versions SET description = $3 WHERE name = $1 AND version = $2`, [name, row.version, description]);
		await touchVersion(tx, name, row.version);
	}
	return getModelVersion(tx, name, version);
}

export async function deleteModelVersion(tx: Queryable, name: string, version: string): Promise<void> {
	const row = await getVersionRow(tx, name, version);
	const aliases = await tx.query<{ alias: string }>(`SELECT alias FROM mlflow_registered_model_aliases WHERE name = $1 AND version = $2`, [name, row.version]);
	for (const { alias } of aliases) await recordAliasMove(tx, { name, alias, from: Number(row.version), to: null, reason: `version ${row.version} deleted` });
	// Its tags and the aliases pointing at it go with it (ON DELETE CASCADE).
	await tx.query(`DELETE FROM mlflow_model_versions WHERE name = $1 AND version = $2`, [name, row.version]);
	await touchModel(tx, name);
}

export async function getDownloadUri(db: Queryable, name: string, version: string): Promise<string> {
	return (await getVersionRow(db, name, version)).storage_location;
}

export async function setModelVersionTag(tx: Queryable, name: string, version: string, tag: KeyValue): Promise<void> {
	if (tag.key === '') throw invalidParameter('Model version tag key must not be empty');
	const row = await getVersionRow(tx, name, version);
	await tx.query(
		`INSERT INTO mlflow_model_version_tags (name, version, key, value) VALUES ($1, $2, $3, $4) ON CONFLICT (name, version, key) DO UPDATE SET value = EXCLUDED.value`,
		[name, row.version, tag.key, tag.value]
	);
	await touchVersion(tx, name, row.version);
	await emitEvent(tx, 'model_version_tag.set', { name, version: String(row.version), key: tag.key, value: tag.value });
}

export async function deleteModelVersionTag(tx: Queryable, name: string, version: string, key: string): Promise<void> {
	const row = await getVersionRow(tx, name, version);
	await tx.query(`DELETE FROM mlflow_model_version_tags WHERE name = $1 AND version = $2 AND key = $3`, [name, row.version, key]);
	await emitEvent(tx, 'model_version_tag.deleted', { name, version: String(row.version), key });
}

export async function transitionStage(tx: Queryable, name: string, version: string, stage: string, archiveExisting: boolean): Promise<ModelVersion> {
	const target = parseStage(stage);
	const row = await getVersionRow(tx, name, version);
	if (archiveExisting && target !== 'Staging' && target !== 'Production') {
		throw invalidParameter(
			`Model version transition cannot archive existing model versions because '${target}' is not an Active stage. Valid stages are Staging and Production.`
		);
	}
	const time = now();
	if (archiveExisting) {
		await tx.query(
			`UPDATE mlflow_model_versions SET current_stage = 'Archived', last_updated_timestamp = $4 WHERE name = $1 AND current_stage = $2 AND version <> $3`,
			[name, target, row.version, time]
		);
	}
	await tx.query(`UPDATE mlflow_model_versions SET current_stage = $3 WHERE name = $1 AND version = $2`, [name, row.version, target]);
	await touchVersion(tx, name, row.version);
	return getModelVersion(tx, name, version);
}

/** The newest version per stage, for the stages asked (all when none). */
export async function getLatestVersions(db: Queryable, name: string, stages: readonly string[]): Promise<ModelVersion[]> {
	await getModelRow(db, name);
	const wanted = stages.map(parseStage);
	const rows = await db.query<VersionRow>(
		`SELECT DISTINCT ON (v.current_stage) ${VERSION_COLUMNS} FROM mlflow_model_versions v WHERE v.name = $1 ORDER BY v.current_stage, v.version DESC`,
		[name]
	);
	const picked = wanted.length === 0 ? rows : rows.filter((r) => wanted.includes(r.current_stage));
	return loadVersions(
		db,
		picked.sort((a, b) => Number(a.version) - Number(b.version))
	);
}

/**
 * Records an alias move in its history (alias-history.ts reads it); called by setAlias,
 * deleteAlias and deleteModelVersion in their transaction, so moves through the MLflow API are
 * recorded too. A no-op move is not recorded.
 */
async function recordAliasMove(
	tx: Queryable,
	move: { name: string; alias: string; from: number | null; to: number | null; reason?: string | null; actor?: string }
): Promise<void> {
	if (move.from === move.to) return;
	await tx.query(`INSERT INTO registry_alias_events (name, alias, from_version, to_version, actor, reason) VALUES ($1, $2, $3, $4, $5, $6)`, [
		move.name,
		move.alias,
		move.from,
		move.to,
		move.actor ?? currentActor(),
		move.reason ?? null
	]);
}

/** The version an alias points at now (locked until the transaction ends), or null. */
export async function currentAliasVersion(tx: Queryable, name: string, alias: string, lock = false): Promise<number | null> {
	const [row] = await tx.query<{ version: number }>(
		`SELECT version FROM mlflow_registered_model_aliases WHERE name = $1 AND alias = $2${lock ? ' FOR UPDATE' : ''}`,
		[name, alias]
	);
	return row ? Number(row.version) : null;
}

export async function setAlias(tx: Queryable, name: string, alias: string, version: string, reason?: string): Promise<void> {
	checkAlias(alias);
	await getModelRow(tx, name, true); // serialises moves of this model's aliases, for their history
	const row = await getVersionRow(tx, name, version);
	const from = await currentAliasVersion(tx, name, alias);
	await tx.query(
		`INSERT INTO mlflow_registered_model_aliases (name, alias, version) VALUES ($1, $2, $3) ON CONFLICT (name, alias) DO UPDATE SET version = EXCLUDED.version`,
		[name, alias, row.version]
	);
	await recordAliasMove(tx, { name, alias, from, to: Number(row.version), reason });
	await touchModel(tx, name);
	await emitEvent(tx, 'model_version_alias.created', { name, alias, version: String(row.version) });
}

export async function deleteAlias(tx: Queryable, name: string, alias: string): Promise<void> {
	await getModelRow(tx, name, true);
	const from = await currentAliasVersion(tx, name, alias);
	await tx.query(`DELETE FROM mlflow_registered_model_aliases WHERE name = $1 AND alias = $2`, [name, alias]);
	await recordAliasMove(tx, { name, alias, from, to: null });
	await touchModel(tx, name);
	await emitEvent(tx, 'model_version_alias.deleted', { name, alias });
}

export async function getVersionByAlias(db: Queryable, name: string, alias: string): Promise<ModelVersion> {
	await getModelRow(db, name);
	const [row] = await db.query<{ version: number }>(`SELECT version FROM mlflow_registered_model_aliases WHERE name = $1 AND alias = $2`, [name, alias]);
	// MLflow's SqlAlchemyStore answers a missing alias with INVALID_PARAMETER_VALUE (400), not 404.
	if (!row) throw invalidParameter(`Registered model alias ${alias} not found.`);
	return getModelVersion(db, name, String(row.version));
}

const VERSION_SEARCH: SearchSchema = {
	what: 'model versions',
	prefixes: { attribute: 'attributes', attributes: 'attributes', attr: 'attributes', tag: 'tags', tags: 'tags' },
	attributes: {
		name: { sql: 'v.name', type: 'string' },
		run_id: { sql: 'v.run_id', type: 'string', list: true },
		source_path: { sql: 'v.source', type: 'string' },
		source: { sql: 'v.source', type: 'string' },
		model_id: { sql: 'v.model_id', type: 'string', list: true },
		current_stage: { sql: 'v.current_stage', type: 'string' },
		version_number: { sql: 'v.version', type: 'number' },
		creation_timestamp: { sql: 'v.creation_timestamp', type: 'number' },
		last_updated_timestamp: { sql: 'v.last_updated_timestamp', type: 'number' },
		timestamp: { sql: 'v.last_updated_timestamp', type: 'number' }
	},
	keyed: {
		tags: keyValueTable('string', 'mlflow_model_version_tags', 't', 't.name = v.name AND t.version = v.version')
	}
};

export async function searchModelVersions(db: Queryable, input: SearchInput): Promise<{ model_versions?: ModelVersion[]; next_page_token?: string }> {
	const maxResults = input.max_results ?? 10_000;
	checkMaxResults(maxResults, 200_000);
	const offset = decodePageToken(input.page_token);
	const params = new SqlParams();
	const where = registryFilter(VERSION_SEARCH, input.filter, 'mlflow_model_version_tags', 'v.name', params);
	const order = compileOrderBy(VERSION_SEARCH, input.order_by ?? [], params);
	if (!order.attributes.has('v.name')) order.terms.push('v.name ASC');
	if (!order.attributes.has('v.version')) order.terms.push('v.version DESC');
	const rows = await db.query<VersionRow>(
		`SELECT ${VERSION_COLUMNS} FROM mlflow_model_versions v
		 WHERE ${where} ORDER BY ${order.terms.join(', ')} LIMIT ${params.add(maxResults + 1)} OFFSET ${params.add(offset)}`,
		params.values
	);
	const { items, next_page_token } = page(rows, offset, maxResults);
	return compact({ model_versions: await loadVersions(db, items), next_page_token });
}
