import { currentActor } from '#server/auth/principal.ts';
import { ApiError } from '#server/http/errors.ts';
import { findLoggedModel } from '#server/tracking/logged-models.ts';
import { getModelVersion } from '#server/model-registry/registered-models.ts';
import { getRun, runExists } from '#server/tracking/runs.ts';
import { MlflowError } from '#server/mlflow/errors.ts';
import type { Queryable, Store } from '#server/store/index.ts';
import type { ModelVersion, RunInfo } from '#lib/contracts/mlflow.ts';
import type { Lineage, LineageDataset, LineageGraph, LineageInput, LineageNodeType, LineageReport, LineageRun } from '#lib/contracts/lineage.ts';

/**
 * Where a registered model version came from and what judged it: its run (and experiment), the
 * datasets it saw (links made here, by content hash, plus the run's MLflow dataset inputs), the
 * drift / A/B / champion reports linked to it, and the aliases pointing at it, also as a graph.
 */

async function versionOrNotFound(db: Queryable, name: string, version: string): Promise<ModelVersion> {
	try {
		return await getModelVersion(db, name, version);
	} catch (error) {
		if (error instanceof MlflowError && error.status === 404) throw new ApiError(404, 'not_found', `model ${name} has no version ${version}`);
		throw error;
	}
}

/** Appends links to a version (a dataset linked again by the same hash is updated, not repeated). */
export async function addLineage(store: Store, name: string, version: string, input: LineageInput): Promise<Lineage> {
	await store.transaction(async (tx) => {
		const mv = await versionOrNotFound(tx, name, version);
		const actor = currentActor();
		if (input.dataset) {
			const d = input.dataset;
			if (d.dataset_id) {
				const [row] = await tx.query<{ sha256: string; name: string }>(`SELECT sha256, name FROM datasets WHERE id = $1`, [d.dataset_id]);
				if (!row) throw new ApiError(400, 'invalid_request', `invalid lineage: dataset.dataset_id ${d.dataset_id} is not an uploaded dataset`);
				if (row.sha256 !== d.sha256) {
					throw new ApiError(400, 'invalid_request', `invalid lineage: dataset.sha256 ${d.sha256} is not the hash of dataset ${d.dataset_id} (${row.sha256})`);
				}
				d.name ??= row.name;
			}
			await tx.query(
				`INSERT INTO model_version_datasets (name, version, sha256, dataset_name, rows, dataset_id, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
				 ON CONFLICT (name, version, sha256) DO UPDATE SET dataset_name = coalesce(EXCLUDED.dataset_name, model_version_datasets.dataset_name),
				   rows = coalesce(EXCLUDED.rows, model_version_datasets.rows), dataset_id = coalesce(EXCLUDED.dataset_id, model_version_datasets.dataset_id)`,
				[mv.name, Number(mv.version), d.sha256, d.name ?? null, d.rows ?? null, d.dataset_id ?? null, actor]
			);
		}
		for (const [i, report] of (input.reports ?? []).entries()) {
			if (report.run_id !== undefined && !(await runExists(tx, report.run_id))) {
				throw new ApiError(400, 'invalid_request', `invalid lineage: reports[${i}].run_id ${report.run_id} is not a run`);
			}
			await tx.query(
				`INSERT INTO model_version_reports (name, version, kind, run_id, artifact_path, summary, created_by) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)`,
				[mv.name, Number(mv.version), report.kind, report.run_id ?? null, report.artifact_path ?? null, JSON.stringify(report.summary), actor]
			);
		}
	});
	return getLineage(store, name, version);
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function getLineage(db: Queryable, name: string, version: string): Promise<Lineage> {
	const mv = await versionOrNotFound(db, name, version);
	const number = Number(mv.version);
	const runId = mv.run_id ?? (mv.model_id ? (await findLoggedModel(db, mv.model_id))?.info.source_run_id : undefined);
	const run = runId && (await runExists(db, runId)) ? await getRun(db, runId) : undefined;

	const linked = await db.query<{
		sha256: string;
		dataset_name: string | null;
		rows: number | null;
		dataset_id: string | null;
		created_at: Date;
		created_by: string;
	}>(
		`SELECT sha256, dataset_name, rows, dataset_id, created_at, created_by FROM model_version_datasets WHERE name = $1 AND version = $2 ORDER BY created_at, sha256`,
		[mv.name, number]
	);
	const datasets: LineageDataset[] = linked.map((r) => ({
		origin: 'link',
		sha256: r.sha256,
		digest: null,
		name: r.dataset_name,
		rows: r.rows === null ? null : Number(r.rows),
		dataset_id: r.dataset_id,
		source_type: null,
		source: null,
		created_at: iso(r.created_at),
		created_by: r.created_by
	}));
	for (const input of run?.inputs.dataset_inputs ?? []) {
		datasets.push({
			origin: 'mlflow_input',
			sha256: null,
			digest: input.dataset.digest,
			name: input.dataset.name,
			rows: null,
			dataset_id: null,
			source_type: input.dataset.source_type,
			source: input.dataset.source,
			created_at: null,
			created_by: null
		});
	}
	const reportRows = await db.query<Omit<LineageReport, 'created_at' | 'id'> & { id: number; created_at: Date }>(
		`SELECT id, kind, run_id, artifact_path, summary, created_at, created_by FROM model_version_reports WHERE name = $1 AND version = $2 ORDER BY id`,
		[mv.name, number]
	);
	const reports = reportRows.map((r) => ({ ...r, id: Number(r.id), created_at: r.created_at.toISOString() }));
	const aliases = (
		await db.query<{ alias: string }>(`SELECT alias FROM mlflow_registered_model_aliases WHERE name = $1 AND version = $2 ORDER BY alias`, [mv.name, number])
	).map((r) => r.alias);

	const lineageRun: LineageRun | null = run
		? {
				info: run.info,
				params: Object.fromEntries((run.data.params ?? []).map((p) => [p.key, p.value])),
				metrics: run.data.metrics ?? [],
				tags: Object.fromEntries((run.data.tags ?? []).map((t) => [t.key, t.value]))
			}
		: null;
	return { model_version: mv, run: lineageRun, datasets, reports, aliases, graph: buildGraph(mv, lineageRun, datasets, reports, aliases) };
}

/** The same facts as nodes and edges, for drawing; node ids are stable across calls. */
function buildGraph(mv: ModelVersion, run: LineageRun | null, datasets: LineageDataset[], reports: LineageReport[], aliases: string[]): LineageGraph {
	const graph: LineageGraph = { nodes: [], edges: [] };
	const seen = new Set<string>();
	const node = (id: string, type: LineageNodeType, label: string, data: Record<string, unknown>) => {
		if (seen.has(id)) return id;
		seen.add(id);
		graph.nodes.push({ id, type, label, data });
		return id;
	};
	const mvId = node(`model_version:${mv.name}/${mv.version}`, 'model_version', `${mv.name} v${mv.version}`, {
		name: mv.name,
		version: mv.version,
		aliases,
		source: mv.source
	});
	const runNode = (id: string, info?: RunInfo) =>
		node(`run:${id}`, 'run', info?.run_name || id.slice(0, 8), { run_id: id, ...(info ? { status: info.status, experiment_id: info.experiment_id } : {}) });
	if (run) {
		const runId = runNode(run.info.run_id, run.info);
		const expId = node(`experiment:${run.info.experiment_id}`, 'experiment', `experiment ${run.info.experiment_id}`, { experiment_id: run.info.experiment_id });
		graph.edges.push({ from: expId, to: runId, kind: 'contains' }, { from: runId, to: mvId, kind: 'produced' });
	}
	for (const d of datasets) {
		const key = d.sha256 ? `sha256:${d.sha256}` : `digest:${d.digest}:${d.name}`;
		const id = node(`dataset:${key}`, 'dataset', d.name ?? (d.sha256 ?? d.digest ?? '').slice(0, 12), { ...d });
		if (d.origin === 'link') graph.edges.push({ from: id, to: mvId, kind: 'trained_on' });
		else if (run) graph.edges.push({ from: id, to: `run:${run.info.run_id}`, kind: 'input' });
	}
	for (const r of reports) {
		const id = node(`report:${r.id}`, 'report', `${r.kind} report`, { ...r });
		graph.edges.push({ from: id, to: mvId, kind: 'evaluates' });
		if (r.run_id) graph.edges.push({ from: runNode(r.run_id), to: id, kind: 'logged' });
	}
	return graph;
}
