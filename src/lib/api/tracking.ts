/**
 * Experiments, runs, metric history and artifacts: the MLflow REST API subset the server
 * answers under /api/2.0/mlflow, typed as MLflow sends it (protobuf JSON: snake_case, empty
 * lists left out, NaN and infinities as strings).
 */
import { apiRequest, apiResponse, type Fetch } from './http';
import type { ArtifactEntry as ArtifactFile, DatasetInput, Experiment, KeyValue, Metric, Run, RunInfo, RunStatus } from '#lib/contracts/mlflow.ts';
// The wire types (src/lib/contracts), for this client's callers.
export type { ArtifactFile, DatasetInput, Experiment, KeyValue, Metric, Run, RunInfo, RunStatus };

const MLFLOW = '/api/2.0/mlflow';
const ARTIFACTS = '/api/2.0/mlflow-artifacts/artifacts';

/** A metric value as a number (NaN and infinities included). */
export function metricNumber(value: number | string): number {
	return typeof value === 'number' ? value : Number(value);
}

/** Tags or params as a plain record. */
export function keyValues(list: readonly KeyValue[] | undefined): Record<string, string> {
	return Object.fromEntries((list ?? []).map((kv) => [kv.key, kv.value]));
}

export async function searchExperiments(fetch: Fetch, options: { filter?: string; maxResults?: number } = {}): Promise<Experiment[]> {
	const answer = await apiRequest<{ experiments?: Experiment[] }>(fetch, `${MLFLOW}/experiments/search`, {
		method: 'POST',
		body: { max_results: options.maxResults ?? 1000, filter: options.filter, order_by: ['last_update_time DESC'] }
	});
	return answer.experiments ?? [];
}

export async function getExperiment(fetch: Fetch, experimentId: string): Promise<Experiment> {
	return (await apiRequest<{ experiment: Experiment }>(fetch, `${MLFLOW}/experiments/get`, { query: { experiment_id: experimentId } })).experiment;
}

/** Every run of the experiments (following page tokens), newest first. */
export async function searchRuns(fetch: Fetch, experimentIds: readonly string[], options: { filter?: string } = {}): Promise<Run[]> {
	const runs: Run[] = [];
	let pageToken: string | undefined;
	do {
		const answer = await apiRequest<{ runs?: Run[]; next_page_token?: string }>(fetch, `${MLFLOW}/runs/search`, {
			method: 'POST',
			body: { experiment_ids: experimentIds, filter: options.filter, max_results: 1000, page_token: pageToken }
		});
		runs.push(...(answer.runs ?? []));
		pageToken = answer.next_page_token;
	} while (pageToken);
	return runs;
}

export async function getRun(fetch: Fetch, runId: string): Promise<Run> {
	return (await apiRequest<{ run: Run }>(fetch, `${MLFLOW}/runs/get`, { query: { run_id: runId } })).run;
}

/** Every logged value of one metric of a run, in step then time order. */
export async function getMetricHistory(fetch: Fetch, runId: string, key: string): Promise<Metric[]> {
	const metrics: Metric[] = [];
	let pageToken: string | undefined;
	do {
		const answer = await apiRequest<{ metrics?: Metric[]; next_page_token?: string }>(fetch, `${MLFLOW}/metrics/get-history`, {
			query: { run_id: runId, metric_key: key, page_token: pageToken }
		});
		metrics.push(...(answer.metrics ?? []));
		pageToken = answer.next_page_token;
	} while (pageToken);
	return metrics.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
}

/** The files and directories directly under `path` of a run's artifacts. */
export async function listRunArtifacts(fetch: Fetch, runId: string, path?: string): Promise<ArtifactFile[]> {
	return (await apiRequest<{ files?: ArtifactFile[] }>(fetch, `${MLFLOW}/artifacts/list`, { query: { run_id: runId, path } })).files ?? [];
}

/** The artifact-store path of a run's artifact root (`mlflow-artifacts:/1/<run>/artifacts` → `1/<run>/artifacts`). */
export function artifactStorePath(artifactUri: string): string {
	const proxied = /^mlflow-artifacts:\/+(.*?)\/*$/.exec(artifactUri);
	if (!proxied) throw new Error(`artifact root ${artifactUri} is not served by this driftbook server`);
	return proxied[1];
}

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

/** Where a browser downloads one artifact of a run. */
export function artifactUrl(artifactUri: string, path: string): string {
	return `${ARTIFACTS}/${encodePath(`${artifactStorePath(artifactUri)}/${path}`)}`;
}

/** Uploads one file under a run's artifacts; returns its path relative to the run's root. */
export async function uploadRunArtifact(fetch: Fetch, artifactUri: string, path: string, bytes: BodyInit, contentType?: string): Promise<string> {
	await apiResponse(fetch, artifactUrl(artifactUri, path), { method: 'PUT', bytes, contentType });
	return path;
}

/** An artifact's text (JSON reports). */
export async function readArtifactText(fetch: Fetch, artifactUri: string, path: string): Promise<string> {
	return (await apiResponse(fetch, artifactUrl(artifactUri, path))).text();
}

/** Sets (or replaces) one tag of a run. */
export async function setRunTag(fetch: Fetch, runId: string, key: string, value: string): Promise<void> {
	await apiRequest(fetch, `${MLFLOW}/runs/set-tag`, { body: { run_id: runId, key, value } });
}
