/** Monitors of registered models (/api/monitors): definitions, evaluations (their progress, their cancel), a notebook on one. */
import { apiRequest, type Fetch } from './http';
import type { EvaluationProgress, Monitor, MonitorEvaluation, MonitorInput, MonitorPatch } from '#lib/contracts/monitors.ts';
export type { EvaluationProgress, Monitor, MonitorEvaluation, MonitorInput, MonitorPatch } from '#lib/contracts/monitors.ts';

const monitorPath = (id: string) => `/api/monitors/${encodeURIComponent(id)}`;

export async function listMonitors(fetch: Fetch, model?: string): Promise<Monitor[]> {
	return (await apiRequest<{ monitors: Monitor[] }>(fetch, '/api/monitors', { query: { model } })).monitors;
}

export async function createMonitor(fetch: Fetch, input: MonitorInput): Promise<Monitor> {
	return (await apiRequest<{ monitor: Monitor }>(fetch, '/api/monitors', { method: 'POST', body: input })).monitor;
}

/** Oldest first. */
export async function listEvaluations(fetch: Fetch, monitorId: string): Promise<MonitorEvaluation[]> {
	return (await apiRequest<{ evaluations: MonitorEvaluation[] }>(fetch, `${monitorPath(monitorId)}/evaluations`)).evaluations;
}

export async function evaluateMonitor(fetch: Fetch, monitorId: string): Promise<MonitorEvaluation> {
	return (await apiRequest<{ evaluation: MonitorEvaluation }>(fetch, `${monitorPath(monitorId)}/evaluate`, { method: 'POST' })).evaluation;
}

/** Creates a notebook on the window an evaluation read; answers its slug. */
export async function openEvaluationNotebook(fetch: Fetch, monitorId: string, evaluationId: number): Promise<{ id: string; slug: string }> {
	return (
		await apiRequest<{ notebook: { id: string; slug: string } }>(fetch, `${monitorPath(monitorId)}/evaluations/${evaluationId}/notebook`, { method: 'POST' })
	).notebook;
}

/** Changes the given fields (null clears an optional one); the merged monitor is checked as a new one would be. */
export async function updateMonitor(fetch: Fetch, monitorId: string, patch: MonitorPatch): Promise<Monitor> {
	return (await apiRequest<{ monitor: Monitor }>(fetch, monitorPath(monitorId), { method: 'PATCH', body: patch })).monitor;
}

/** The monitor's evaluation in progress, or null. */
export async function evaluationProgress(fetch: Fetch, monitorId: string): Promise<EvaluationProgress | null> {
	return (await apiRequest<{ progress: EvaluationProgress | null }>(fetch, `${monitorPath(monitorId)}/progress`)).progress;
}

/** Stops the monitor's evaluation in progress (its evaluate request then fails with code `cancelled`). */
export async function cancelEvaluation(fetch: Fetch, monitorId: string): Promise<EvaluationProgress> {
	return (await apiRequest<{ progress: EvaluationProgress }>(fetch, `${monitorPath(monitorId)}/evaluate/cancel`, { method: 'POST' })).progress;
}
