import { currentActor } from '#server/auth/principal.ts';
import { writeBlobBytes } from '#server/blobs/content-addressed.ts';
import { ApiError } from '#server/http/errors.ts';
import { indexArtifact, normalizeArtifactPath } from '#server/tracking/artifacts.ts';
import { createExperiment, getExperimentByName } from '#server/tracking/experiments.ts';
import { doesNotExist, MlflowError } from '#server/mlflow/errors.ts';
import type { MetricInput } from '#server/tracking/metrics.ts';
import { createRun, LOG_BATCH_LIMITS, logBatch, updateRun } from '#server/tracking/runs.ts';
import { now } from '#server/mlflow/wire.ts';
import type { Queryable, Store } from '#server/store/index.ts';
import type { KeyValue } from '#lib/contracts/mlflow.ts';
import type { SyncRunInput, SyncRunResult } from '#lib/contracts/sync.ts';

/**
 * Browser sync: a whole finished run (params, metrics, tags, small text artifacts such as a
 * drift report) pushed in one request, and created in one transaction together with its
 * idempotency key. A replay, even after the server was killed mid-request, finds the key and
 * answers the same run; a run is either there with everything or not there at all.
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
	// Files first (content-addressed: harmless if the transaction below never commits).
	const blobs = await Promise.all((input.artifacts ?? []).map((a) => writeBlobBytes(artifactRoot, new TextEncoder().encode(a.content))));
	try {
		return await store.transaction(async (tx) => {
			// Two requests with one key take turns; the second then finds the first's run.
			await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`driftbook.sync:${input.idempotency_key}`]);
			const raced = await findSynced(tx, input.idempotency_key);
			if (raced) return raced;
			const experiment = await ensureExperiment(tx, input.experiment_name);
			const end = input.end_time ?? now();
			const start = input.start_time ?? end;
			if (end < start) throw new ApiError(400, 'invalid_request', `end_time (${end}) is before start_time (${start})`);
			const actor = currentActor();
			const tags: KeyValue[] = [
				{ key: 'mlflow.user', value: actor },
				{ key: 'mlflow.source.type', value: 'LOCAL' },
				{ key: 'mlflow.source.name', value: 'driftbook' },
				...Object.entries(input.tags ?? {}).map(([key, value]) => ({ key, value }))
			];
			const run = await createRun(tx, { experiment_id: experiment.experiment_id, user_id: actor, run_name: input.run_name, start_time: start });
			const runId = run.info.run_id;
			const params = Object.entries(input.params ?? {}).map(([key, value]) => ({ key, value }));
			const metrics: MetricInput[] = (input.metrics ?? []).map((m) => ({ key: m.key, value: m.value, step: m.step ?? 0, timestamp: m.timestamp ?? end }));
			for (const batch of chunks(params, LOG_BATCH_LIMITS.params)) await logBatch(tx, runId, { params: batch });
			for (const batch of chunks(tags, LOG_BATCH_LIMITS.tags)) await logBatch(tx, runId, { tags: batch });
			for (const batch of chunks(metrics, LOG_BATCH_LIMITS.metrics)) await logBatch(tx, runId, { metrics: batch });
			const proxied = /^mlflow-artifacts:\/+(.*)$/.exec(run.info.artifact_uri);
			if (blobs.length > 0 && !proxied) {
				throw new ApiError(
					400,
					'invalid_request',
					`experiment ${input.experiment_name} keeps artifacts at ${run.info.artifact_uri}, which this server does not store`
				);
			}
			for (const [i, blob] of blobs.entries()) {
				await indexArtifact(tx, artifactRoot, { path: `${proxied![1].replace(/\/+$/, '')}/${paths[i]}`, sha256: blob.sha256, size: blob.size });
			}
			await updateRun(tx, { run_id: runId, status: input.status ?? 'FINISHED', end_time: end });
			await tx.query(`INSERT INTO sync_runs (idempotency_key, run_id, experiment_id) VALUES ($1, $2, $3)`, [
				input.idempotency_key,
				runId,
				Number(experiment.experiment_id)
			]);
			return { run_id: runId, experiment_id: experiment.experiment_id, replayed: false };
		});
	} catch (error) {
		throw asApiError(error);
	}
}
