/** Webhooks: MLflow 3's API (/api/2.0/mlflow/webhooks) and driftbook's delivery log. */
import { apiRequest, type Fetch } from './http';
import type { Webhook, WebhookDelivery, WebhookEventWire, WebhookTestResult } from '#lib/contracts/webhooks.ts';
export type { Webhook, WebhookDelivery, WebhookEventWire, WebhookTestResult } from '#lib/contracts/webhooks.ts';

const BASE = '/api/2.0/mlflow/webhooks';

export async function listWebhooks(fetch: Fetch): Promise<Webhook[]> {
	return (await apiRequest<{ webhooks?: Webhook[] }>(fetch, BASE, { query: { max_results: 1000 } })).webhooks ?? [];
}

export async function createWebhook(
	fetch: Fetch,
	input: { name: string; url: string; events: WebhookEventWire[]; secret?: string; description?: string }
): Promise<Webhook> {
	return (await apiRequest<{ webhook: Webhook }>(fetch, BASE, { method: 'POST', body: input })).webhook;
}

export async function setWebhookStatus(fetch: Fetch, id: string, status: Webhook['status']): Promise<Webhook> {
	return (await apiRequest<{ webhook: Webhook }>(fetch, `${BASE}/${encodeURIComponent(id)}`, { method: 'PATCH', body: { status } })).webhook;
}

export async function deleteWebhook(fetch: Fetch, id: string): Promise<void> {
	await apiRequest(fetch, `${BASE}/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** The test button: one signed POST of an example payload, answered at once. */
export async function testWebhook(fetch: Fetch, id: string): Promise<WebhookTestResult> {
	return (await apiRequest<{ result: WebhookTestResult }>(fetch, `${BASE}/${encodeURIComponent(id)}/test`, { method: 'POST', body: {} })).result;
}

/** Newest first. */
export async function listDeliveries(fetch: Fetch, id: string): Promise<WebhookDelivery[]> {
	return (await apiRequest<{ deliveries: WebhookDelivery[] }>(fetch, `/api/webhooks/${encodeURIComponent(id)}/deliveries`)).deliveries;
}
