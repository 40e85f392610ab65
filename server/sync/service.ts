import { setImmediate } from 'node:timers/promises';
import { currentActor } from '#server/auth/principal.ts';
import { writeBlobBytes } from '#server/blobs/content-addressed.ts';
import { ApiError } from '#server/http/errors.ts';
import { indexArtifact, normalizeArtifactPath } from '#server/tracking/artifacts.ts';
import { createExperiment, getExperimentByName } from '#server/tracking/experiments.ts';
import { doesNotExist, MlflowError } from '#server/mlflow/errors.ts';
import { checkKey, insertMetrics, type MetricInput } from '#server/tracking/metrics.ts';
import { createRun, deleteRun, LOG_BATCH_LIMITS, logBatch, restoreRun, updateRun } from '#server/tracking/runs.ts';
import { now } from '#server/mlflow/wire.ts';
import type { Queryable, Store } from '#server/store/index.ts';
import type { KeyValue } from '#lib/contracts/mlflow.ts';
import type { SyncRunInput, SyncRunResult } from '#lib/contracts/sync.ts';

/**
 * Browser sync: a whole finished run (params, metrics, tags, small text artifacts such as a
 * drift report) pushed in one request. A run of 100,000 metrics must not hold the store for
 * seconds (PGlite has one session: a transaction that long stops every other request), so the
 * run is written in steps, and made visible in one last transaction together with its
 * idempotency key:
 *  1. a short transaction creates the experiment (when missing) and the run, hidden as a deleted
 *     run while it is incomplete;
 *  2. the metrics go in slices, a transaction each, letting other requests run between slices;
 *  3. one transaction adds params, tags and artifacts, finishes and restores the run, and stores
 *     the key: only then is the run acknowledged, or visible to searches.
 * A sync that fails after step 1 deletes its run; one the server dies in leaves a deleted run
 * that no one was told of. A replay, even after such a crash, finds the key (and answers the
 * same run) or writes the run again; a visible run is there with everything or not at all.
 */

async function findSynced(db: Queryable, key: string): Promise<SyncRunResult | undefined> {
	const [row] = await db.query<{ run_id: string; experiment_id: number }>(`SELECT run_id, experiment_id FROM sync_runs WHERE idempotency_key = $1`, [key]);
	return row && { run_id: row.run_id, experiment_id: String(row.experiment_id), replayed: true };
}

/** The experiment of this name, created when missing (concurrent syncs of one name take turns). */
async function ensureExperiment(tx: Queryable, name: string): Promise<{ experiment_id: string; artifact_location: string }> {
	await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`driftbook.experiment:${name}`]);
	try {
		const experiment = await getExperimentByName(tx, name);
		if (experiment.lifecycle_stage !== 'active') {
			throw new ApiError(409, 'conflict', `experiment ${name} is deleted; restore it or sync to another experiment_name`);
		}
		return experiment;
	} catch (error) {
		if (!(error instanceof MlflowError) || error.code !== doesNotExist('').code) throw error;
	}
	const id = await createExperiment(tx, { name });
	return { experiment_id: id, artifact_location: `mlflow-artifacts:/${id}` };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

/** MLflow's errors (bad metric names, …) keep their message but answer in the API's shape. */
function asApiError(error: unknown): unknown {
	return error instanceof MlflowError ? new ApiError(error.status === 404 ? 404 : 400, 'invalid_request', error.message) : error;
}

/** The run written in step 1, still hidden. */
interface PendingRun {
	runId: string;
	experimentId: string;
	/** The run's artifact folder under the artifact root (artifacts are only indexed when there are any). */
	artifactPath: string;
}

export async function syncRun(store: Store, artifactRoot: string, input: SyncRunInput): Promise<SyncRunResult> {
	const earlier = await findSynced(store, input.idempotency_key);
	if (earlier) return earlier;
	const paths = (input.artifacts ?? []).map((a) => {
		try {
			return normalizeArtifactPath(a.path);
		} catch (error) {
			throw new ApiError(400, 'invalid_request', `invalid artifacts path ${JSON.stringify(a.path)}: ${(error as Error).message}`);
		}
	});
	const end = input.end_time ?? now();
	const start = input.start_time ?? end;
	if (end < start) throw new ApiError(400, 'invalid_request', `end_time (${end}) is before start_time (${start})`);
	const metrics: MetricInput[] = (input.metrics ?? []).map((m) => ({ key: m.key, value: m.value, step: m.step ?? 0, timestamp: m.timestamp ?? end }));
	const actor = currentActor();
	const params = Object.entries(input.params ?? {}).map(([key, value]) => ({ key, value }));
	const tags: KeyValue[] = [
		{ key: 'mlflow.user', value: actor },
		{ key: 'mlflow.source.type', value: 'LOCAL' },
		{ key: 'mlflow.source.name', value: 'driftbook' },
		...Object.entries(input.tags ?? {}).map(([key, value]) => ({ key, value }))
	];
	try {
		// Names are checked before anything is written: a bad one would otherwise be found after
		// the metrics, and the input's own mistakes should not cost a written and deleted run.
		for (const m of metrics) checkKey('metric', m.key);
		for (const p of params) checkKey('param', p.key);
		for (const t of tags) checkKey('tag', t.key);
	} catch (error) {
		throw asApiError(error);
	}
	// Files first (content-addressed: harmless if the run is never acknowledged).
	const blobs = await Promise.all((input.artifacts ?? []).map((a) => writeBlobBytes(artifactRoot, new TextEncoder().encode(a.content))));

	let pending: PendingRun;
	try {
		pending = await store.transaction(async (tx) => {
			const experiment = await ensureExperiment(tx, input.experiment_name);
			const run = await createRun(tx, { experiment_id: experiment.experiment_id, user_id: actor, run_name: input.run_name, start_time: start });
			const artifactPath = proxiedArtifactPath(run.info.artifact_uri);
			if (blobs.length > 0 && artifactPath === undefined) {
				throw new ApiError(
					400,
					'invalid_request',
					`experiment ${input.experiment_name} keeps artifacts at ${run.info.artifact_uri}, which this server does not store`
				);
			}
			await deleteRun(tx, run.info.run_id);
			return { runId: run.info.run_id, experimentId: experiment.experiment_id, artifactPath: artifactPath ?? '' };
		});
	} catch (error) {
		throw asApiError(error);
	}

	try {
		for (const slice of chunks(metrics, LOG_BATCH_LIMITS.metrics)) {
			await store.transaction((tx) => insertMetrics(tx, pending.runId, slice));
			// Requests that arrived meanwhile (health, reads, other writes) get the store now.
			await setImmediate();
		}
		return await store.transaction(async (tx) => {
			// Two requests with one key take turns here; the later one finds the earlier's run.
			await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`driftbook.sync:${input.idempotency_key}`]);
			const raced = await findSynced(tx, input.idempotency_key);
			if (raced) {
				await tx.query(`DELETE FROM mlflow_runs WHERE run_id = $1`, [pending.runId]);
				return raced;
			}
			await restoreRun(tx, pending.runId);
			for (const batch of chunks(params, LOG_BATCH_LIMITS.params)) await logBatch(tx, pending.runId, { params: batch });
			for (const batch of chunks(tags, LOG_BATCH_LIMITS.tags)) await logBatch(tx, pending.runId, { tags: batch });
			for (const [i, blob] of blobs.entries()) {
				await indexArtifact(tx, artifactRoot, { path: `${pending.artifactPath}/${paths[i]}`, sha256: blob.sha256, size: blob.size });
			}
			await updateRun(tx, { run_id: pending.runId, status: input.status ?? 'FINISHED', end_time: end });
			await tx.query(`INSERT INTO sync_runs (idempotency_key, run_id, experiment_id) VALUES ($1, $2, $3)`, [
				input.idempotency_key,
				pending.runId,
				Number(pending.experimentId)
			]);
			return { run_id: pending.runId, experiment_id: pending.experimentId, replayed: false };
		});
	} catch (error) {
		// Never acknowledged: take the hidden run away (a failure here leaves it deleted, as a crash would).
		await store.query(`DELETE FROM mlflow_runs WHERE run_id = $1`, [pending.runId]).catch((cleanup: Error) => {
			console.error(`[sync] could not remove the unacknowledged run ${pending.runId}:`, cleanup.message);
		});
		throw asApiError(error);
	}
}

/** The run's folder under the artifact root when the server stores its artifacts (mlflow-artifacts:/…). */
function proxiedArtifactPath(artifactUri: string): string | undefined {
	return /^mlflow-artifacts:\/+(.*)$/.exec(artifactUri)?.[1].replace(/\/+$/, '');
}
