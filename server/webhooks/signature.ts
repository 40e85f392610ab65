import { createHmac } from 'node:crypto';

/**
 * MLflow 3's webhook signature (mlflow/webhooks/delivery.py, after Standard Webhooks): HMAC-SHA256
 * keyed by the webhook's secret over `<delivery id>.<unix seconds>.<body>`, base64, prefixed with
 * the scheme version: `X-MLflow-Signature: v1,<base64>`.
 */

export const SIGNATURE_HEADER = 'X-MLflow-Signature';
export const TIMESTAMP_HEADER = 'X-MLflow-Timestamp';
export const DELIVERY_ID_HEADER = 'X-MLflow-Delivery-Id';

export function webhookSignature(secret: string, deliveryId: string, unixSeconds: string, body: string): string {
	const digest = createHmac('sha256', secret).update(`${deliveryId}.${unixSeconds}.${body}`, 'utf8').digest('base64');
	return `v1,${digest}`;
}
