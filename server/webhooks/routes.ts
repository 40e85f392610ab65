import { Hono } from 'hono';
import { z } from 'zod';
import { listDeliveries, testWebhook, type DeliveryDeps } from './delivery';
import { allowedSchemes, createWebhook, deleteWebhook, getWebhook, listWebhooks, updateWebhook, webhookExisted } from './service';
import type { Store } from '#server/store/index.ts';
import { notFound } from '#server/http/errors.ts';
import { validate } from '#server/http/validate.ts';
import { input, int64, list, protoEnum, required, text } from '#server/mlflow/request.ts';
import { WEBHOOK_ACTIONS, WEBHOOK_ENTITIES } from '#lib/contracts/webhooks.ts';

// Proto enums: by name, or by number (ENTITY_UNSPECIFIED and ACTION_UNSPECIFIED are 0).
const event = z.object({
	entity: protoEnum(WEBHOOK_ENTITIES as unknown as [string, ...string[]]).pipe(z.enum(WEBHOOK_ENTITIES)),
	action: protoEnum(WEBHOOK_ACTIONS as unknown as [string, ...string[]]).pipe(z.enum(WEBHOOK_ACTIONS))
});
const status = protoEnum(['ACTIVE', 'DISABLED']);
const fields = {
	name: text.optional(),
	description: text.optional(),
	url: text.optional(),
	events: list(event).optional(),
	secret: text.optional(),
	status: status.optional()
};

export interface WebhookRouteDeps extends DeliveryDeps {
	/** URL schemes webhooks may use; default allowedSchemes() (https, or DRIFTBOOK_WEBHOOK_ALLOWED_SCHEMES). */
	allowedSchemes?: string[];
}

/** MLflow 3's webhook API (webhooks.proto, WebhookService), under /2.0/mlflow. */
export function webhookRoutes(deps: WebhookRouteDeps): Hono {
	const { store } = deps;
	const schemes = deps.allowedSchemes ?? allowedSchemes();
	const app = new Hono();
	app.post('/webhooks', async (c) => {
		const body = await input(c, z.object({ ...fields, name: required, url: required, events: list(event) }));
		return c.json({ webhook: await store.transaction((tx) => createWebhook(tx, body, schemes, deps.secrets)) });
	});
	app.get('/webhooks', async (c) => {
		const query = await input(c, z.object({ max_results: int64.optional(), page_token: text.optional() }));
		return c.json(await listWebhooks(store, query));
	});
	app.get('/webhooks/:id', async (c) => c.json({ webhook: await getWebhook(store, c.req.param('id')) }));
	app.patch('/webhooks/:id', async (c) => {
		const body = await input(c, z.object(fields));
		return c.json({ webhook: await store.transaction((tx) => updateWebhook(tx, c.req.param('id'), body, schemes, deps.secrets)) });
	});
	app.delete('/webhooks/:id', async (c) => {
		await store.transaction((tx) => deleteWebhook(tx, c.req.param('id')));
		return c.json({});
	});
	app.post('/webhooks/:id/test', async (c) => {
		const body = await input(c, z.object({ event: event.optional() }));
		return c.json({ result: await testWebhook(deps, c.req.param('id'), body.event) });
	});
	return app;
}

const limit = z.coerce.number().int().min(1).max(1000);

/** driftbook's delivery log of a webhook: GET /api/webhooks/:id/deliveries[?limit=N]. */
export function deliveryLogRoutes({ store }: { store: Store }): Hono {
	return new Hono().get('/:id/deliveries', async (c) => {
		const id = validate(z.string().uuid(), c.req.param('id'), 'webhook id');
		const max = validate(limit, c.req.query('limit') ?? '100', 'limit');
		if (!(await webhookExisted(store, id))) throw notFound(`webhook ${id} not found`);
		return c.json({ deliveries: await listDeliveries(store, id, max) });
	});
}
