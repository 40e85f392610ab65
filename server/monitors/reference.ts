import { ApiError } from '#server/http/errors.ts';
import { currentAliasVersion } from '#server/model-registry/registered-models.ts';
import type { Queryable } from '#server/store/index.ts';
import type { Monitor } from '#lib/contracts/monitors.ts';

/**
 * "The training run's dataset" as a monitor's reference, found anew at each evaluation (the
 * watched alias may have moved to a version trained on other data):
 *
 * 1. the watched version: the monitor's alias's, or without an alias the model's newest version;
 * 2. its `run_id` (a version registered from a logged model gets the model's source run);
 * 3. that run's dataset inputs (MLflow `log_input`): the ones tagged `mlflow.data.context` =
 *    `training` (what `mlflow.log_input(ds, context="training")` and autologging write), or all
 *    of them when none is tagged; exactly one must remain;
 * 4. the server dataset it names:
 *    - its source (`DatasetSource` JSON) has a `uri` or `url` naming a server dataset by id —
 *      `server:<dataset id>` as notebooks write it, or a URL `…/api/datasets/<dataset id>…`; or else
 *    - the input's `name` is a server dataset's name: the newest version uploaded no later than
 *      the run started (the data the run could have read).
 * (MLflow's digest is a hash of the pandas frame, not of the file, so it cannot pick a version.)
 * Any step that finds nothing is a 422 naming the model version, run or dataset input.
 */

const DATASET_ID = /(?:^server:|\/api\/datasets\/)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:$|[/?#])/i;

const unresolved = (message: string) => new ApiError(422, 'unresolved_reference', message);

interface DatasetInputRow {
	name: string;
	digest: string;
	dataset: { source?: string; source_type?: string };
	tags: { key: string; value: string }[];
}

/** A server dataset id named by an MLflow dataset source, if it names one. */
function sourceDatasetId(source: string | undefined): string | undefined {
	if (!source) return undefined;
	let parsed: unknown;
	try {
		parsed = JSON.parse(source);
	} catch {
		parsed = { uri: source };
	}
	const where = parsed && typeof parsed === 'object' ? ((parsed as Record<string, unknown>).uri ?? (parsed as Record<string, unknown>).url) : undefined;
	return typeof where === 'string' ? DATASET_ID.exec(where)?.[1]?.toLowerCase() : undefined;
}

/** The watched version of a monitor's model (its alias's, else the newest). */
async function watchedVersion(db: Queryable, monitor: Pick<Monitor, 'model_name' | 'alias'>): Promise<number> {
	if (monitor.alias !== null) {
		const version = await currentAliasVersion(db, monitor.model_name, monitor.alias);
		if (version === null) throw unresolved(`the training run's dataset: model ${monitor.model_name} has no alias ${monitor.alias}`);
		return version;
	}
	const [row] = await db.query<{ version: number }>(`SELECT max(version) AS version FROM mlflow_model_versions WHERE name = $1`, [monitor.model_name]);
	if (row?.version === null || row?.version === undefined) throw unresolved(`the training run's dataset: model ${monitor.model_name} has no versions`);
	return row.version;
}

/** The id of the server dataset the watched version's training run read; a 422 saying what is missing when there is none. */
export async function trainingDatasetId(db: Queryable, monitor: Pick<Monitor, 'model_name' | 'alias'>): Promise<string> {
	const version = await watchedVersion(db, monitor);
	const what = `model ${monitor.model_name} version ${version}`;
	const [mv] = await db.query<{ run_id: string | null; start_time: string | number | null }>(
		`SELECT v.run_id, r.start_time FROM mlflow_model_versions v LEFT JOIN mlflow_runs r ON r.run_id = v.run_id WHERE v.name = $1 AND v.version = $2`,
		[monitor.model_name, version]
	);
	if (!mv?.run_id) throw unresolved(`the training run's dataset: ${what} has no run_id (it was not registered from a run)`);
	const run = `run ${mv.run_id} (${what})`;
	const inputs = await db.query<DatasetInputRow>(
		`SELECT name, digest, dataset, tags FROM mlflow_run_dataset_inputs WHERE run_id = $1 ORDER BY logged_at, name`,
		[mv.run_id]
	);
	if (inputs.length === 0) throw unresolved(`the training run's dataset: ${run} logged no dataset inputs (mlflow.log_input)`);
	const training = inputs.filter((i) => i.tags.some((t) => t.key === 'mlflow.data.context' && t.value === 'training'));
	const candidates = training.length > 0 ? training : inputs;
	const label = (i: DatasetInputRow) => `"${i.name}" (digest ${i.digest})`;
	if (candidates.length > 1)
		throw unresolved(
			`the training run's dataset: ${run} logged ${candidates.length} datasets (${candidates.map(label).join(', ')}); log the training one with context "training"`
		);
	const input = candidates[0];
	const byId = sourceDatasetId(input.dataset.source);
	if (byId) {
		const [row] = await db.query<{ id: string }>(`SELECT id FROM datasets WHERE id = $1`, [byId]);
		if (!row)
			throw unresolved(`the training run's dataset: ${run} logged dataset ${label(input)} from server dataset ${byId}, which does not exist (deleted?)`);
		return row.id;
	}
	const startedBy = mv.start_time === null ? null : new Date(Number(mv.start_time)).toISOString();
	const [named] = await db.query<{ id: string }>(
		`SELECT id FROM datasets WHERE name = $1 AND ($2::timestamptz IS NULL OR created_at <= $2::timestamptz) ORDER BY version DESC LIMIT 1`,
		[input.name, startedBy]
	);
	if (!named)
		throw unresolved(
			`the training run's dataset: ${run} logged dataset ${label(input)}, and no server dataset is named "${input.name}"${startedBy ? ` with a version uploaded by ${startedBy}` : ''} — upload it under that name, or log its source as server:<dataset id>`
		);
	return named.id;
}

/** The id of a monitor's reference dataset now. */
export async function referenceDatasetId(db: Queryable, monitor: Monitor): Promise<string> {
	return monitor.reference_dataset_id ?? trainingDatasetId(db, monitor);
}
