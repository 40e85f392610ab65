/**
 * The model registry: MLflow's registered models, versions and aliases (/api/2.0/mlflow), plus
 * driftbook's own alias history, rollback and lineage (/api/registry).
 */
import { ApiRequestError, apiRequest, type Fetch } from './http';
import type { AliasEvent, CreateModelVersionInput, ModelVersion, RegisteredModel } from '#lib/contracts/mlflow.ts';
// The wire types (src/lib/contracts), for this client's callers.
// AliasEvent is one move of an alias (newest first in a history).
export type { AliasEvent, CreateModelVersionInput, ModelVersion, RegisteredModel };

const MLFLOW = '/api/2.0/mlflow';

export async function searchRegisteredModels(fetch: Fetch): Promise<RegisteredModel[]> {
	const models: RegisteredModel[] = [];
	let pageToken: string | undefined;
	do {
		const answer = await apiRequest<{ registered_models?: RegisteredModel[]; next_page_token?: string }>(fetch, `${MLFLOW}/registered-models/search`, {
			query: { max_results: 1000, page_token: pageToken }
		});
		models.push(...(answer.registered_models ?? []));
		pageToken = answer.next_page_token;
	} while (pageToken);
	return models;
}

export async function getRegisteredModel(fetch: Fetch, name: string): Promise<RegisteredModel> {
	return (await apiRequest<{ registered_model: RegisteredModel }>(fetch, `${MLFLOW}/registered-models/get`, { query: { name } })).registered_model;
}

/** Creates the registered model, or leaves the existing one as it is. */
export async function ensureRegisteredModel(fetch: Fetch, name: string, description?: string): Promise<void> {
	try {
		await apiRequest(fetch, `${MLFLOW}/registered-models/create`, { body: { name, description } });
	} catch (error) {
		if (!(error instanceof ApiRequestError && error.code === 'RESOURCE_ALREADY_EXISTS')) throw error;
	}
}

/** A string literal in MLflow's filter syntax. */
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

async function searchModelVersions(fetch: Fetch, filter: string): Promise<ModelVersion[]> {
	const versions: ModelVersion[] = [];
	let pageToken: string | undefined;
	do {
		const answer = await apiRequest<{ model_versions?: ModelVersion[]; next_page_token?: string }>(fetch, `${MLFLOW}/model-versions/search`, {
			query: { filter, max_results: 10000, page_token: pageToken }
		});
		versions.push(...(answer.model_versions ?? []));
		pageToken = answer.next_page_token;
	} while (pageToken);
	return versions;
}

/** Every version of a model, newest first. */
export async function listModelVersions(fetch: Fetch, name: string): Promise<ModelVersion[]> {
	return (await searchModelVersions(fetch, `name = ${literal(name)}`)).sort((a, b) => Number(b.version) - Number(a.version));
}

/** The model versions registered from a run. */
export async function modelVersionsOfRun(fetch: Fetch, runId: string): Promise<ModelVersion[]> {
	return searchModelVersions(fetch, `run_id = ${literal(runId)}`);
}

export async function getModelVersion(fetch: Fetch, name: string, version: string): Promise<ModelVersion> {
	return (await apiRequest<{ model_version: ModelVersion }>(fetch, `${MLFLOW}/model-versions/get`, { query: { name, version } })).model_version;
}

export async function createModelVersion(fetch: Fetch, input: CreateModelVersionInput, idempotencyKey?: string): Promise<ModelVersion> {
	return (await apiRequest<{ model_version: ModelVersion }>(fetch, `${MLFLOW}/model-versions/create`, { body: input, idempotencyKey })).model_version;
}

/** Points `alias` at `version` (recorded in the alias's history). */
export async function setAlias(fetch: Fetch, name: string, alias: string, version: string): Promise<void> {
	await apiRequest(fetch, `${MLFLOW}/registered-models/alias`, { body: { name, alias, version } });
}

export async function deleteAlias(fetch: Fetch, name: string, alias: string): Promise<void> {
	await apiRequest(fetch, `${MLFLOW}/registered-models/alias`, { method: 'DELETE', query: { name, alias } });
}

const aliasPath = (name: string, alias: string) => `/api/registry/models/${encodeURIComponent(name)}/aliases/${encodeURIComponent(alias)}`;

/** Every move of an alias, newest first. */
export async function aliasHistory(fetch: Fetch, name: string, alias: string): Promise<AliasEvent[]> {
	return (await apiRequest<{ history: AliasEvent[] }>(fetch, `${aliasPath(name, alias)}/history`)).history;
}

/** Points the alias back where it was before its last move; 409 when there is nowhere to go. */
export async function rollbackAlias(fetch: Fetch, name: string, alias: string, reason?: string): Promise<{ version: string; event: AliasEvent }> {
	return apiRequest(fetch, `${aliasPath(name, alias)}/rollback`, { method: 'POST', body: reason ? { reason } : {} });
}
