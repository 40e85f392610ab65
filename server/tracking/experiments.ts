import type { Queryable } from '#server/store/index.ts';
import { childRowLoader } from '#server/store/child-rows.ts';
import { alreadyExists, doesNotExist, invalidParameter, isUniqueViolation } from '#server/mlflow/errors.ts';
import { compileFilter, compileOrderBy, parseFilter, SqlParams, keyValueTable, type SearchSchema } from '#server/mlflow/search-filter.ts';
import { checkMaxResults, compact, decodePageToken, now, page } from '#server/mlflow/wire.ts';
import type { Experiment, KeyValue, ViewType } from '#lib/contracts/mlflow.ts';

interface ExperimentRow {
	experiment_id: number;
	name: string;
	artifact_location: string;
	lifecycle_stage: 'active' | 'deleted';
	creation_time: number;
	last_update_time: number;
}

export const DEFAULT_EXPERIMENT_ID = '0';
const MAX_RESULTS_THRESHOLD = 50_000;

/** Experiment ids are strings of integers; anything else cannot name one. */
export function parseExperimentId(id: string): number {
	if (!/^\d{1,18}$/.test(id)) throw invalidParameter(`Invalid experiment ID: '${id}'. Experiment IDs are strings of digits.`);
	return Number(id);
}

/** The SQL that keeps rows of a lifecycle view. `column` is code, not input. */
export function viewCondition(column: string, view: ViewType): string {
	if (view === 'ACTIVE_ONLY') return `${column} = 'active'`;
	if (view === 'DELETED_ONLY') return `${column} = 'deleted'`;
	return 'TRUE';
}

async function withTags(db: Queryable, rows: ExperimentRow[]): Promise<Experiment[]> {
	if (rows.length === 0) return [];
	const ofExperiments = childRowLoader(
		db,
		['experiment_id'],
		rows.map((r) => r.experiment_id)
	);
	const tags = await ofExperiments<{ key: string; value: string }>('mlflow_experiment_tags', 'key, value', 'key');
	return rows.map((r) =>
		compact({
			experiment_id: String(r.experiment_id),
			name: r.name,
			artifact_location: r.artifact_location,
			lifecycle_stage: r.lifecycle_stage,
			last_update_time: Number(r.last_update_time),
			creation_time: Number(r.creation_time),
			tags: tags(r.experiment_id).map(({ key, value }) => ({ key, value }))
		})
	);
}

const COLUMNS = `experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time`;
const E_COLUMNS = `e.experiment_id, e.name, e.artifact_location, e.lifecycle_stage, e.creation_time, e.last_update_time`;

export async function findExperiment(db: Queryable, experimentId: string): Promise<Experiment | undefined> {
	const id = parseExperimentId(experimentId);
	const rows = await db.query<ExperimentRow>(`SELECT ${COLUMNS} FROM mlflow_experiments WHERE experiment_id = $1`, [id]);
	return (await withTags(db, rows))[0];
}

export async function getExperiment(db: Queryable, experimentId: string): Promise<Experiment> {
	const experiment = await findExperiment(db, experimentId);
	if (!experiment) throw doesNotExist(`No Experiment with id=${experimentId} exists`);
	return experiment;
}

/** An experiment that can take new runs and models: it exists and is not deleted. */
export async function getActiveExperiment(db: Queryable, experimentId: string): Promise<Experiment> {
	const experiment = await getExperiment(db, experimentId);
	if (experiment.lifecycle_stage !== 'active') {
		throw invalidParameter(`The experiment ${experimentId} must be in the 'active' state. Current state is ${experiment.lifecycle_stage}.`);
	}
	return experiment;
}

export async function getExperimentByName(db: Queryable, name: string): Promise<Experiment> {
	const rows = await db.query<ExperimentRow>(`SELECT ${COLUMNS} FROM mlflow_experiments WHERE name = $1`, [name]);
	const [experiment] = await withTags(db, rows);
	if (!experiment) throw doesNotExist(`Could not find experiment with name '${name}'`);
	return experiment;
}

function checkName(name: string): void {
	if (name.trim() === '') throw invalidParameter(`Invalid experiment name: '${name}'`);
}

async function upsertTags(db: Queryable, experimentId: number, tags: readonly KeyValue[]): Promise<void> {
	for (const tag of tags) {
		if (tag.key === '') throw invalidParameter('Experiment tag key must not be empty');
		await db.query(
			`INSERT INTO mlflow_experiment_tags (experiment_id, key, value) VALUES ($1, $2, $3)
			 ON CONFLICT (experiment_id, key) DO UPDATE SET value = EXCLUDED.value`,
			[experimentId, tag.key, tag.value]
		);
	}
}

/** Creates an experiment; its artifacts go to `mlflow-artifacts:/<id>` unless a location is given. */
export async function createExperiment(tx: Queryable, input: { name: string; artifact_location?: string; tags?: KeyValue[] }): Promise<string> {
	checkName(input.name);
	const existing = await tx.query<{ lifecycle_stage: string }>(`SELECT lifecycle_stage FROM mlflow_experiments WHERE name = $1`, [input.name]);
	if (existing[0]) {
		const deleted = existing[0].lifecycle_stage === 'deleted' ? ' in deleted state; restore it or permanently delete it first' : '';
		throw alreadyExists(`Experiment '${input.name}' already exists${deleted}.`);
	}
	const time = now();
	let row: { experiment_id: number };
	try {
		[row] = await tx.query<{ experiment_id: number }>(
			`INSERT INTO mlflow_experiments (name, artifact_location, creation_time, last_update_time)
			 VALUES ($1, '', $2, $2) RETURNING experiment_id`,
			[input.name, time]
		);
	} catch (error) {
		if (isUniqueViolation(error)) throw alreadyExists(`Experiment '${input.name}' already exists.`);
		throw error;
	}
	const location = input.artifact_location?.trim() ? input.artifact_location.trim().replace(/\/+$/, '') : `mlflow-artifacts:/${row.experiment_id}`;
	await tx.query(`UPDATE mlflow_experiments SET artifact_location = $2 WHERE experiment_id = $1`, [row.experiment_id, location]);
	await upsertTags(tx, row.experiment_id, input.tags ?? []);
	return String(row.experiment_id);
}

export async function renameExperiment(tx: Queryable, experimentId: string, newName: string): Promise<void> {
	checkName(newName);
	const experiment = await getExperiment(tx, experimentId);
	if (experiment.lifecycle_stage !== 'active') throw invalidParameter('Cannot rename a non-active experiment.');
	if (experiment.name === newName) return;
	const clash = await tx.query(`SELECT 1 FROM mlflow_experiments WHERE name = $1`, [newName]);
	if (clash.length > 0) throw alreadyExists(`Experiment '${newName}' already exists.`);
	try {
		await tx.query(`UPDATE mlflow_experiments SET name = $2, last_update_time = $3 WHERE experiment_id = $1`, [
			parseExperimentId(experimentId),
			newName,
			now()
		]);
	} catch (error) {
		if (isUniqueViolation(error)) throw alreadyExists(`Experiment '${newName}' already exists.`);
		throw error;
	}
}

/** Marks an experiment and its runs deleted (restorable). The Default experiment stays. */
export async function deleteExperiment(tx: Queryable, experimentId: string): Promise<void> {
	const experiment = await getExperiment(tx, experimentId);
	if (experiment.experiment_id === DEFAULT_EXPERIMENT_ID) throw invalidParameter('Cannot delete the Default experiment (id 0).');
	const id = parseExperimentId(experimentId);
	const time = now();
	await tx.query(`UPDATE mlflow_experiments SET lifecycle_stage = 'deleted', last_update_time = $2 WHERE experiment_id = $1`, [id, time]);
	await tx.query(`UPDATE mlflow_runs SET lifecycle_stage = 'deleted', deleted_time = $2 WHERE experiment_id = $1 AND lifecycle_stage = 'active'`, [id, time]);
}

export async function restoreExperiment(tx: Queryable, experimentId: string): Promise<void> {
	const experiment = await getExperiment(tx, experimentId);
	if (experiment.lifecycle_stage !== 'deleted') {
		throw invalidParameter(`Cannot restore an experiment that is not deleted: experiment ${experimentId} is ${experiment.lifecycle_stage}.`);
	}
	const id = parseExperimentId(experimentId);
	await tx.query(`UPDATE mlflow_experiments SET lifecycle_stage = 'active', last_update_time = $2 WHERE experiment_id = $1`, [id, now()]);
	await tx.query(`UPDATE mlflow_runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE experiment_id = $1 AND lifecycle_stage = 'deleted'`, [id]);
}

export async function setExperimentTag(tx: Queryable, experimentId: string, tag: KeyValue): Promise<void> {
	const experiment = await getExperiment(tx, experimentId);
	if (experiment.lifecycle_stage !== 'active') throw invalidParameter(`The experiment ${experimentId} must be in the 'active' state.`);
	await upsertTags(tx, parseExperimentId(experimentId), [tag]);
}

export async function deleteExperimentTag(tx: Queryable, experimentId: string, key: string): Promise<void> {
	await getExperiment(tx, experimentId);
	const deleted = await tx.query(`DELETE FROM mlflow_experiment_tags WHERE experiment_id = $1 AND key = $2 RETURNING key`, [
		parseExperimentId(experimentId),
		key
	]);
	if (deleted.length === 0) throw doesNotExist(`No tag with name: ${key} in experiment with id ${experimentId}`);
}

const EXPERIMENT_SEARCH: SearchSchema = {
	what: 'experiments',
	prefixes: { attribute: 'attributes', attributes: 'attributes', attr: 'attributes', tag: 'tags', tags: 'tags' },
	attributes: {
		name: { sql: 'e.name', type: 'string' },
		experiment_id: { sql: 'e.experiment_id::text', orderSql: 'e.experiment_id', type: 'string', like: false },
		creation_time: { sql: 'e.creation_time', type: 'number' },
		last_update_time: { sql: 'e.last_update_time', type: 'number' }
	},
	keyed: {
		tags: keyValueTable('string', 'mlflow_experiment_tags', 't', 't.experiment_id = e.experiment_id')
	}
};

export interface SearchExperimentsInput {
	filter?: string;
	order_by?: string[];
	max_results?: number;
	page_token?: string;
	view_type?: ViewType;
}

export async function searchExperiments(db: Queryable, input: SearchExperimentsInput): Promise<{ experiments?: Experiment[]; next_page_token?: string }> {
	const maxResults = input.max_results ?? 1000;
	checkMaxResults(maxResults, MAX_RESULTS_THRESHOLD);
	const offset = decodePageToken(input.page_token);
	const params = new SqlParams();
	const where = compileFilter(EXPERIMENT_SEARCH, parseFilter(input.filter), params);
	const order = compileOrderBy(EXPERIMENT_SEARCH, input.order_by ?? [], params);
	// MLflow's default: newest first, then by id.
	if (order.terms.length === 0) order.terms.push('e.creation_time DESC');
	if (!order.attributes.has('e.experiment_id')) order.terms.push('e.experiment_id ASC');
	const limit = params.add(maxResults + 1);
	const skip = params.add(offset);
	const rows = await db.query<ExperimentRow>(
		`SELECT ${E_COLUMNS} FROM mlflow_experiments e
		 WHERE ${viewCondition('e.lifecycle_stage', input.view_type ?? 'ACTIVE_ONLY')} AND ${where}
		 ORDER BY ${order.terms.join(', ')} LIMIT ${limit} OFFSET ${skip}`,
		params.values
	);
	const { items, next_page_token } = page(rows, offset, maxResults);
	return compact({ experiments: await withTags(db, items), next_page_token });
}
